import { createHash, randomBytes } from 'node:crypto';
import { uuidv7 } from '@mutirao/contracts';
import { assertSameOrg, type Principal } from '@mutirao/http';
import { conflict, DomainError, notFound } from '@mutirao/kernel';
import type { MemberInput } from '../domain/organisation-input';
import { hashPassword } from '../identity/passwords';
import { type Ctx, loadOrganisation } from './context';
import { createPerson } from './people';

export const INVITATION_TTL_MS = 7 * 24 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const gone = (message: string) => new DomainError('gone', message);

export async function listMembers(ctx: Ctx, p: Principal, orgId: string) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const members = await ctx.stores.accounts.byOrg(orgId);
  return { items: members.map((m) => ({ id: m.id, name: m.name, email: m.email })) };
}

/** A one-time token, shown once: only its hash is stored. */
export async function createInvitation(ctx: Ctx, p: Principal, orgId: string) {
  assertSameOrg(p, orgId);
  await loadOrganisation(ctx, orgId);
  const token = randomBytes(32).toString('base64url');
  const createdAt = ctx.now();
  const expiresAt = new Date(createdAt.getTime() + INVITATION_TTL_MS);
  await ctx.stores.invitations.create({
    tokenHash: hashToken(token),
    org: orgId,
    createdBy: p.sub,
    createdAt,
    expiresAt,
  });
  return { token, organisationId: orgId, expiresAt: expiresAt.toISOString() };
}

/**
 * Joins the inviting organisation as a member. The invitation is claimed atomically before the
 * account is written, and given back if the account cannot be.
 */
export async function acceptInvitation(ctx: Ctx, token: string, body: MemberInput) {
  const tokenHash = hashToken(token);
  const inv = await ctx.stores.invitations.get(tokenHash);
  const now = ctx.now();
  if (!inv) throw notFound('No such invitation.');
  if (inv.usedAt) throw gone('This invitation has already been used.');
  if (inv.expiresAt <= now) throw gone('This invitation has expired; ask a member for a new one.');
  await loadOrganisation(ctx, inv.org);
  const email = body.email.toLowerCase();
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
