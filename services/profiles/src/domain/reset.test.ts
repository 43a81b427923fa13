import { describe, expect, it } from 'vitest';
import { type PasswordReset, RESET_TTL_MS, resetState } from './reset';

const at = new Date('2026-01-01T12:00:00Z');
const reset: PasswordReset = {
  tokenHash: 'h',
  id: 'r1',
  personId: 'p1',
  createdAt: at,
  expiresAt: new Date(at.getTime() + RESET_TTL_MS),
};
const later = (ms: number) => new Date(at.getTime() + ms);

describe('a password-reset link', () => {
  it('works for an hour, once, until a newer one is asked for', () => {
    expect(resetState(reset, later(RESET_TTL_MS - 1))).toBe('usable');
    expect(resetState(reset, later(RESET_TTL_MS))).toBe('expired');
    expect(resetState({ ...reset, usedAt: later(1) }, later(2))).toBe('used');
    expect(resetState({ ...reset, supersededAt: later(1) }, later(2))).toBe('superseded');
  });
});
