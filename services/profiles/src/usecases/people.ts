import { assertSameOrg, type Principal } from '@mutirao/http';
import { DomainError, KeyedLocks, notFound, untilSaved } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import { lockAfterFailure, lockedUntil } from '../domain/lockout';
import { decideMemberRemoval } from '../domain/membership';
import {
  editPerson,
  type Person,
  type PersonChange,
  type PersonEdit,
  registerPerson,
} from '../domain/person';
import { hashPassword, verifyPassword } from '../identity/passwords';
import type { Stores } from '../store';
import type { AccountStore } from '../store/accounts';
import { type Ctx, loadOrganisation, SOURCE } from './context';
import { lockedOut } from './sessions';

/** One removal at a time per organisation, so that two cannot both leave it without members. */
const memberRemovals = new KeyedLocks();

/** The outbox entry of a person's change, on the person topic, keyed by the person's id. */
export function personEntries(topic: string, change: PersonChange): OutboxEntry[] {
  return [
    toEntry(
      topic,
      makeEvent({
        type: `org.mutirao.profiles.person.${change.event}`,
        source: SOURCE,
        subject: change.next.id,
        data: { person: change.snapshot },
        time: change.next.updatedAt,
      }),
    ),
  ];
}

/** A new account, not yet published: what `createPerson` and the registration start from. */
export type NewPerson = Omit<Person, 'revision' | 'updatedAt'>;

/** Creates an account with its `registered` event in one write; false when the email is taken. */
export async function createPerson(
  deps: { accounts: AccountStore; topic: string },
  draft: NewPerson,
): Promise<boolean> {
  const change = registerPerson({ ...draft, revision: 0, updatedAt: draft.createdAt }, draft.createdAt);
  return deps.accounts.create(change.next, personEntries(deps.topic, change));
}

/**
 * Publishes an account that never was (revision 0): its `registered` event, as revision 1. True
 * when this call published it; false when it is gone or was published meanwhile.
 */
export async function publishPerson(
  deps: { accounts: AccountStore; topic: string },
  id: string,
  at?: Date,
): Promise<boolean> {
  const p = await deps.accounts.get(id);
  if (p?.revision !== 0 || p.removedAt) return false;
  const change = registerPerson(p, at ?? p.updatedAt);
  return deps.accounts.save(p, change.next, personEntries(deps.topic, change));
}

/**
 * Publishes every account never published (those stored before persons were published, or a
 * registration stopped between its two writes), so that the notifications service learns of
 * everyone. Run at each start; an account it publishes is published once.
 */
export async function backfillPersons(
  deps: { accounts: AccountStore; topic: string; logger: Logger },
  onWrite: () => void,
): Promise<number> {
  let published = 0;
  for (const id of await deps.accounts.unpublished()) if (await publishPerson(deps, id)) published++;
  if (published > 0) {
    deps.logger.info({ published }, 'persons published that never were');
    onWrite();
  }
  return published;
}

/** The caller's account; a token of another provider may have none here. */
async function ownAccount(stores: Stores, p: Principal): Promise<Person> {
  const account = await stores.accounts.get(p.sub);
  if (!account || account.removedAt) throw notFound('No account here for this token.');
  return account;
}

/** What `GET /me` answers: the token's claims, and what the account says of the person. */
export async function me(ctx: Ctx, p: Principal) {
  const account = await ctx.stores.accounts.get(p.sub);
  return {
    sub: p.sub,
    ...(p.org ? { org: p.org } : {}),
    roles: p.roles,
    regions: p.regions,
    ...(account && !account.removedAt
      ? {
          name: account.name,
          email: account.email,
          ...(account.language ? { language: account.language } : {}),
        }
      : {}),
  };
}

/** The person's own edit of their name or language: a new revision and its `updated` event. */
export async function updateMe(ctx: Ctx, p: Principal, edit: PersonEdit) {
  await untilSaved('Your account', async () => {
    const account = await ownAccount(ctx.stores, p);
    const change = editPerson(account, edit, ctx.now());
    if (change === 'unchanged') return { saved: true, value: undefined };
    if (!(await ctx.stores.accounts.save(account, change.next, personEntries(ctx.topics.person, change))))
      return { saved: false };
    ctx.onWrite();
    return { saved: true, value: undefined };
  });
  return me(ctx, p);
}

/**
 * A signed-in person changes their password, giving the current one. Wrong current passwords
 * count as failed sign-ins of the address (and lock it the same way), so a token alone does not
 * allow guessing the password.
 */
export async function changePassword(ctx: Ctx, p: Principal, body: { current: string; new: string }) {
  const account = await ownAccount(ctx.stores, p);
  const now = ctx.now();
  const until = lockedUntil(await ctx.stores.throttle.get(account.email), now);
  if (until) throw lockedOut(until, now);
  if (!(await verifyPassword(body.current, account.passwordHash))) {
    const lock = lockAfterFailure(await ctx.stores.throttle.fail(account.email), now);
    if (lock) {
      await ctx.stores.throttle.lock(account.email, lock);
      throw lockedOut(lock, now);
    }
    throw new DomainError('invalid', 'This is not your current password.', { path: 'current' });
  }
  if (!(await ctx.stores.accounts.setPassword(account.id, await hashPassword(body.new))))
    throw notFound('No account here for this token.');
  await ctx.stores.throttle.clear(account.email);
  return { changed: true as const };
}

/**
 * A member (or the admin) removes a member of the organisation: the account can no longer sign in,
 * its address is free again, and its `removed` event tells the notifications service to write to
 * it no more. The organisation keeps at least one member. Tokens already issued stay valid until
 * they expire (15 minutes): there is no revocation list.
 */
export async function removeMember(ctx: Ctx, p: Principal, orgId: string, memberId: string) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  return memberRemovals.with(orgId, () =>
    untilSaved('The member', async () => {
      const account = await ctx.stores.accounts.get(memberId);
      const members = await ctx.stores.accounts.countMembers(orgId);
      const { prev, change } = decideMemberRemoval(account, members, orgId, memberId, ctx.now());
      if (!(await ctx.stores.accounts.save(prev, change.next, personEntries(ctx.topics.person, change))))
        return { saved: false };
      ctx.onWrite();
      return { saved: true, value: { id: memberId, removed: true as const } };
    }),
  );
}
