import { conflict, DomainError, notFound } from '@mutirao/kernel';

/**
 * An invitation, as stored: to join an organisation as a member, or (the admin's) to coordinate
 * regions. Only the token's SHA-256 is kept: a leaked database holds no usable token.
 */
export interface Invitation {
  tokenHash: string;
  /** What the invitation's events are keyed by; absent on invitations made before they were mailed. */
  id?: string;
  /** The organisation a member joins; absent on a coordinator's invitation. */
  org?: string;
  /** The coordinator's account the invitation activates; absent on a member's. */
  account?: string;
  /** The invited address, lower-cased; absent on invitations made before they were mailed. */
  email?: string;
  /** The language of its mail. */
  language?: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  /** Withdrawn before anyone accepted it: the link no longer works. */
  revokedAt?: Date;
  revokedBy?: string;
}

/** A member's invitation is valid 7 days; so is a coordinator's. */
export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export type InvitationState = 'pending' | 'used' | 'revoked' | 'expired';

/** Whether the link still works at `now`, and if not, why (the first reason that applies). */
export function invitationState(i: Invitation, now: Date): InvitationState {
  if (i.usedAt) return 'used';
  if (i.revokedAt) return 'revoked';
  if (i.expiresAt <= now) return 'expired';
  return 'pending';
}

const gone = (message: string) => new DomainError('gone', message);

/** Why a link that no longer works is refused (410), in words the invitee can act on. */
export function refuseAcceptance(i: Invitation, now: Date): void {
  switch (invitationState(i, now)) {
    case 'used':
      throw gone('This invitation has already been used.');
    case 'revoked':
      throw gone('This invitation was withdrawn; ask the person who invited you for a new one.');
    case 'expired':
      throw gone('This invitation has expired; ask a member for a new one.');
    case 'pending':
      return;
  }
}

export type RevokeDecision = { revoke: true } | { revoke: false; reason: 'already-revoked' };

/**
 * Withdrawing an organisation's invitation: only one of that organisation's (another's is not
 * found, so its existence is not told), not once accepted (the member is then removed instead).
 * Withdrawing one already withdrawn changes nothing; an expired one may still be withdrawn.
 */
export function decideRevoke(i: Invitation | undefined, orgId: string, invitationId: string): RevokeDecision {
  if (!i || i.org !== orgId) throw notFound(`No invitation ${invitationId} in organisation ${orgId}.`);
  if (i.usedAt) throw conflict('This invitation has been accepted: remove the member instead.');
  if (i.revokedAt) return { revoke: false, reason: 'already-revoked' };
  return { revoke: true };
}
