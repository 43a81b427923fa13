import { uuidv7 } from '@mutirao/contracts';
import type { Principal } from '@mutirao/http';
import { conflict, decodeCursor, type Page, pageOf, untilSaved } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import type { Lang } from '@mutirao/reference-data';
import { z } from 'zod';
import { INVITATION_TTL_MS } from '../domain/invitation';
import type { Person } from '../domain/person';
import { changeRegions, isInvited, NO_PASSWORD, regionsOf, removeCoordinator } from '../domain/staff';
import { hashPassword } from '../identity/passwords';
import { type Ctx, SOURCE } from './context';
import { hashToken, newToken } from './members';
import { MAX_PAGE } from './paging';
import { createPerson, personEntries } from './people';

export interface CoordinatorInput {
  name: string;
  email: string;
  password?: string | undefined;
  /** M49 regions, sub-regions or intermediate regions, checked against the reference data. */
  regions: string[];
  /** The language to write to the coordinator in (English when absent). */
  language?: Lang | undefined;
}

/** A coordinator as the admin sees it: `invited` until the invitation is accepted. */
export const coordinatorView = (p: Person) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  roles: ['coordinator' as const],
  regions: p.regions,
  ...(p.language ? { language: p.language } : {}),
  status: isInvited(p) ? ('invited' as const) : ('active' as const),
});

/**
 * The admin creates a coordinator with the M49 regions, sub-regions or intermediate regions it
 * acts in. With a password, the account signs in at once. Without one, the account is created
 * unable to sign in, with an invitation mailed to its address (7 days) whose link lets the
 * coordinator choose a name and a password: the account, its `registered` event, the invitation
 * and its `invitation-created` event are written together (two inserts, the invitation after the
 * account: an account without its invitation is listed as invited, and the admin may remove it and
 * create it again).
 */
export async function createCoordinator(ctx: Ctx, p: Principal, body: CoordinatorInput) {
  const email = body.email.toLowerCase();
  const at = ctx.now();
  const account = {
    id: uuidv7(at.getTime()),
    email,
    name: body.name,
    passwordHash: body.password === undefined ? NO_PASSWORD : await hashPassword(body.password),
    ...(body.language ? { language: body.language } : {}),
    roles: ['coordinator' as const],
    regions: regionsOf(body.regions),
    createdAt: at,
  };
  if (!(await createPerson({ accounts: ctx.stores.accounts, topic: ctx.topics.person }, account)))
    throw conflict('An account with this email already exists.');
  const view = coordinatorView({ ...account, revision: 1, updatedAt: at });
  if (body.password !== undefined) {
    ctx.onWrite();
    return view;
  }
  const invitation = await inviteCoordinator(ctx, p, { ...account, language: body.language });
  ctx.onWrite();
  return { ...view, invitation };
}

async function inviteCoordinator(
  ctx: Ctx,
  p: Principal,
  c: { id: string; email: string; regions: string[]; language?: Lang | undefined },
) {
  const inviter = await ctx.stores.accounts.get(p.sub);
  const token = newToken();
  const createdAt = ctx.now();
  const expiresAt = new Date(createdAt.getTime() + INVITATION_TTL_MS);
  const id = uuidv7(createdAt.getTime());
  const language = c.language ?? 'en';
  const event = makeEvent({
    type: 'org.mutirao.profiles.access.invitation-created',
    source: SOURCE,
    subject: id,
    data: {
      invitation: {
        id,
        email: c.email,
        role: 'coordinator',
        regions: c.regions,
        invitedBy: inviter?.name ?? 'Mutirão',
        language,
        token,
        expiresAt: expiresAt.toISOString(),
      },
    },
    time: createdAt,
  });
  await ctx.stores.invitations.create(
    {
      tokenHash: hashToken(token),
      id,
      account: c.id,
      email: c.email,
      language,
      createdBy: p.sub,
      createdAt,
      expiresAt,
    },
    [toEntry(ctx.topics.access, event)],
  );
  return { id, token, expiresAt: expiresAt.toISOString() };
}

/** Where a page of coordinators ended: the id of the last one served (ids are in creation order). */
const Position = z.string().min(1).max(100);

/** One page of the coordinators, oldest first, with their regions. */
export async function listCoordinators(
  ctx: Ctx,
  q: { cursor?: string | undefined; limit: number },
): Promise<Page<ReturnType<typeof coordinatorView>>> {
  const limit = Math.min(q.limit, MAX_PAGE);
  const found = await ctx.stores.accounts.coordinators({
    ...(q.cursor ? { after: decodeCursor(Position, q.cursor) } : {}),
    limit: limit + 1,
  });
  return pageOf(found, limit, (last) => last.id, coordinatorView);
}

/** The admin changes a coordinator's regions: its `updated` event carries them. */
export async function changeCoordinatorRegions(ctx: Ctx, id: string, regions: string[]) {
  return untilSaved('The coordinator', async () => {
    const account = await ctx.stores.accounts.get(id);
    const { prev, change } = changeRegions(account, id, regions, ctx.now());
    if (change === 'unchanged') return { saved: true, value: coordinatorView(prev) };
    if (!(await ctx.stores.accounts.save(prev, change.next, personEntries(ctx.topics.person, change))))
      return { saved: false };
    ctx.onWrite();
    return { saved: true, value: coordinatorView(change.next) };
  });
}

/** The admin removes a coordinator: it can no longer sign in, and its `removed` event is published. */
export async function removeCoordinatorAccount(ctx: Ctx, id: string) {
  return untilSaved('The coordinator', async () => {
    const account = await ctx.stores.accounts.get(id);
    const { prev, change } = removeCoordinator(account, id, ctx.now());
    if (!(await ctx.stores.accounts.save(prev, change.next, personEntries(ctx.topics.person, change))))
      return { saved: false };
    ctx.onWrite();
    return { saved: true, value: { id, removed: true as const } };
  });
}
