import { inNewTrace, type Logger, untraced } from '@mutirao/telemetry';
import type { Content } from '../domain/types';
import type { PostingRepo } from '../store/postings';
import type { PostingService } from './postings';

export interface Expirable {
  service: PostingService<Content>;
  repo: PostingRepo;
}

/**
 * Expires every open posting whose date has passed at `now`; returns how many. Each expiry is a
 * trace of its own (nobody asked for it); the lookups are not traced.
 */
export async function sweep(kinds: Expirable[], now: Date): Promise<number> {
  let expired = 0;
  for (const { service, repo } of kinds) {
    for (;;) {
      const due = await repo.dueForExpiry(now, 200);
      let changedThisRound = 0;
      for (const id of due) {
        const r = await inNewTrace(
          '@mutirao/exchange',
          'expire posting',
          () => service.execute(id, { type: 'expire' }, { now }),
          { attributes: { 'mutirao.posting.id': id } },
        );
        if (r.changed) changedThisRound++;
        // Due in the catalog, not in the store: another instance expired, renewed or closed it
        // and its event has not come yet. Without this the timer would fire again at once.
        else repo.note(r.stored.posting);
      }
      expired += changedThisRound;
      if (due.length < 200 || changedThisRound === 0) break;
    }
  }
  return expired;
}

/**
 * Closes postings at their date even when nobody is looking: a timer set to the next expiry,
 * re-armed when a write brings an earlier one, and a periodic sweep as the safety net (another
 * instance's writes, a clock jump, a missed timer).
 */
export class ExpiryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private nextAt: number | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly opts: {
      kinds: Expirable[];
      now: () => Date;
      sweepEveryMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.interval = setInterval(() => this.run(), this.opts.sweepEveryMs);
    this.interval.unref();
    this.run();
  }

  /** A posting was written: if its expiry comes before the timer, bring the timer forward. */
  notify(expiresAt: Date): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A timer for a date already past (the clock jumped, or it is about to fire) may be stale: sweep now.
    if (this.nextAt !== undefined && this.nextAt <= this.opts.now().getTime()) this.run();
    else if (this.nextAt === undefined || expiresAt.getTime() < this.nextAt) this.arm(expiresAt);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.interval);
    await this.running;
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      // A write during a sweep may have come after the sweep looked for the next expiry.
      this.again = true;
      return;
    }
    // Not in the context of the request whose write armed the timer: that request is over.
    this.running = untraced(async () => {
      try {
        const n = await sweep(this.opts.kinds, this.opts.now());
        if (n > 0) this.opts.logger.info({ expired: n }, 'postings expired');
        const nexts = await Promise.all(this.opts.kinds.map((k) => k.repo.nextExpiry()));
        const next = nexts
          .filter((d): d is Date => d !== undefined)
          .sort((a, b) => a.getTime() - b.getTime())[0];
        this.nextAt = undefined;
        if (next) this.arm(next);
      } catch (err) {
        this.opts.logger.error({ err }, 'expiry sweep failed; the periodic sweep will retry');
      } finally {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.run();
        }
      }
    });
  }

  private arm(at: Date): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.nextAt = at.getTime();
    const delay = Math.min(Math.max(at.getTime() - this.opts.now().getTime(), 0), this.opts.sweepEveryMs);
    this.timer = setTimeout(() => {
      this.nextAt = undefined;
      this.run();
    }, delay + 5);
    this.timer.unref();
  }
}
