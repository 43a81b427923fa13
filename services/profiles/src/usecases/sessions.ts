import { hasRole } from '@mutirao/http';
import { DomainError } from '@mutirao/kernel';
import { lockAfterFailure, lockedUntil } from '../domain/lockout';
import { dummyHash, verifyPassword } from '../identity/passwords';
import type { Ctx } from './context';

// One message for an unknown address and a wrong password: no user enumeration.
const WRONG = 'Email or password is wrong.';

/** Email and password for a short-lived token. Throttled per address, locked after repeated failures. */
export async function signIn(ctx: Ctx, body: { email: string; password: string }) {
  const email = body.email.trim().toLowerCase();
  const now = ctx.now();
  const until = lockedUntil(await ctx.stores.throttle.get(email), now);
  if (until) throw lockedOut(until, now);
  const account = await ctx.stores.accounts.byEmail(email);
  // Check a dummy hash for unknown addresses so both answers take as long.
  const ok = (await verifyPassword(body.password, account?.passwordHash ?? (await dummyHash()))) && !!account;
  if (!ok || !account) {
    const lock = lockAfterFailure(await ctx.stores.throttle.fail(email), now);
    if (lock) {
      await ctx.stores.throttle.lock(email, lock);
      throw lockedOut(lock, now);
    }
    throw new DomainError('unauthorized', WRONG);
  }
  await ctx.stores.throttle.clear(email);
  const { token, expiresAt, expiresIn } = await ctx.issuer.sign({
    sub: account.id,
    ...(account.org ? { org: account.org } : {}),
    roles: account.roles,
    ...(hasRole({ ...account, sub: account.id }, 'coordinator') ? { regions: account.regions } : {}),
  });
  return {
    token,
    tokenType: 'Bearer' as const,
    expiresAt: expiresAt.toISOString(),
    expiresIn,
  };
}

/** 429 with the seconds until the lock ends (the answer's Retry-After). */
export function lockedOut(until: Date, now: Date) {
  const seconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
  return new DomainError(
    'too-many-requests',
    `Too many failed sign-ins for this address: it is locked until ${until.toISOString()} (${Math.ceil(seconds / 60)} min).`,
    { retryAfterSeconds: seconds },
  );
}
