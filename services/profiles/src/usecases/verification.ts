import { actsForOrg, assertCoordinatorFor, coordinates, type Principal } from '@mutirao/http';
import { forbidden, type Page, untilSaved } from '@mutirao/kernel';
import { countryInRegion } from '@mutirao/reference-data';
import type { Change, Criterion, Organisation } from '../domain/organisation';
import * as rules from '../domain/verification';
import { type Ctx, loadOrganisation, save } from './context';
import { type OrganisationView, organisationView } from './organisations';
import { organisationPage } from './paging';
import { organisationWrites } from './serial';

export type ReviewView = ReturnType<typeof reviewView>;

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
    questions: (v.questions ?? []).map((q) => ({
      question: q.question,
      by: q.by,
      at: q.at.toISOString(),
      ...(q.answer ? { answer: { ...q.answer, at: q.answer.at.toISOString() } } : {}),
    })),
  };
}

/** Pending organisations in the caller's regions (all of them for the admin), oldest first. */
export function verificationQueue(
  ctx: Ctx,
  p: Principal,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<OrganisationView>> {
  return organisationPage(ctx.stores.organisations.pending, p, page, (o) => organisationView(o, true));
}

/** The review: visible to coordinators of its region, the admin, and the organisation itself. */
export async function getReview(ctx: Ctx, p: Principal, id: string) {
  const org = await loadOrganisation(ctx, id);
  if (!coordinates(p, org.country, countryInRegion) && !actsForOrg(p, id))
    throw forbidden('Only the organisation and coordinators of its region see its review.');
  return reviewView(org);
}

/** A coordinator of the organisation's region (or the admin) takes a step of the review. */
function act(ctx: Ctx, p: Principal, id: string, decide: (o: Organisation, at: Date) => Change) {
  return organisationWrites(() =>
    untilSaved<ReviewView>('The organisation', async () => {
      const org = await loadOrganisation(ctx, id);
      assertCoordinatorFor(p, org.country, countryInRegion);
      const change = decide(org, ctx.now());
      if (!(await save(ctx, change, org))) return { saved: false };
      return { saved: true, value: reviewView(change.next) };
    }),
  );
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

export const askForInformation = (ctx: Ctx, p: Principal, id: string, question: string) =>
  act(ctx, p, id, (o, at) => rules.askForInformation(o, question, p.sub, at));

/** A member of the organisation answers the review's open question. */
export function answerQuestion(ctx: Ctx, p: Principal, id: string, text: string) {
  return organisationWrites(() =>
    untilSaved<ReviewView>('The organisation', async () => {
      const org = await loadOrganisation(ctx, id);
      const change = rules.answerQuestion(org, { id: p.sub, org: p.org }, text, ctx.now());
      if (!(await save(ctx, change, org))) return { saved: false };
      return { saved: true, value: reviewView(change.next) };
    }),
  );
}
