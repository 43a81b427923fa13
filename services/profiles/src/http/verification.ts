import type { Api } from '@mutirao/http';
import type { Ctx } from '../usecases/context';
import {
  answerQuestion,
  askForInformation,
  decline,
  getReview,
  recordCriterion,
  revoke,
  verificationQueue,
  verify,
} from '../usecases/verification';
import {
  AnswerBody,
  CriterionBody,
  CriterionParam,
  IdParam,
  NoteBody,
  OrganisationPage,
  PageQuery,
  QuestionBody,
  Review,
  VerifyBody,
} from './schemas';

const tags = ['verification'];
const STAFF = ['coordinator', 'admin'] as const;
const OF_THE_REGION = 'Coordinators of a region the organisation’s country lies in; the admin for any.';

/** SSE verification after the ILO 2022 resolution: the queue, the review and its steps. */
export function verificationOperations(api: Api, ctx: Ctx): void {
  api.op({
    method: 'get',
    path: '/verification/queue',
    summary: 'Pending organisations in the caller’s regions (all for the admin)',
    description: 'Oldest first, by an opaque cursor (null on the last page); at most 100 a page.',
    tags,
    access: STAFF,
    query: PageQuery,
    responses: { 200: { description: 'one page', schema: OrganisationPage } },
    handle: ({ principal, query }) => verificationQueue(ctx, principal, query),
  });

  api.op({
    method: 'get',
    path: '/organisations/:id/verification',
    summary: 'The verification review',
    description: 'The organisation itself, coordinators of its region and the admin.',
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [403, 404],
    handle: ({ principal, params }) => getReview(ctx, principal, params.id),
  });

  api.op({
    method: 'put',
    path: '/organisations/:id/verification/criteria/:criterion',
    summary: 'Record one ILO 2022 criterion',
    description: `SSE entities only; not once verified. ${OF_THE_REGION}`,
    tags,
    access: STAFF,
    params: CriterionParam,
    body: CriterionBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [404, 409],
    handle: ({ principal, params, body }) =>
      recordCriterion(ctx, principal, params.id, { criterion: params.criterion, ...body }),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/verification/verify',
    summary: 'Verify',
    description: `An SSE entity once all five criteria are met; a partner with a note saying why it is a real one. ${OF_THE_REGION}`,
    tags,
    access: STAFF,
    params: IdParam,
    body: VerifyBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [404, 409],
    handle: ({ principal, params, body }) => verify(ctx, principal, params.id, body.note),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/verification/decline',
    summary: 'Decline a pending organisation, with a note',
    description: OF_THE_REGION,
    tags,
    access: STAFF,
    params: IdParam,
    body: NoteBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [404, 409],
    handle: ({ principal, params, body }) => decline(ctx, principal, params.id, body.note),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/verification/revoke',
    summary: 'Revoke a verification, with a note',
    description: OF_THE_REGION,
    tags,
    access: STAFF,
    params: IdParam,
    body: NoteBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [404, 409],
    handle: ({ principal, params, body }) => revoke(ctx, principal, params.id, body.note),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/verification/questions',
    summary: 'Ask the organisation for information before deciding',
    description: `Pending organisations only; the question stays on the review, with the answer once given. ${OF_THE_REGION}`,
    tags,
    access: STAFF,
    params: IdParam,
    body: QuestionBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [404, 409],
    handle: ({ principal, params, body }) => askForInformation(ctx, principal, params.id, body.question),
  });

  api.op({
    method: 'post',
    path: '/organisations/:id/verification/answer',
    summary: 'Answer the review’s open question',
    description:
      'Members of the organisation, once per question; the answer goes beside the question for the coordinators.',
    tags,
    access: 'signed-in',
    params: IdParam,
    body: AnswerBody,
    responses: { 200: { description: 'the review', schema: Review } },
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) => answerQuestion(ctx, principal, params.id, body.text),
  });
}
