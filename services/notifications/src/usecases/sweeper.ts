import type { Logger } from '@mutirao/telemetry';
import type { ScheduleDoc, ScheduleRepo } from '../store/schedules';
import { Loop } from './loop';

export interface SweeperOptions {
  repo: ScheduleRepo;
  fire: (s: ScheduleDoc) => Promise<void>;
  now: () => Date;
  logger: Logger;
  owner: string;
  leaseMs: number;
  pollMs: number;
  /**
   * With several instances: how often to take back the claims of dead processes and read the
   * store's due schedules again (others' included). None: the start did it, once.
   */
  rescanMs?: number;
}

/**
 * Fires the stored schedules that are due by the service's clock (`now`, injected): each is claimed
 * (due → firing) before it fires and marked fired after, and what it stores is keyed by the
 * occurrence, so a process that dies while firing leaves it to be fired again with nothing doubled.
 */
export class Sweeper {
  private readonly loop: Loop;
  /** When the store was last read for due schedules (the start reads it first). */
  private scannedAt = Date.now();

  constructor(private readonly o: SweeperOptions) {
    this.loop = new Loop('schedule sweeper', () => this.pass(), { pollMs: o.pollMs, logger: o.logger });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Fires what is due; true when more were due than one pass takes. */
  async pass(): Promise<boolean> {
    const o = this.o;
    const now = o.now();
    if (o.rescanMs !== undefined && Date.now() - this.scannedAt >= o.rescanMs) {
      this.scannedAt = Date.now();
      await o.repo.recover(now, o.owner, false);
      await o.repo.load();
    }
    const due = await o.repo.claimDue(now, o.owner, new Date(now.getTime() + o.leaseMs), 50);
    for (const s of due) {
      await o.fire(s);
      await o.repo.fired(s._id, o.owner, o.now());
    }
    if (due.length > 0) o.logger.debug({ fired: due.length }, 'schedules fired');
    return due.length === 50;
  }
}
