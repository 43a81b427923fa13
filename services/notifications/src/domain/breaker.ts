import { retryDelay } from './schedule';

/** The longest wait between two probes of an SMTP server that is down, whatever the mails' back-off. */
export const PROBE_MAX_MS = 5_000;

export type ServerState = 'unknown' | 'up' | 'down';

/**
 * Whether the SMTP server can be reached, as one sender sees it (a circuit breaker). While it is
 * down no mail is tried: the server is probed alone (an SMTP `verify`), `baseMs` after it went
 * down, then at a doubling interval with jitter, never more than `PROBE_MAX_MS` (nor `maxMs`)
 * apart, so that mails flow again within seconds of its return however long it was away. The
 * mails that waited only for it are then due at once (the sender releases them), instead of
 * each keeping the back-off it would have grown by failing on its own.
 *
 * A new process does not know: `unknown` until the server answers or fails.
 */
export class ServerBreaker {
  state: ServerState = 'unknown';
  /** When to probe a server that is down (ms since the epoch). */
  nextProbeAt = 0;
  /** Probes failed since the server went down, the first failure included. */
  private failures = 0;

  constructor(
    private readonly o: { baseMs: number; maxMs: number },
    private readonly random: () => number = Math.random,
  ) {}

  /** The server could not be reached at `now`: returns when to probe it next. */
  down(now: number): number {
    this.failures = this.state === 'down' ? this.failures + 1 : 1;
    this.state = 'down';
    const delay = retryDelay(this.failures, this.o, this.random);
    this.nextProbeAt = now + Math.min(PROBE_MAX_MS, delay);
    return this.nextProbeAt;
  }

  /** The server answered: true when it was down or not known (what waited for it may go now). */
  up(): boolean {
    const was = this.state;
    this.state = 'up';
    this.failures = 0;
    this.nextProbeAt = 0;
    return was !== 'up';
  }

  /** No mail is tried at `now`: the server is down and its next probe is not due. */
  waiting(now: number): boolean {
    return this.state === 'down' && now < this.nextProbeAt;
  }
}
