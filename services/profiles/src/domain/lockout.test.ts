import { describe, expect, it } from 'vitest';
import { LOCKOUT, lockAfterFailure, lockedUntil, refusedUntil, windowAt } from './lockout';

const now = new Date('2026-01-01T12:00:00Z');

describe('sign-in lockout', () => {
  it('locks for 15 minutes at the fifth failure, not before', () => {
    expect(lockAfterFailure(LOCKOUT.maxFailures - 1, now)).toBeUndefined();
    expect(lockAfterFailure(LOCKOUT.maxFailures, now)).toEqual(new Date('2026-01-01T12:15:00Z'));
  });

  it('is locked only while the lock runs', () => {
    const t = { failures: 0, lockedUntil: new Date('2026-01-01T12:15:00Z') };
    expect(lockedUntil(t, now)).toEqual(t.lockedUntil);
    expect(lockedUntil(t, new Date('2026-01-01T12:15:00Z'))).toBeUndefined();
    expect(lockedUntil(undefined, now)).toBeUndefined();
  });
});

describe('a rate limit', () => {
  const limit = { max: 3, windowMs: 60 * 60_000 };
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it('refuses the request after the limit until the window ends, then starts a new window', () => {
    const w = windowAt(undefined, now, limit);
    expect(w).toEqual({ count: 0, since: now });
    expect(refusedUntil({ ...w, count: 2 }, limit)).toBeUndefined();
    expect(refusedUntil({ ...w, count: 3 }, limit)).toEqual(at(60));
    const held = { count: 3, since: now };
    expect(windowAt(held, at(59), limit)).toBe(held);
    expect(windowAt(held, at(60), limit)).toEqual({ count: 0, since: at(60) });
  });
});
