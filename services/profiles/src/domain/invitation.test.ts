import { describe, expect, it } from 'vitest';
import {
  decideRevoke,
  INVITATION_TTL_MS,
  type Invitation,
  invitationState,
  refuseAcceptance,
} from './invitation';

const at = new Date('2026-01-01T12:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const inv: Invitation = {
  tokenHash: 'h',
  id: 'inv-1',
  org: 'org-1',
  email: 'new@coop.example',
  createdBy: 'm1',
  createdAt: at,
  expiresAt: later(INVITATION_TTL_MS),
};

describe('an invitation', () => {
  it('works for 7 days until it is used or withdrawn', () => {
    expect(invitationState(inv, later(INVITATION_TTL_MS - 1))).toBe('pending');
    expect(invitationState(inv, later(INVITATION_TTL_MS))).toBe('expired');
    expect(invitationState({ ...inv, usedAt: later(1) }, later(2))).toBe('used');
    expect(invitationState({ ...inv, revokedAt: later(1) }, later(2))).toBe('revoked');
  });

  it('refuses a withdrawn link with a sentence that says so (410), and lets a pending one through', () => {
    expect(() => refuseAcceptance({ ...inv, revokedAt: later(1) }, later(2))).toThrow(
      expect.objectContaining({ kind: 'gone', message: expect.stringMatching(/withdrawn/) }),
    );
    expect(() => refuseAcceptance({ ...inv, usedAt: later(1) }, later(2))).toThrow(/already been used/);
    expect(() => refuseAcceptance(inv, later(INVITATION_TTL_MS))).toThrow(/expired/);
    expect(() => refuseAcceptance(inv, later(1))).not.toThrow();
  });

  it('is withdrawn by its own organisation only, not once accepted, and again changes nothing', () => {
    expect(decideRevoke(inv, 'org-1', 'inv-1')).toEqual({ revoke: true });
    expect(() => decideRevoke(inv, 'org-2', 'inv-1')).toThrow(expect.objectContaining({ kind: 'not-found' }));
    expect(() => decideRevoke(undefined, 'org-1', 'inv-1')).toThrow(
      expect.objectContaining({ kind: 'not-found' }),
    );
    expect(() => decideRevoke({ ...inv, usedAt: later(1) }, 'org-1', 'inv-1')).toThrow(
      expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/remove the member/) }),
    );
    expect(decideRevoke({ ...inv, revokedAt: later(1) }, 'org-1', 'inv-1')).toEqual({
      revoke: false,
      reason: 'already-revoked',
    });
  });
});
