import { actsForOrg, assertCoordinatorFor, coordinates, Forbidden, type Principal } from '@mutirao/http';
import { countryInRegion } from '@mutirao/reference-data';
import type { Criterion, Organisation } from '../domain/organisation';
import * as rules from '../domain/verification';
import { type Ctx, commit, loadOrganisation } from './context';
import { organisationView } from './organisations';
import { pageOf, staffCountries } from './paging';
import { organisationWrites } from './serial';

function reviewView(o: Organisation) {
  const v = o.verification;
  return {
    organisationId: o.id,
    kind: o.kind,
    country: o.country,
    revision: o.revision,
    status: v.status,
    criteria: v.criteria.map((c) => ({ ...c, at: c.at.toISOString() })),
    ...(v.decision ? { decision: { ...v.decision, at: v.decision.at.toISOString() } } : {}),
    ...(o.kind === 'sse-entity' ? { unmet: rules.unmetCriteria(o) } : {}),
  };
}

/** Pending organisations in the caller's regions (all of them for the admin), oldest first. */
export function verificationQueue(ctx: Ctx, p: Principal, page: { cursor?: string; limit: number }) {
  return pageOf(ctx.stores.organisations.pending, { ...page, countries: staffCountries(p) }, (o) =>
    organisationView(o, true),
  );
}

/** The review: visible to coordinators of its region, the admin, and the organisation itself. */
export async function getReview(ctx: Ctx, p: Principal, id: string) {
  const org = await loadOrganisation(ctx, id);
  if (!coordinates(p, org.country, countryInRegion) && !actsForOrg(p, id))
    throw new Forbidden('Only the organisation and coordinators of its region see its review.');
  return reviewView(org);
}

async function act(
  ctx: Ctx,
  p: Principal,
  id: string,
  decide: (o: Organisation, at: Date) => ReturnType<typeof rules.verify>,
) {
  return organisationWrites(async () => {
    const org = await loadOrganisation(ctx, id);
    assertCoordinatorFor(p, org.country, countryInRegion);
    const r = await commit(ctx, decide(org, ctx.now()), org);
    return reviewView(r === 'unchanged' ? org : r);
  });
}

export const recordCriterion = (
  ctx: Ctx,
  p: Principal,
  id: string,
  c: { criterion: Criterion; met: boolean; note: string },
) => act(ctx, p, id, (o, at) => rules.recordCriterion(o, c, p.sub, at));

export const verify = (ctx: Ctx, p: Principal, id: string, note: string) =>
  act(ctx, p, id, (o, at) => rules.verify(o, note, p.sub, at));

export const decline = (ctx: Ctx, p: Principal, id: string, note: string) =>
  act(ctx, p, id, (o, at) => rules.decline(o, note, p.sub, at));

export const revoke = (ctx: Ctx, p: Principal, id: string, note: string) =>
  act(ctx, p, id, (o, at) => rules.revoke(o, note, p.sub, at));
