import type { Api } from '@mutirao/http';
import { DomainError } from '@mutirao/kernel';
import type { Calls } from '../usecases/calls';
import type { ProposalCommands } from '../usecases/commands';
import type { Consent } from '../usecases/consent';
import type { Progress as ProgressView } from '../usecases/progress';
import type { ProposalQueries } from '../usecases/proposals';
import type { Review } from '../usecases/review';
import {
  CallRound,
  DeclineBody,
  IdParam,
  InformBody,
  OfferIdParam,
  Progress,
  Proposal,
  ProposalList,
  ProposalPage,
  QueueQuery,
  ReviewBody,
} from './schemas';

export interface RouteDeps {
  review: Review;
  consent: Consent;
  /** Reviews and answers, applied by the instance that writes the proposal's need. */
  commands: ProposalCommands;
  queries: ProposalQueries;
  /** How far matching is behind. */
  progress: () => Promise<ProgressView>;
  /** The calls, once the pipeline runs (none with several instances). */
  calls: () => Calls | undefined;
}

const tags = ['proposals'];
const ONE = { 200: { description: 'the proposal as it is now', schema: Proposal } };

/** The matching service's operations: thin, they hand parsed input to the use cases. */
export function matchingOperations(api: Api, deps: RouteDeps): void {
  api.op({
    method: 'get',
    path: '/progress',
    summary: 'How far matching is behind',
    description:
      'Events of the posting topics not taken in yet, needs waiting to be ranked; `caughtUp` when both are none and no need is being ranked (`mutirao wait`).',
    tags: ['health'],
    access: 'anyone',
    responses: { 200: { description: 'the progress', schema: Progress } },
    handle: () => deps.progress(),
  });

  api.op({
    method: 'get',
    path: '/proposals',
    summary: 'The review queue',
    description:
      "Proposals of needs in the caller's regions (the admin: every region), within `region` when given; best score or oldest first, pages with an opaque cursor (null on the last page).",
    tags,
    access: ['coordinator', 'admin'],
    query: QueueQuery,
    responses: { 200: { description: 'one page', schema: ProposalPage } },
    handle: ({ principal, query }) => deps.review.queue(principal, query),
  });

  api.op({
    method: 'get',
    path: '/proposals/mine',
    summary: "The proposals of the caller's organisation",
    description:
      'Those its organisation is a party to, from approval on, oldest first (at most 100). Members of an organisation only.',
    tags,
    access: 'signed-in',
    responses: { 200: { description: 'the proposals', schema: ProposalList } },
    refusals: [403],
    handle: ({ principal }) => deps.consent.mine(principal),
  });

  api.op({
    method: 'get',
    path: '/proposals/:id',
    summary: 'One proposal',
    description:
      "Coordinators of the need's region and the admin see it always, its parties once it is approved; to anyone else it does not exist.",
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: ONE,
    refusals: [404],
    handle: ({ principal, params }) => deps.queries.one(principal, params.id),
  });

  api.op({
    method: 'post',
    path: '/proposals/:id/review',
    summary: 'Approve, reject (with a reason code) or ask a party a question',
    description:
      "A coordinator of the need's region or the admin, while the proposal is proposed, info-requested or info-provided. A question (`note`) goes to the need's organisation, or to the party named in `to`.",
    tags,
    access: ['coordinator', 'admin'],
    params: IdParam,
    body: ReviewBody,
    responses: ONE,
    refusals: [404, 409],
    handle: ({ principal, params, body }) => deps.commands.review(principal, params.id, body),
  });

  api.op({
    method: 'post',
    path: '/proposals/:id/information',
    summary: "Answer a coordinator's question",
    description:
      'A member of the organisation asked, once per question, while the proposal is info-requested; the proposal returns to the review queue as info-provided, the answer beside the question.',
    tags,
    access: 'signed-in',
    params: IdParam,
    body: InformBody,
    responses: ONE,
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) => deps.commands.inform(principal, params.id, body.text),
  });

  const answers = {
    accept: 'Accept an approved proposal for your organisation (agreed once every party accepted)',
    decline: 'Decline an approved proposal for your organisation (it ends)',
  } as const;
  api.op({
    method: 'post',
    path: '/proposals/:id/accept',
    summary: answers.accept,
    description: 'A member of a party, once, while the proposal is approved or accepted by others.',
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: ONE,
    refusals: [403, 404, 409],
    handle: ({ principal, params }) => deps.commands.answer(principal, params.id, 'accept'),
  });

  api.op({
    method: 'post',
    path: '/proposals/:id/decline',
    summary: answers.decline,
    description:
      "A member of a party, once, while the proposal is approved or accepted by others. `reason` (optional): `not-interested` ranks that kind of pairing lower for the party's organisation from then on.",
    tags,
    access: 'signed-in',
    params: IdParam,
    body: DeclineBody,
    responses: ONE,
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) =>
      deps.commands.answer(principal, params.id, 'decline', body.reason),
  });

  const calls = (): Calls => {
    const c = deps.calls();
    if (!c)
      throw new DomainError('unavailable', 'Calls are not solved by this instance of matching.', {
        retryAfterSeconds: 5,
      });
    return c;
  };

  api.op({
    method: 'post',
    path: '/calls/:offerId/solve',
    summary: 'Close a call now and assign its capacity',
    description:
      "A coordinator of the call's organisation's region, or the admin, once the call has opened: every open need that passes the hard rules for the call's offer is a candidate; HiGHS chooses the set with the best total score within the places, the budget and the fairness options. One proposal per chosen need goes to review, tagged with the round; the round keeps the needs left out, with why. A call is solved once (its closing time does it otherwise).",
    tags: ['calls'],
    access: ['coordinator', 'admin'],
    params: OfferIdParam,
    responses: { 200: { description: 'the round', schema: CallRound } },
    refusals: [403, 404, 409],
    handle: ({ principal, params }) => calls().solve(principal, params.offerId),
  });

  api.op({
    method: 'get',
    path: '/calls/:offerId/round',
    summary: "A call's round",
    description:
      "The needs chosen (each with its proposal) and left out, each with the solver's reason. Coordinators of the call's region or of a chosen need's region, and the admin.",
    tags: ['calls'],
    access: ['coordinator', 'admin'],
    params: OfferIdParam,
    responses: { 200: { description: 'the round', schema: CallRound } },
    refusals: [404],
    handle: ({ principal, params }) => calls().round(principal, params.offerId),
  });

  api.op({
    method: 'get',
    path: '/export/proposals',
    summary: 'Every proposal, for the exchange-file export',
    description: 'Oldest first.',
    tags: ['export'],
    access: ['admin'],
    responses: { 200: { description: 'every proposal', schema: ProposalList } },
    handle: () => deps.queries.export(),
  });
}
