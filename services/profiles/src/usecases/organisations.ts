import { uuidv7, uuidv7s } from '@mutirao/contracts';
import { assertSameOrg, maySeeContact, type Principal } from '@mutirao/http';
import { conflict, type Page, untilSaved } from '@mutirao/kernel';
import { importByRef, register, update } from '../domain/lifecycle';
import { applyPatch, type Change, normalise, type Organisation, toSnapshot } from '../domain/organisation';
import type {
  ImportedOrganisation,
  OrganisationPatch,
  RegistrationInput,
} from '../domain/organisation-input';
import { hashPassword } from '../identity/passwords';
import type { Account } from '../store/accounts';
import { type Ctx, eventsOf, loadOrganisation, save } from './context';
import { organisationPage } from './paging';
import { publishPerson } from './people';
import { organisationWrites } from './serial';

/** The public snapshot, plus contact details for those allowed to see them. */
export function organisationView(o: Organisation, withContact: boolean) {
  return {
    ...toSnapshot(o),
    createdAt: o.createdAt.toISOString(),
    ...(withContact ? { contact: o.contact } : {}),
  };
}
export type OrganisationView = ReturnType<typeof organisationView>;

const emailTaken = () =>
  conflict('An account with this email already exists: sign in, or use another address.');

/**
 * The first member registers the organisation. The account is written first (its unique email
 * is the likely conflict), then the organisation with its event, then the account's own event
 * (the person is published only once the organisation exists). If the organisation cannot be
 * written the account is removed again, so a refused registration leaves nothing behind and
 * publishes no person; an account left unpublished by a stop in between is published at the next
 * start (`backfillPersons`). The input schema has checked the codes against the reference data.
 */
export async function registerOrganisation(ctx: Ctx, body: RegistrationInput) {
  const email = body.member.email.toLowerCase();
  if (await ctx.stores.accounts.exists(email)) throw emailTaken();
  const at = ctx.now();
  const orgId = uuidv7(at.getTime());
  const member: Account = {
    id: uuidv7(at.getTime()),
    email,
    name: body.member.name,
    passwordHash: await hashPassword(body.member.password),
    ...(body.member.language ? { language: body.member.language } : {}),
    roles: ['member' as const],
    org: orgId,
    regions: [],
    createdAt: at,
    revision: 0,
    updatedAt: at,
  };
  if (!(await ctx.stores.accounts.create(member, []))) throw emailTaken();
  let org: Organisation;
  try {
    const change = register(orgId, normalise(body.organisation), at);
    if (!(await save(ctx, change))) throw conflict(`An organisation ${orgId} exists already; try again.`);
    org = change.next;
  } catch (err) {
    await ctx.stores.accounts.discard(member.id);
    throw err;
  }
  if (await publishPerson({ accounts: ctx.stores.accounts, topic: ctx.topics.person }, member.id, at))
    ctx.onWrite();
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
export function listOrganisations(
  ctx: Ctx,
  p: Principal,
  page: { cursor?: string | undefined; limit: number; verification?: string | undefined },
): Promise<Page<OrganisationView>> {
  return organisationPage(ctx.stores.organisations.list, p, page, (o) => organisationView(o, true));
}

/** A member edits its own organisation (the admin any); the whole result is checked again. */
export async function updateOrganisation(ctx: Ctx, p: Principal, id: string, patch: OrganisationPatch) {
  assertSameOrg(p, id);
  return organisationWrites(() =>
    untilSaved<OrganisationView>('The organisation', async () => {
      const org = await loadOrganisation(ctx, id);
      const outcome = update(org, normalise(applyPatch(org, patch)), p.sub, ctx.now());
      if (outcome === 'unchanged') return { saved: true, value: organisationView(org, true) };
      if (!(await save(ctx, outcome, org))) return { saved: false };
      return { saved: true, value: organisationView(outcome.next, true) };
    }),
  );
}

export type ImportResult = 'created' | 'updated' | 'unchanged';

/** The admin's idempotent upsert by external ref (exchange-file import). */
export function importOrganisation(
  ctx: Ctx,
  p: Principal,
  ref: string,
  body: ImportedOrganisation,
): Promise<Imported> {
  return organisationWrites(() => importOne(ctx, p, ref, body));
}

export interface Imported {
  result: ImportResult;
  organisation: OrganisationView;
}

/** The upsert by ref, within the write queue: decided again when another writer got there first. */
function importOne(ctx: Ctx, p: Principal, ref: string, body: ImportedOrganisation): Promise<Imported> {
  const { verified, ...fields } = body;
  return untilSaved<Imported>(`The organisation with ref ${ref}`, async () => {
    const existing = await ctx.stores.organisations.byRef(ref);
    const at = ctx.now();
    const outcome = importByRef(
      existing,
      { id: uuidv7(at.getTime()), ref, fields: normalise(fields), verified: verified === true },
      p.sub,
      at,
    );
    if (outcome === 'unchanged') {
      if (!existing) throw new Error('an unchanged import has an existing organisation');
      return { saved: true, value: { result: 'unchanged', organisation: organisationView(existing, true) } };
    }
    // Created meanwhile (the ref is taken) or changed meanwhile: decide again on what is there now.
    if (!(await save(ctx, outcome, existing))) return { saved: false };
    const result: ImportResult = existing ? 'updated' : 'created';
    return { saved: true, value: { result, organisation: organisationView(outcome.next, true) } };
  });
}

/** The most organisations in one import request: a client sends a large file in chunks. */
export const IMPORT_MAX = 1_000;

/**
 * The admin's import of many organisations by ref. The input schema has checked every item, so a
 * request with one refused item stores nothing; then the new ones are inserted in one write and
 * the changed ones saved one by one. An item another writer got to first is imported again on its
 * own. Idempotent by ref, like the single import.
 */
export async function importOrganisations(
  ctx: Ctx,
  p: Principal,
  items: (ImportedOrganisation & { ref: string })[],
): Promise<{ ref: string; id: string; result: ImportResult }[]> {
  return organisationWrites(async () => {
    const existing = await ctx.stores.organisations.byRefs(items.map((i) => i.ref));
    const at = ctx.now();
    const ids = uuidv7s(items.length, at.getTime());
    const planned = items.map((item, i) => {
      const { ref, verified, ...fields } = item;
      const held = existing.get(ref);
      const outcome = importByRef(
        held,
        { id: ids[i] as string, ref, fields: normalise(fields), verified: verified === true },
        p.sub,
        at,
      );
      return { item, held, outcome };
    });
    const results: { ref: string; id: string; result: ImportResult }[] = [];
    const again: (typeof items)[number][] = [];
    const fresh = planned.filter((x) => !x.held && x.outcome !== 'unchanged');
    const inserted = await ctx.stores.organisations.insertMany(
      fresh.map((x) => {
        const { next, event } = x.outcome as Change;
        return { org: next, events: eventsOf(ctx, next, event) };
      }),
    );
    fresh.forEach((x, i) => {
      if (inserted[i])
        results.push({ ref: x.item.ref, id: (x.outcome as Change).next.id, result: 'created' });
      else again.push(x.item);
    });
    if (inserted.some(Boolean)) ctx.onWrite();
    for (const x of planned) {
      if (!x.held) continue;
      if (x.outcome === 'unchanged') results.push({ ref: x.item.ref, id: x.held.id, result: 'unchanged' });
      else if (await save(ctx, x.outcome, x.held))
        results.push({ ref: x.item.ref, id: x.held.id, result: 'updated' });
      else again.push(x.item);
    }
    for (const { ref, ...body } of again) {
      const { result, organisation } = await importOne(ctx, p, ref, body);
      results.push({ ref, id: organisation.id, result });
    }
    const order = new Map(items.map((item, i) => [item.ref, i]));
    return results.sort((a, b) => (order.get(a.ref) ?? 0) - (order.get(b.ref) ?? 0));
  });
}
