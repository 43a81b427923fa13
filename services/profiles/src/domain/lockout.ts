/**
 * Sign-in throttling per email address, whether or not an account has it: the answers then say
 * nothing about which addresses exist.
 */
export const LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000 };

export interface Throttle {
  failures: number;
  lockedUntil?: Date;
}

/** The end of a lock still running at `now`, if any. */
export function lockedUntil(t: Throttle | undefined, now: Date): Date | undefined {
  return t?.lockedUntil && t.lockedUntil > now ? t.lockedUntil : undefined;
}

/** After a failure brought the count to `failures`: the time to lock until, or nothing yet. */
export function lockAfterFailure(failures: number, now: Date, policy = LOCKOUT): Date | undefined {
  return failures >= policy.maxFailures ? new Date(now.getTime() + policy.lockMs) : undefined;
}

/**
 * Requests counted in a fixed window per key (an address, a client's IP): at most `max` in any
 * window of `windowMs` that starts with the first request after the last window ended.
 */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** Password-reset requests: per address (whether or not an account has it), and per client. */
export const RESET_LIMITS = {
  perAddress: { max: 5, windowMs: 60 * 60_000 },
  perClient: { max: 30, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimit>;

export interface Window {
  count: number;
  since: Date;
}

/** The window a request at `now` falls into: the running one, or a new one if it is over. */
export function windowAt(w: Window | undefined, now: Date, limit: RateLimit): Window {
  return w && now.getTime() - w.since.getTime() < limit.windowMs ? w : { count: 0, since: now };
}

/** Whether a window already holding `w.count` requests refuses the next; if so, until when. */
export function refusedUntil(w: Window, limit: RateLimit): Date | undefined {
  return w.count >= limit.max ? new Date(w.since.getTime() + limit.windowMs) : undefined;
}
