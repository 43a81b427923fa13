import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '@mutirao/contracts';
import { assertSameOrg, type Principal } from '@mutirao/http';
import { conflict, decodeCursor, invalid, notFound, type Page, pageOf } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import type { Lang } from '@mutirao/reference-data';
import { z } from 'zod';
import {
  decideRevoke,
  INVITATION_TTL_MS,
  type Invitation,
  invitationState,
  refuseAcceptance,
} from '../domain/invitation';
import type { AcceptInput } from '../domain/organisation-input';
import { mailLanguage } from '../domain/person';
import { activateCoordinator } from '../domain/staff';
import { hashPassword } from '../identity/passwords';
import { type Ctx, loadOrganisation, SOURCE } from './context';
import { MAX_PAGE } from './paging';
import { createPerson, personEntries } from './people';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** A one-time token: 256 random bits, URL-safe (43 characters). */
export const newToken = () => randomBytes(32).toString('base64url');
/** Where a page of members or invitations ended: the id of the last one served (uuidv7, in time order). */
const Position = z.string().min(1).max(100);
const after = (cursor: string | undefined) => (cursor ? { after: decodeCursor(Position, cursor) } : {});

/** One page of an organisation's members, oldest first. */
export async function listMembers(
  ctx: Ctx,
  p: Principal,
  orgId: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<Page<{ id: string; name: string; email: string }>> {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const limit = Math.min(q.limit, MAX_PAGE);
  const found = await ctx.stores.accounts.membersPage(orgId, { ...after(q.cursor), limit: limit + 1 });
  return pageOf(
    found,
    limit,
    (last) => last.id,
    (m) => ({ id: m.id, name: m.name, email: m.email }),
  );
}

const invitationView = (i: Invitation & { id: string }) => ({
  id: i.id,
  email: i.email ?? '',
  ...(i.language ? { language: i.language } : {}),
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

/** One page of an organisation's invitations nobody has accepted, withdrawn or let expire, oldest first. */
export async function listInvitations(
  ctx: Ctx,
  p: Principal,
  orgId: string,
  q: { cursor?: string | undefined; limit: number },
) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const limit = Math.min(q.limit, MAX_PAGE);
  const found = (
    await ctx.stores.invitations.pending(orgId, ctx.now(), { ...after(q.cursor), limit: limit + 1 })
  )
    // Invitations made before they had an id (and an address) cannot be named, so not withdrawn.
    .filter((i): i is Invitation & { id: string } => i.id !== undefined);
  return pageOf(found, limit, (last) => last.id, invitationView);
}

/**
 * Withdraws an organisation's invitation before anyone accepts it: its link then refuses (410),
 * and its `invitation-revoked` event is written with it. Withdrawing it again changes nothing.
 */
export async function revokeInvitation(ctx: Ctx, p: Principal, orgId: string, invitationId: string) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const inv = await ctx.stores.invitations.byId(invitationId);
  const decision = decideRevoke(inv, orgId, invitationId);
  if (!inv || !decision.revoke) return { id: invitationId, revoked: true as const };
  const at = ctx.now();
  const event = makeEvent({
    type: 'org.mutirao.profiles.access.invitation-revoked',
    source: SOURCE,
    subject: invitationId,
    data: {
      revoked: { id: invitationId, organisationId: orgId, revokedBy: p.sub, revokedAt: at.toISOString() },
    },
    time: at,
  });
  if (!(await ctx.stores.invitations.revoke(inv.tokenHash, at, p.sub, [toEntry(ctx.topics.access, event)]))) {
    // Accepted or withdrawn meanwhile: decide again on what is stored now.
    const now = await ctx.stores.invitations.byId(invitationId);
    decideRevoke(now, orgId, invitationId);
    return { id: invitationId, revoked: true as const };
  }
  ctx.onWrite();
  return { id: invitationId, revoked: true as const };
}

export interface InvitationInput {
  email: string;
  language?: Lang | undefined;
}

/**
 * A one-time token for the invited address, and the event that has it mailed (in the inviter's
 * choice of language, else the organisation's first working language the app speaks), in one
 * write: only the token's hash is stored, and the event leaves the outbox once published. The
 * token is also answered once, for whoever invites to pass on by hand.
 */
export async function createInvitation(ctx: Ctx, p: Principal, orgId: string, body: InvitationInput) {
  assertSameOrg(p, orgId);
  const org = await loadOrganisation(ctx, orgId);
  const inviter = await ctx.stores.accounts.get(p.sub);
  const token = newToken();
  const createdAt = ctx.now();
  const expiresAt = new Date(createdAt.getTime() + INVITATION_TTL_MS);
  const id = uuidv7(createdAt.getTime());
  const email = body.email.toLowerCase();
  const language = mailLanguage(body.language, org.languages);
  const event = makeEvent({
    type: 'org.mutirao.profiles.access.invitation-created',
    source: SOURCE,
    subject: id,
    data: {
      invitation: {
        id,
        email,
        organisationId: orgId,
        organisationName: org.name,
        // The platform invites when the inviter has no account here (another identity provider).
        invitedBy: inviter?.name ?? 'Mutirão',
        language,
        token,
        expiresAt: expiresAt.toISOString(),
      },
    },
    time: createdAt,
  });
  await ctx.stores.invitations.create(
    { tokenHash: hashToken(token), id, org: orgId, email, language, createdBy: p.sub, createdAt, expiresAt },
    [toEntry(ctx.topics.access, event)],
  );
  return { id, token, organisationId: orgId, email, language, expiresAt: expiresAt.toISOString() };
}

/**
 * Joins the inviting organisation as a member, with the invited address (an invitation made
 * before invitations named one takes the address given); or, for a coordinator's invitation,
 * sets the coordinator's name and password. The invitation is claimed atomically before the
 * account is written, and given back if the account cannot be.
 */
export async function acceptInvitation(ctx: Ctx, token: string, body: AcceptInput) {
  const tokenHash = hashToken(token);
  const inv = await ctx.stores.invitations.get(tokenHash);
  const now = ctx.now();
  if (!inv) throw notFound('No such invitation.');
  refuseAcceptance(inv, now);
  const given = body.email?.toLowerCase();
  if (inv.email && given !== undefined && given !== inv.email)
    throw invalid('This invitation was sent to another address: accept it with that one.', 'email');
  if (inv.account !== undefined) return acceptAsCoordinator(ctx, { ...inv, account: inv.account }, body, now);
  const email = inv.email ?? given;
  if (email === undefined) throw invalid('The address to sign in with is required.', 'email');
  if (inv.org === undefined) throw notFound('No such invitation.');
  const org = inv.org;
  await loadOrganisation(ctx, org);
  const taken = () => conflict('An account with this email already exists: sign in, or use another address.');
  if (await ctx.stores.accounts.exists(email)) throw taken();
  const member = {
    id: uuidv7(now.getTime()),
    email,
    name: body.name,
    passwordHash: await hashPassword(body.password),
    ...(body.language ? { language: body.language } : {}),
    roles: ['member' as const],
    org,
    regions: [],
    createdAt: now,
  };
  if (!(await ctx.stores.invitations.claim(tokenHash, now)))
    refuseAcceptance(await claimed(ctx, tokenHash), now);
  if (!(await createPerson({ accounts: ctx.stores.accounts, topic: ctx.topics.person }, member))) {
    await ctx.stores.invitations.release(tokenHash);
    throw taken();
  }
  return { member: { id: member.id, name: member.name, email, organisationId: org } };
}

/** The invitation as stored after a claim failed: used or withdrawn meanwhile (refused as such). */
async function claimed(ctx: Ctx, tokenHash: string): Promise<Invitation> {
  const inv = await ctx.stores.invitations.get(tokenHash);
  if (!inv) throw notFound('No such invitation.');
  // A claim fails only once it is no longer pending; should it look pending, say it was used.
  return invitationState(inv, ctx.now()) === 'pending' ? { ...inv, usedAt: ctx.now() } : inv;
}

async function acceptAsCoordinator(
  ctx: Ctx,
  inv: Invitation & { account: string },
  body: AcceptInput,
  now: Date,
) {
  const passwordHash = await hashPassword(body.password);
  if (!(await ctx.stores.invitations.claim(inv.tokenHash, now)))
    refuseAcceptance(await claimed(ctx, inv.tokenHash), now);
  const account = await ctx.stores.accounts.get(inv.account);
  let change: ReturnType<typeof activateCoordinator>;
  try {
    change = activateCoordinator(account, { name: body.name, passwordHash, language: body.language }, now);
  } catch (err) {
    await ctx.stores.invitations.release(inv.tokenHash);
    throw err;
  }
  if (
    !account ||
    !(await ctx.stores.accounts.save(account, change.next, personEntries(ctx.topics.person, change)))
  ) {
    await ctx.stores.invitations.release(inv.tokenHash);
    throw conflict('The coordinator changed meanwhile: try again.');
  }
  ctx.onWrite();
  const c = change.next;
  return { coordinator: { id: c.id, name: c.name, email: c.email, regions: c.regions } };
}
