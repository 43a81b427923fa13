/** A one-time link to set a new password, as stored: only the token's SHA-256 is kept. */
export interface PasswordReset {
  tokenHash: string;
  id: string;
  personId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
  /** A newer request for the same person makes this one useless. */
  supersededAt?: Date;
}

/** A reset link works for an hour. */
export const RESET_TTL_MS = 60 * 60_000;

export type ResetState = 'usable' | 'used' | 'superseded' | 'expired';

/** Whether the link still works at `now`, and if not, why (the first reason that applies). */
export function resetState(r: PasswordReset, now: Date): ResetState {
  if (r.usedAt) return 'used';
  if (r.supersededAt) return 'superseded';
  if (r.expiresAt <= now) return 'expired';
  return 'usable';
}
