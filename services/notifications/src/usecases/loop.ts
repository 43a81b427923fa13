import { type Logger, untraced } from '@mutirao/telemetry';

/**
 * A background pass run again and again: at once after a pass that had more to do, else after
 * `pollMs` or when woken. One pass at a time; `stop` waits for the one under way.
 */
export class Loop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private again = false;
  private failures = 0;

  constructor(
    private readonly name: string,
    /** One pass: true when it stopped with more left to do. */
    private readonly pass: () => Promise<boolean>,
    private readonly opts: { pollMs: number; logger: Logger },
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Runs a pass soon (after the one under way, if any). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, ms);
  }

  private run(): void {
    if (this.stopped || this.running) return;
    this.again = false;
    this.running = untraced(async () => {
      let more = false;
      try {
        more = await this.pass();
        this.failures = 0;
      } catch (err) {
        this.failures++;
        this.opts.logger.warn({ err, loop: this.name, failures: this.failures }, 'background pass failed');
      }
      this.running = undefined;
      if (this.stopped) return;
      const backoff = this.failures > 0 ? Math.min(30_000, this.opts.pollMs * 2 ** this.failures) : undefined;
      this.schedule(backoff ?? (more || this.again ? 0 : this.opts.pollMs));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
