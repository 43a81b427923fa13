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
