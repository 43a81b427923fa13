import { uuidv7 } from '@mutirao/contracts';
import { DomainError, notFound } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import type { Lang } from '@mutirao/reference-data';
import { RESET_LIMITS } from '../domain/lockout';
import { mailLanguage } from '../domain/person';
import { RESET_TTL_MS, resetState } from '../domain/reset';
import { hashPassword } from '../identity/passwords';
import { type Ctx, SOURCE } from './context';
import { hashToken, newToken } from './members';

/** The one answer to a reset request, whether or not an account has the address. */
export const RESET_REQUESTED = {
  detail:
    'If an account has this address, a link to set a new password is on its way to it. The link works once, for an hour.',
} as const;

export interface ResetRequest {
  email: string;
  /** The language of the page the request came from: the mail's when the person chose none. */
  language?: Lang | undefined;
}

/**
 * Asks for a password-reset link. The answer is the same whether or not an account has the
 * address (no account enumeration), and so is the rate limit: requests are counted per address
 * and per client (its IP), known address or not. For an account, a one-time token is made (its
 * SHA-256 stored, an hour to live, the person's earlier links superseded) and the event that has
 * it mailed is written with it (the outbox). Nothing else changes: the current password keeps
 * working until a new one is set.
 */
export async function requestPasswordReset(ctx: Ctx, body: ResetRequest, client: string) {
  const email = body.email.trim().toLowerCase();
  const now = ctx.now();
  for (const [key, limit] of [
    [`reset-client:${client}`, RESET_LIMITS.perClient],
    [`reset:${email}`, RESET_LIMITS.perAddress],
  ] as const) {
    const until = await ctx.stores.rates.take(key, now, limit);
    if (until) throw tooMany(until, now);
  }
  const account = await ctx.stores.accounts.byEmail(email);
  if (!account) return RESET_REQUESTED;
  const org = account.org ? await ctx.stores.organisations.get(account.org) : undefined;
  const token = newToken();
  const id = uuidv7(now.getTime());
  const expiresAt = new Date(now.getTime() + RESET_TTL_MS);
  const event = makeEvent({
    type: 'org.mutirao.profiles.access.password-reset-requested',
    source: SOURCE,
    subject: id,
    data: {
      reset: {
        id,
        personId: account.id,
        email: account.email,
        // The person's own choice first: anyone may ask for a link to any address.
        language: mailLanguage(account.language, body.language, org?.languages),
        token,
        expiresAt: expiresAt.toISOString(),
      },
    },
    time: now,
  });
  await ctx.stores.resets.create(
    { tokenHash: hashToken(token), id, personId: account.id, createdAt: now, expiresAt },
    [toEntry(ctx.topics.access, event)],
  );
  return RESET_REQUESTED;
}

const GONE: Record<'used' | 'superseded' | 'expired', string> = {
  used: 'This link has already been used to set a password.',
  superseded: 'A newer link was sent since this one: use the latest.',
  expired: 'This link has expired: ask for a new one.',
};

/**
 * Sets a new password with a reset link's token, once: the link is claimed atomically (of two
 * uses at once, one succeeds), then the password is set; if it cannot be, the link is given back.
 * A successful reset also lifts a sign-in lock on the address (it proved it reads the mail).
 */
export async function resetPassword(ctx: Ctx, token: string, body: { password: string }) {
  const reset = await ctx.stores.resets.get(hashToken(token));
  if (!reset) throw notFound('No such password-reset link.');
  const state = resetState(reset, ctx.now());
  if (state !== 'usable') throw new DomainError('gone', GONE[state]);
  const account = await ctx.stores.accounts.get(reset.personId);
  if (!account || account.removedAt) throw new DomainError('gone', 'This account no longer exists.');
  const passwordHash = await hashPassword(body.password);
  const now = ctx.now();
  if (!(await ctx.stores.resets.claim(reset, now))) {
    const again = await ctx.stores.resets.get(reset.tokenHash);
    const why = again ? resetState(again, now) : 'used';
    throw new DomainError('gone', GONE[why === 'usable' ? 'used' : why]);
  }
  try {
    if (!(await ctx.stores.accounts.setPassword(account.id, passwordHash)))
      throw new DomainError('gone', 'This account no longer exists.');
  } catch (err) {
    await ctx.stores.resets.release(reset).catch(() => undefined);
    throw err;
  }
  await ctx.stores.throttle.clear(account.email);
  return { email: account.email };
}

/** 429 with the seconds until the window ends (the answer's Retry-After). */
function tooMany(until: Date, now: Date) {
  const seconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new DomainError(
    'too-many-requests',
    `Too many password-reset requests: try again after ${until.toISOString()} (${Math.ceil(seconds / 60)} min).`,
    { retryAfterSeconds: seconds },
  );
}
