import { type Api, Reply } from '@mutirao/http';
import { ImportedOrganisation, OrganisationPatch, RegistrationInput } from '../domain/organisation-input';
import type { Ctx } from '../usecases/context';
import {
  getOrganisation,
  importOrganisation,
  importOrganisations,
  listOrganisations,
  registerOrganisation,
  updateOrganisation,
} from '../usecases/organisations';
import {
  IdParam,
  ImportBatch,
  Imported,
  ImportResults,
  OrganisationListQuery,
  OrganisationPage,
  OrganisationView,
  RefParam,
  Registered,
} from './schemas';

const tags = ['organisations'];

/** Registration, reading, editing and the importer's upserts by external ref. */
export function organisationOperations(api: Api, ctx: Ctx): void {
  api.op({
    method: 'post',
    path: '/organisations/register',
    summary: 'Register an organisation and its first member',
    description:
      'Anyone may: the first member signs up with it. Codes are checked against the reference data; a refused registration stores nothing.',
    tags,
    access: 'anyone',
    body: RegistrationInput,
    responses: {
      201: { description: 'the organisation, pending verification, and its member', schema: Registered },
    },
    refusals: [409],
    handle: ({ body }) => registerOrganisation(ctx, body),
  });

  api.op({
    method: 'post',
    path: '/organisations/import',
    summary: 'Create or update many organisations by reference (the importer)',
    description:
      'Every item is checked before any is written: one refusal stores nothing, and the answer names each refused item (`items.<i>.<field>`).',
    tags,
    access: ['admin'],
    body: ImportBatch,
    responses: { 200: { description: 'what became of each item, in their order', schema: ImportResults } },
    refusals: [409],
    handle: async ({ principal, body }) => ({
      results: await importOrganisations(ctx, principal, body.items),
    }),
  });

  api.op({
    method: 'put',
    path: '/organisations/by-ref/:ref',
    summary: 'Create or update an organisation by its external reference (the importer)',
    description:
      'Idempotent: the same body again changes nothing (no event). `verified: true` verifies; leaving it out never un-verifies.',
    tags,
    access: ['admin'],
    params: RefParam,
    body: ImportedOrganisation,
    responses: {
      200: { description: 'updated or unchanged', schema: Imported },
      201: { description: 'created', schema: Imported },
    },
    refusals: [409],
    handle: async ({ principal, params, body }) => {
      const out = await importOrganisation(ctx, principal, params.ref, body);
      return new Reply(out.result === 'created' ? 201 : 200, out);
    },
  });

  // The exchange-file export reads every page of it.
  api.op({
    method: 'get',
    path: '/organisations',
    summary: 'Organisations in the caller’s regions (all for the admin), with contact',
    description:
      'Oldest first, by an opaque cursor (null on the last page); at most 100 a page; of one verification status with `verification`.',
    tags,
    access: ['coordinator', 'admin'],
    query: OrganisationListQuery,
    responses: { 200: { description: 'one page', schema: OrganisationPage } },
    handle: ({ principal, query }) => listOrganisations(ctx, principal, query),
  });

  api.op({
    method: 'get',
    path: '/organisations/:id',
    summary: 'An organisation',
    description:
      'Contact details for the organisation itself, members of an agreed partner, coordinators and the admin.',
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: { 200: { description: 'the organisation', schema: OrganisationView } },
    refusals: [404],
    handle: ({ principal, params }) => getOrganisation(ctx, principal, params.id),
  });

  api.op({
    method: 'patch',
    path: '/organisations/:id',
    summary: 'Edit an organisation',
    description:
      'Any field; null removes an optional one. Changing what a verification judged (name, kind, SSE form, informal, country) sends a verified organisation back to its region’s queue, with a `verification-reopened` event; other edits keep the verification. Members of the organisation; the admin for any (coordinators judge, they do not edit).',
    tags,
    access: 'signed-in',
    params: IdParam,
    body: OrganisationPatch,
    responses: { 200: { description: 'the organisation', schema: OrganisationView } },
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) => updateOrganisation(ctx, principal, params.id, body),
  });
}
