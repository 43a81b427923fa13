import { uuidv7, uuidv7s } from '@mutirao/contracts';
import { assertSameOrg, Conflict, maySeeContact, type Principal } from '@mutirao/http';
import type { z } from 'zod';
import { importByRef, register, update } from '../domain/lifecycle';
import {
  applyPatch,
  type Change,
  isRejection,
  normalise,
  type Organisation,
  organisationProblems,
  toSnapshot,
} from '../domain/organisation';
import type {
  ImportedOrganisation,
  OrganisationPatch,
  RegistrationInput,
} from '../domain/organisation-input';
import { hashPassword } from '../identity/passwords';
import { type Ctx, commit, eventsOf, loadOrganisation, rejectProblems } from './context';
import { pageOf, staffCountries } from './paging';
import { organisationWrites } from './serial';

/** The public snapshot, plus contact details for those allowed to see them. */
export function organisationView(o: Organisation, withContact: boolean) {
  return {
    ...toSnapshot(o),
    createdAt: o.createdAt.toISOString(),
    ...(withContact ? { contact: o.contact } : {}),
  };
}

/**
 * The first member registers the organisation. The account is written first (its unique email
 * is the likely conflict), then the organisation with its event; if that fails the account is
 * removed again, so a rejected registration leaves nothing behind.
 */
export async function registerOrganisation(ctx: Ctx, body: z.infer<typeof RegistrationInput>) {
  rejectProblems(organisationProblems(body.organisation, 'organisation'));
  const email = body.member.email.toLowerCase();
  const taken = () =>
    new Conflict('An account with this email already exists: sign in, or use another address.');
  if (await ctx.stores.accounts.exists(email)) throw taken();
  const at = ctx.now();
  const orgId = uuidv7(at.getTime());
  const member = {
    id: uuidv7(at.getTime()),
    email,
    name: body.member.name,
    passwordHash: await hashPassword(body.member.password),
    roles: ['member' as const],
    org: orgId,
    regions: [],
    createdAt: at,
  };
  if (!(await ctx.stores.accounts.create(member))) throw taken();
  let org: Organisation | 'unchanged';
  try {
    org = await commit(ctx, register(orgId, normalise(body.organisation), at));
  } catch (err) {
    await ctx.stores.accounts.remove(member.id);
    throw err;
  }
  if (org === 'unchanged') throw new Error('a registration always changes something');
  return {
    organisation: organisationView(org, true),
    member: { id: member.id, name: member.name, email, organisationId: orgId },
  };
}

/** An organisation; its contact too for whom maySeeContact allows, members of agreed partners included. */
export async function getOrganisation(ctx: Ctx, p: Principal, id: string) {
  const org = await loadOrganisation(ctx, id);
  const agreedPartner =
    !maySeeContact(p, id) && p.org !== undefined && (await ctx.stores.partnerships.between(p.org, id));
  return organisationView(org, maySeeContact(p, id, { agreedPartner }));
}

/** Every organisation for the admin, those of a coordinator's regions for it; with contact, by id. */
export function listOrganisations(ctx: Ctx, p: Principal, page: { cursor?: string; limit: number }) {
  return pageOf(ctx.stores.organisations.list, { ...page, countries: staffCountries(p) }, (o) =>
    organisationView(o, true),
  );
}

/** A member edits its own organisation (the admin any); the whole result is checked again. */
export async function updateOrganisation(ctx: Ctx, p: Principal, id: string, patch: OrganisationPatch) {
  assertSameOrg(p, id);
  return organisationWrites(async () => {
    const org = await loadOrganisation(ctx, id);
    const merged = applyPatch(org, patch);
    rejectProblems(organisationProblems(merged));
    const r = await commit(ctx, update(org, normalise(merged), p.sub, ctx.now()), org);
    return organisationView(r === 'unchanged' ? org : r, true);
  });
}

export type ImportResult = 'created' | 'updated' | 'unchanged';

/** The admin's idempotent upsert by external ref (exchange-file import). */
export async function importOrganisation(ctx: Ctx, p: Principal, ref: string, body: ImportedOrganisation) {
  const { verified, ...fields } = body;
  rejectProblems(organisationProblems(fields));
  return organisationWrites(async () => {
    const existing = await ctx.stores.organisations.byRef(ref);
    const at = ctx.now();
    const outcome = importByRef(
      existing,
      { id: uuidv7(at.getTime()), ref, fields: normalise(fields), verified: verified === true },
      p.sub,
      at,
    );
    const r = await commit(ctx, outcome, existing);
    const result: ImportResult = r === 'unchanged' ? 'unchanged' : existing ? 'updated' : 'created';
    const org = r === 'unchanged' ? existing : r;
    if (!org) throw new Error('an unchanged import has an existing organisation');
    return { result, organisation: organisationView(org, true) };
  });
}

/** The most organisations in one import request: a client sends a large file in chunks. */
export const IMPORT_MAX = 1_000;

/**
 * The admin's import of many organisations by ref: every item is checked first, so a request with
 * one refused item stores nothing; then the new ones are inserted in one write and the changed
 * ones saved one by one. Idempotent by ref, like the single import.
 */
export async function importOrganisations(
  ctx: Ctx,
  p: Principal,
  items: (ImportedOrganisation & { ref: string })[],
): Promise<{ ref: string; id: string; result: ImportResult }[]> {
  const problems = items.flatMap(({ verified: _v, ref: _r, ...fields }, i) =>
    organisationProblems(fields).map((x) => ({ ...x, path: `items.${i}.${x.path}` })),
  );
  rejectProblems(problems);
  return organisationWrites(async () => {
    const existing = await ctx.stores.organisations.byRefs(items.map((i) => i.ref));
    const at = ctx.now();
    const ids = uuidv7s(items.length, at.getTime());
    const planned = items.map(({ ref, verified, ...fields }, i) => {
      const held = existing.get(ref);
      const outcome = importByRef(
        held,
        { id: ids[i] as string, ref, fields: normalise(fields), verified: verified === true },
        p.sub,
        at,
      );
      if (isRejection(outcome)) rejectProblems([{ path: `items.${i}`, message: outcome.detail }]);
      return { ref, held, outcome };
    });
    const results: { ref: string; id: string; result: ImportResult }[] = [];
    const fresh = planned.filter((x) => !x.held && x.outcome !== 'unchanged' && !isRejection(x.outcome));
    const inserted = await ctx.stores.organisations.insertMany(
      fresh.map((x) => {
        const { next, event } = x.outcome as Change;
        return { org: next, events: eventsOf(ctx, next, event) };
      }),
    );
    fresh.forEach((x, i) => {
      if (!inserted[i])
        throw new Conflict(`An organisation with ref "${x.ref}" was created meanwhile; import again.`);
      results.push({ ref: x.ref, id: (x.outcome as Change).next.id, result: 'created' });
    });
    for (const x of planned) {
      if (!x.held) continue;
      const r = await commit(ctx, x.outcome, x.held);
      results.push({ ref: x.ref, id: x.held.id, result: r === 'unchanged' ? 'unchanged' : 'updated' });
    }
    if (fresh.length > 0) ctx.onWrite();
    const order = new Map(items.map((item, i) => [item.ref, i]));
    return results.sort((a, b) => (order.get(a.ref) ?? 0) - (order.get(b.ref) ?? 0));
  });
}
