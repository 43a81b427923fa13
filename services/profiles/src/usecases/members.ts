import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '@mutirao/contracts';
import { assertSameOrg, type Principal } from '@mutirao/http';
import { conflict, DomainError, invalid, notFound } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import type { Lang } from '@mutirao/reference-data';
import type { AcceptInput } from '../domain/organisation-input';
import { mailLanguage } from '../domain/person';
import { hashPassword } from '../identity/passwords';
import { type Ctx, loadOrganisation, SOURCE } from './context';
import { createPerson } from './people';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** A one-time token: 256 random bits, URL-safe (43 characters). */
export const newToken = () => randomBytes(32).toString('base64url');
const gone = (message: string) => new DomainError('gone', message);

export async function listMembers(ctx: Ctx, p: Principal, orgId: string) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const members = await ctx.stores.accounts.byOrg(orgId);
  return { items: members.map((m) => ({ id: m.id, name: m.name, email: m.email })) };
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
 * before invitations named one takes the address given). The invitation is claimed atomically
 * before the account is written, and given back if the account cannot be.
 */
export async function acceptInvitation(ctx: Ctx, token: string, body: AcceptInput) {
  const tokenHash = hashToken(token);
  const inv = await ctx.stores.invitations.get(tokenHash);
  const now = ctx.now();
  if (!inv) throw notFound('No such invitation.');
  if (inv.usedAt) throw gone('This invitation has already been used.');
  if (inv.expiresAt <= now) throw gone('This invitation has expired; ask a member for a new one.');
  const given = body.email?.toLowerCase();
  if (inv.email && given !== undefined && given !== inv.email)
    throw invalid('This invitation was sent to another address: accept it with that one.', 'email');
  const email = inv.email ?? given;
  if (email === undefined) throw invalid('The address to sign in with is required.', 'email');
  await loadOrganisation(ctx, inv.org);
  const taken = () => conflict('An account with this email already exists: sign in, or use another address.');
  if (await ctx.stores.accounts.exists(email)) throw taken();
  const member = {
    id: uuidv7(now.getTime()),
    email,
    name: body.name,
    passwordHash: await hashPassword(body.password),
    ...(body.language ? { language: body.language } : {}),
    roles: ['member' as const],
    org: inv.org,
    regions: [],
    createdAt: now,
  };
  if (!(await ctx.stores.invitations.claim(tokenHash, now)))
    throw gone('This invitation has already been used.');
  if (!(await createPerson({ accounts: ctx.stores.accounts, topic: ctx.topics.person }, member))) {
    await ctx.stores.invitations.release(tokenHash);
    throw taken();
  }
  return { member: { id: member.id, name: member.name, email, organisationId: inv.org } };
}
