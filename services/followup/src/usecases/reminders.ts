import { inNewTrace, type Logger } from '@mutirao/telemetry';
import type { PartnershipService } from './partnerships';

/**
 * Publishes `report-due` when a period's reports fall due: a timer at the soonest one known, and a
 * sweep every `sweepEveryMs` as the safety net (a restart, a clock moved in tests).
 */
export class ReminderScheduler {
  private sweepTimer: NodeJS.Timeout | undefined;
  private nextTimer: NodeJS.Timeout | undefined;
  private nextAt: number | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly deps: {
      partnerships: PartnershipService;
      now: () => Date;
      sweepEveryMs: number;
      logger: Logger;
      /** The soonest reminder still to come, from the store: the timer is set to it at start. */
      soonest: () => Promise<Date | undefined>;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.sweepTimer = setInterval(() => this.run(), this.deps.sweepEveryMs);
    this.sweepTimer.unref();
    this.run()
      .then(() => this.deps.soonest())
      .then((at) => this.notify(at))
      .catch((err: unknown) => this.deps.logger.error({ err }, 'could not read the next reminder'));
  }

  /** A write left this as the partnership's next reminder: make sure the timer fires by then. */
  notify(at: Date | undefined): void {
    if (this.stopped || at === undefined) return;
    const t = at.getTime();
    if (this.nextAt !== undefined && this.nextAt <= t) return;
    this.nextAt = t;
    clearTimeout(this.nextTimer);
    // setTimeout holds at most ~24.8 days; the sweep covers anything further.
    const wait = Math.min(Math.max(0, t - this.deps.now().getTime()), 2 ** 31 - 1);
    this.nextTimer = setTimeout(() => {
      this.nextAt = undefined;
      this.run();
    }, wait);
    this.nextTimer.unref();
  }

  /** One pass (tests call it with their clock). */
  run(): Promise<void> {
    this.running = this.running.then(() =>
      inNewTrace('followup', 'remind reports due', async () => {
        try {
          await this.deps.partnerships.remind(this.deps.now());
        } catch (err) {
          this.deps.logger.error({ err }, 'reminder pass failed; the next one tries again');
        }
      }),
    );
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.nextTimer);
    await this.running;
  }
}
