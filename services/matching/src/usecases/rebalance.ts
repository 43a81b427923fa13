import type { Logger } from '@mutirao/telemetry';
import type { PartitionHolders } from '../store/partitions';
import type { NeedPartitions } from './ownership';

export interface RebalanceDeps {
  partitions: NeedPartitions;
  holders: PartitionHolders;
  /** The member ids in the need group's current generation. */
  members: () => Promise<string[]>;
  /**
   * Waits until this instance has taken in every organisation, offer and proposal published until
   * now.
   */
  catchUp: () => Promise<void>;
  /** Waits until the outbox relay's pass under way (if any) is over. */
  relaySettled: () => Promise<void>;
  /** Forgets the partition's needs: out of the index, not waiting to be ranked. */
  drop: (partition: number) => Promise<void>;
  /**
   * Takes the partition's needs over: from the read model into the index, their proposals from the
   * store, the unmatchable ones expired, every open need ranked.
   */
  take: (partition: number) => Promise<void>;
  logger: Logger;
  /** How long to wait for a live holder to release a partition before taking it anyway. */
  holderTimeoutMs?: number;
}

/**
 * Moves need partitions in and out of this instance as the consumer group assigns them. Kafka
 * hands a partition to its next reader as soon as the previous one has rejoined, not when that one
 * has finished ranking and writing its needs (that runs apart from the consumer); so a partition
 * changes writer in two steps. The instance that loses it stops writing its needs, waits for the
 * work under way and its relay's pass, then releases it (`PartitionHolders`). The one that gains it
 * waits for that release, or for the holder to be gone from the group (a process that died writes
 * nothing more), catches up with organisations and offers (it then knows at least what the last
 * writer knew), and takes the needs over, ranking them all: whatever the last writer had not done
 * is done then, and what it had done is found in the store (a pair is stored once ever).
 */
export class Rebalancer {
  private queue: Promise<void> = Promise.resolve();
  /** This member's id in the group, and those it had before (a member that rejoined anew). */
  private memberId: string | undefined;
  private readonly former = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: RebalanceDeps) {}

  /** The group's latest assignment of need partitions to this instance: applied in order. */
  assigned(memberId: string, partitions: readonly number[]): void {
    // At once, not in turn: the consumer fetches the new partitions right away, and their batches
    // must wait for them to be taken over, not be refused as not assigned here.
    for (const p of partitions)
      if (!this.deps.partitions.assigned().includes(p)) this.deps.partitions.taking(p);
    this.queue = this.queue
      .then(() => this.apply(memberId, partitions))
      .catch((err: unknown) => {
        if (!this.stopped) this.deps.logger.error({ err }, 'could not apply the need partitions assigned');
      });
  }

  /** Gives every partition up (an orderly stop, before leaving the group). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
    const held = this.deps.partitions.assigned();
    await Promise.all(held.map((p) => this.release(p)));
  }

  private async apply(memberId: string, partitions: readonly number[]): Promise<void> {
    if (this.stopped) return;
    const renamed = this.memberId !== undefined && this.memberId !== memberId;
    if (renamed) this.former.add(this.memberId as string);
    this.memberId = memberId;
    const { partitions: ours, holders, logger } = this.deps;
    const next = new Set(partitions);
    const before = ours.writing();
    const lost = before.filter((p) => !next.has(p));
    const gained = [...next].filter((p) => !before.includes(p));
    const kept = before.filter((p) => next.has(p));
    logger.info({ memberId, partitions: [...next], lost, gained }, 'need partitions assigned');
    // Assigned, then given to another before this turn came: never written here.
    for (const p of ours.assigned()) if (!next.has(p) && !before.includes(p)) ours.abandon(p);
    await Promise.all(lost.map((p) => this.release(p)));
    // Kept under a new member id (this member rejoined anew): the holder documents follow.
    if (renamed)
      for (const p of kept) await this.retrying(`hold partition ${p}`, () => holders.take(p, memberId));
    for (const p of gained) ours.taking(p);
    // Milliseconds spent in each step of the take-over, for the log: a monotonic clock.
    const ms: Record<string, number> = {};
    let t = performance.now();
    const lap = (step: string) => {
      const now = performance.now();
      ms[step] = Math.round(now - t);
      t = now;
    };
    await Promise.all(gained.map((p) => this.retrying(`wait for partition ${p}`, () => this.released(p))));
    lap('released');
    if (gained.length > 0)
      await this.retrying('catch up with organisations and offers', () => this.deps.catchUp());
    lap('caughtUp');
    for (const p of gained) {
      if (this.stopped) return;
      await this.retrying(`take partition ${p}`, async () => {
        await holders.take(p, memberId);
        ours.loading(p);
        await this.deps.take(p);
      });
      ours.taken(p);
      lap(`took${p}`);
    }
    if (gained.length > 0) logger.info({ partitions: gained, ms }, 'need partitions taken over');
  }

  private async release(p: number): Promise<void> {
    const { partitions, holders } = this.deps;
    await partitions.releasing(p);
    await this.deps.relaySettled();
    await this.deps.drop(p);
    const me = this.memberId;
    if (me !== undefined) await this.retrying(`release partition ${p}`, () => holders.release(p, me));
    partitions.released(p);
    this.deps.logger.info({ partition: p }, 'need partition released');
  }

  /** Resolves once nobody else may still write the partition's needs. */
  private async released(p: number): Promise<void> {
    const { holders, logger } = this.deps;
    const started = Date.now();
    const timeout = this.deps.holderTimeoutMs ?? 120_000;
    let warned = started;
    for (;;) {
      if (this.stopped) throw new Error('stopping');
      const holder = await holders.holderOf(p);
      if (holder === null || holder === this.memberId || this.former.has(holder)) return;
      if (!(await this.deps.members()).includes(holder)) {
        logger.info({ partition: p, holder }, 'need partition taken from a member that left the group');
        return;
      }
      if (Date.now() - started > timeout) {
        logger.error({ partition: p, holder }, 'need partition not released in time; taking it anyway');
        return;
      }
      if (Date.now() - warned > 10_000) {
        warned = Date.now();
        logger.warn({ partition: p, holder }, 'waiting for the need partition to be released');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Runs `fn` until it succeeds (the database or the broker may be away for a while). */
  private async retrying(what: string, fn: () => Promise<void>): Promise<void> {
    const started = performance.now();
    // A step that takes long says so (and which step it is) every 30 s.
    const slow = setInterval(
      () => this.deps.logger.warn({ ms: Math.round(performance.now() - started) }, `still trying to ${what}`),
      30_000,
    ).unref();
    try {
      await this.attempts(what, fn);
    } finally {
      clearInterval(slow);
    }
  }

  private async attempts(what: string, fn: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fn();
        return;
      } catch (err) {
        if (this.stopped) throw err;
        this.deps.logger.warn({ err, attempt }, `could not ${what}; will retry`);
        await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * 2 ** attempt)));
      }
    }
  }
}
