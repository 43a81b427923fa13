import { describe, expect, it } from 'vitest';
import { LOCKOUT, lockAfterFailure, lockedUntil } from './lockout';

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
