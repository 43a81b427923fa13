import { type Api, Reply } from '@mutirao/http';
import { z } from 'zod';
import { impactCsv } from '../domain/impact';
import { exportIati, type IatiDeps, setIdentifier } from '../usecases/iati';
import { publicImpact } from '../usecases/impact';
import type { PartnershipService } from '../usecases/partnerships';
import {
  CommentIn,
  IatiQuery,
  IdentifierIn,
  IdParam,
  ImpactOut,
  LateOut,
  PartnershipOut,
  PartnershipPatch,
  ReportIn,
  ReportOut,
  ReportParams,
  ReportQuery,
} from './schemas';

export interface RouteDeps {
  partnerships: PartnershipService;
  iati: IatiDeps;
}

const tags = ['partnerships'];

/** The follow-up's operations: thin, they hand parsed input to the use cases. */
export function followupOperations(api: Api, deps: RouteDeps): void {
  const { partnerships } = deps;
  api.op({
    method: 'get',
    path: '/partnerships',
    summary: 'Partnerships the caller may see',
    description:
      "Members: their organisation's partnerships; coordinators: those whose beneficiary lies in their regions; the admin: all. Newest agreement first.",
    tags,
    access: 'signed-in',
    responses: {
      200: { description: 'the partnerships', schema: z.object({ items: z.array(PartnershipOut) }) },
    },
    handle: async ({ principal }) => ({ items: await partnerships.list(principal) }),
  });

  api.op({
    method: 'get',
    path: '/partnerships/late',
    summary: 'Reports past their due date',
    description:
      "The coordinator's queue: every report a party has not filed by its due date and the grace days after it, in the coordinator's regions (the admin: everywhere), latest first.",
    tags,
    access: ['coordinator', 'admin'],
    responses: { 200: { description: 'the late reports', schema: z.object({ items: z.array(LateOut) }) } },
    handle: async ({ principal }) => ({ items: await partnerships.late(principal) }),
  });

  api.op({
    method: 'get',
    path: '/partnerships/:id',
    summary: 'One partnership with its reports and comments',
    description:
      "The parties' members, the region's coordinators and the admin; anyone else is told there is none.",
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: { 200: { description: 'the partnership', schema: PartnershipOut } },
    refusals: [404],
    handle: ({ principal, params }) => partnerships.get(principal, params.id),
  });

  api.op({
    method: 'patch',
    path: '/partnerships/:id',
    summary: 'Change the status, start date or amount',
    description:
      'A party says how the partnership stands: ongoing, completed, ended early, or did not start (not once reports were filed).',
    tags,
    access: 'signed-in',
    params: IdParam,
    body: PartnershipPatch,
    responses: { 200: { description: 'the partnership', schema: PartnershipOut } },
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) => partnerships.update(principal, params.id, body),
  });

  api.op({
    method: 'put',
    path: '/partnerships/:id/reports/:period',
    summary: "File or amend one's report for a period",
    description:
      'A party reports what was done and what changed over the months since its previous report: the indicators (every count required, 0 if none), its story and the SDG targets served. Members report for their own organisation; the admin names it in `organisationId`.',
    tags,
    access: 'signed-in',
    params: ReportParams,
    query: ReportQuery,
    body: ReportIn,
    responses: { 200: { description: 'the report as stored', schema: ReportOut } },
    refusals: [403, 404, 409],
    handle: ({ principal, params, query, body }) =>
      partnerships.fileReport(principal, params.id, params.period, body, query.organisationId),
  });

  api.op({
    method: 'post',
    path: '/partnerships/:id/comments',
    summary: "A coordinator's comment",
    description:
      "The region's coordinators (and the admin) comment on a partnership, or on one of its reports.",
    tags,
    access: ['coordinator', 'admin'],
    params: IdParam,
    body: CommentIn,
    responses: { 201: { description: 'the partnership with the comment', schema: PartnershipOut } },
    refusals: [404],
    handle: async ({ principal, params, body }) =>
      new Reply(201, await partnerships.comment(principal, params.id, body)),
  });

  api.op({
    method: 'put',
    path: '/organisations/:id/iati-identifier',
    summary: "An organisation's IATI organisation identifier",
    description:
      'Its members (or the admin) give the identifier IATI rules make for it (registration agency and number, e.g. GB-COH-01234567), or null to remove it. The IATI export names the organisation by it.',
    tags: ['iati'],
    access: 'signed-in',
    params: IdParam,
    body: IdentifierIn,
    responses: {
      200: {
        description: 'the identifier kept',
        schema: z.object({ organisationId: z.string(), identifier: z.string().nullable() }),
      },
    },
    refusals: [403],
    handle: ({ principal, params, body }) => setIdentifier(deps.iati, principal, params.id, body.identifier),
  });

  api.op({
    method: 'get',
    path: '/iati',
    summary: 'IATI Activity Standard 2.03 export',
    description:
      'An `iati-activities` document: one activity per partnership agreed between `from` and `to` (dates, inclusive) whose beneficiary lies in `region` (a coordinator: within its regions). 404 when none.',
    tags: ['iati'],
    access: ['coordinator', 'admin'],
    query: IatiQuery,
    responses: { 200: { description: 'the document', schema: z.string(), contentType: 'application/xml' } },
    refusals: [404],
    handle: ({ principal, query }) => exportIati(deps.iati, principal, query),
  });

  api.op({
    method: 'get',
    path: '/impact',
    summary: 'Public impact figures',
    description:
      'Agreed partnerships and reported outcomes (counts and sums only: no organisation, story or amount) by region of the beneficiary, resource type, SDG, modality and quarter. Anyone may read them; the impact page shows these figures.',
    tags: ['impact'],
    access: 'anyone',
    responses: { 200: { description: 'the figures', schema: ImpactOut } },
    handle: () => publicImpact(deps.iati),
  });

  api.op({
    method: 'get',
    path: '/impact.csv',
    summary: 'Public impact figures as CSV',
    description:
      'The figures of `/impact`, one row per group: `dimension,key,partnerships,triads,reports,` then the indicators.',
    tags: ['impact'],
    access: 'anyone',
    responses: {
      200: { description: 'the figures', schema: z.string(), contentType: 'text/csv; charset=utf-8' },
    },
    handle: async () =>
      new Reply(200, impactCsv(await publicImpact(deps.iati)), {
        'Content-Disposition': 'inline; filename="mutirao-impact.csv"',
      }),
  });
}
