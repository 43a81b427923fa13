import { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import { type Api, Reply } from '@mutirao/http';
import { z } from 'zod';
import type { Content, NeedContent, OfferContent } from '../domain/types';
import type { ContentPatch, PostingService } from '../usecases/postings';
import {
  NeedCreate,
  NeedImport,
  NeedPatch,
  NeedUpsert,
  NoBody,
  OfferCreate,
  OfferImport,
  OfferPatch,
  OfferUpsert,
  RefParam,
  Renew,
  SearchQuery,
} from './schemas';

type NeedIn = z.infer<typeof NeedCreate>;
type OfferIn = z.infer<typeof OfferCreate>;

/** A need's content with the defaults of the exchange file filled in. */
export function needContent(i: Omit<NeedIn, 'expiresAt' | 'status' | 'ref' | 'organisationId'>): NeedContent {
  return {
    type: i.type,
    title: i.title,
    description: i.description,
    language: i.language,
    workingLanguages: i.workingLanguages,
    sectors: i.sectors ?? [],
    sdgs: i.sdgs ?? [],
    ...(i.amount ? { amount: i.amount } : {}),
    fundingRequired: i.fundingRequired ?? false,
    countriesOfInterest: i.countriesOfInterest ?? [],
    ...(i.confidentialNotes !== undefined ? { confidentialNotes: i.confidentialNotes } : {}),
  };
}

export function offerContent(
  i: Omit<OfferIn, 'expiresAt' | 'status' | 'ref' | 'organisationId'>,
): OfferContent {
  return {
    types: i.types,
    instrument: i.instrument,
    title: i.title,
    description: i.description,
    language: i.language,
    workingLanguages: i.workingLanguages,
    sectors: i.sectors ?? [],
    sdgs: i.sdgs ?? [],
    eligibility: i.eligibility ?? {},
    priorities: i.priorities ?? [],
    ...(i.amount ? { amount: i.amount } : {}),
    modalities: i.modalities,
    capacity: i.capacity,
    ...(i.call ? { call: i.call } : {}),
    ...(i.confidentialNotes !== undefined ? { confidentialNotes: i.confidentialNotes } : {}),
  };
}

interface KindSpec<C extends Content> {
  /** `need` or `offer`: the collection is `/${kind}s`. */
  kind: 'need' | 'offer';
  service: PostingService<C>;
  create: z.ZodType<{ expiresAt: Date; status: 'draft' | 'open'; ref?: string; organisationId?: string }>;
  upsert: z.ZodType<{ expiresAt: Date; status: 'draft' | 'open'; organisationId: string }>;
  import: z.ZodType<{
    items: { expiresAt: Date; status: 'draft' | 'open'; organisationId: string; ref: string }[];
  }>;
  patch: z.ZodType<{ expiresAt?: Date }>;
  content: (input: never) => C;
  /** What a caller sees of one. */
  view: z.ZodType;
}

const IdParam = z.strictObject({ id: z.string().min(1).max(200) });
const RefPath = z.strictObject({ ref: RefParam });
const Outcome = z.enum(['created', 'updated', 'unchanged']);
const MEMBER_OR_ADMIN = 'Members act for their own organisation; the admin for any.';

/** The operations of one kind of posting: thin, they hand parsed input to the use cases. */
function postingOperations<C extends Content>(api: Api, spec: KindSpec<C>): void {
  const { kind, service } = spec;
  const path = `/${kind}s`;
  const tags = [`${kind}s`];
  const content = spec.content as (input: unknown) => C;
  const View = spec.view;
  const found = { 200: { description: `the ${kind}`, schema: View } };

  api.op({
    method: 'get',
    path,
    summary: `Browse ${kind}s`,
    description:
      'Filters, newest first or soonest expiry first, pages with an opaque cursor (null on the last page). Others see open postings only; owners also their own drafts and closed ones; the admin all.',
    tags,
    access: 'signed-in',
    query: SearchQuery,
    responses: {
      200: {
        description: 'one page',
        schema: z.object({ items: z.array(View), nextCursor: z.string().nullable() }),
      },
    },
    handle: ({ principal, query }) => service.search(principal, query),
  });

  api.op({
    method: 'post',
    path,
    summary: `Post a ${kind}`,
    description: `Open at once (the organisation must be verified) or as a draft. ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    body: spec.create,
    responses: {
      201: { description: `the new ${kind}`, schema: View, headers: { Location: 'its address' } },
    },
    refusals: [409],
    handle: async ({ principal, body }) => {
      const { expiresAt, status, ref, organisationId, ...rest } = body;
      const view = await service.create(principal, {
        content: content(rest),
        expiresAt,
        status,
        ...(ref !== undefined ? { ref } : {}),
        ...(organisationId !== undefined ? { organisationId } : {}),
      });
      return new Reply(201, view, { Location: `${path}/${view.id}` });
    },
  });

  api.op({
    method: 'put',
    path: `${path}/by-ref/:ref`,
    summary: `Create or update a ${kind} by its external reference (the importer)`,
    description:
      'Idempotent: the same body again changes nothing (no event). A past expiry is stored as expired.',
    tags,
    access: ['admin'],
    params: RefPath,
    body: spec.upsert,
    responses: {
      200: { description: 'updated or unchanged', schema: z.object({ result: Outcome, posting: View }) },
      201: { description: 'created', schema: z.object({ result: Outcome, posting: View }) },
    },
    refusals: [409],
    handle: async ({ principal, params, body }) => {
      const { expiresAt, status, organisationId, ...rest } = body;
      const out = await service.upsertByRef(principal, params.ref, {
        content: content(rest),
        expiresAt,
        status,
        organisationId,
      });
      return new Reply(out.result === 'created' ? 201 : 200, out);
    },
  });

  api.op({
    method: 'post',
    path: `${path}/import`,
    summary: `Create or update many ${kind}s by reference (the importer)`,
    description:
      'Every item is checked against the rules before any is written: one refusal stores nothing, and the answer names each refused item (`items.<i>.<field>`).',
    tags,
    access: ['admin'],
    body: spec.import,
    responses: {
      200: {
        description: 'what became of each item, in their order',
        schema: z.object({
          results: z.array(z.object({ ref: z.string(), id: z.string(), result: Outcome })),
        }),
      },
    },
    refusals: [409],
    handle: async ({ principal, body }) => ({
      results: await service.importMany(
        principal,
        body.items.map(({ expiresAt, status, organisationId, ref, ...rest }) => ({
          ref,
          content: content(rest),
          expiresAt,
          status,
          organisationId,
        })),
      ),
    }),
  });

  api.op({
    method: 'get',
    path: `${path}/by-ref/:ref`,
    summary: `A ${kind} by its external reference`,
    tags,
    access: 'signed-in',
    params: RefPath,
    responses: found,
    refusals: [404],
    handle: ({ principal, params }) => service.getByRef(principal, params.ref),
  });

  api.op({
    method: 'get',
    path: `${path}/:id`,
    summary: `One ${kind}`,
    description: 'Confidential notes only for the owner, the admin and coordinators of its region.',
    tags,
    access: 'signed-in',
    params: IdParam,
    responses: found,
    refusals: [404],
    handle: ({ principal, params }) => service.get(principal, params.id),
  });

  api.op({
    method: 'patch',
    path: `${path}/:id`,
    summary: `Change a draft or open ${kind}`,
    description: `Content fields or the expiry; null removes an optional field. ${MEMBER_OR_ADMIN}`,
    tags,
    access: 'signed-in',
    params: IdParam,
    body: spec.patch,
    responses: found,
    // 403: another organisation's posting.
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) => {
      const { expiresAt, ...patch } = body;
      return service.update(principal, params.id, patch as ContentPatch<C>, expiresAt);
    },
  });

  const transitions = {
    publish: 'Publish a draft (the organisation must be verified, the expiry in the future)',
    withdraw: 'Withdraw a draft, open or expired posting',
    close: 'Close an open, matched or expired posting',
  } as const;
  for (const [action, summary] of Object.entries(transitions) as [keyof typeof transitions, string][]) {
    api.op({
      method: 'post',
      path: `${path}/:id/${action}`,
      summary,
      description: MEMBER_OR_ADMIN,
      tags,
      access: 'signed-in',
      params: IdParam,
      body: NoBody,
      responses: found,
      refusals: [403, 404, 409],
      handle: ({ principal, params }) => service.transition(principal, params.id, { type: action }),
    });
  }

  api.op({
    method: 'post',
    path: `${path}/:id/renew`,
    summary:
      'Set a new future expiry (reopens an expired posting, or one closed when its organisation’s verification was revoked, once verified again)',
    description: MEMBER_OR_ADMIN,
    tags,
    access: 'signed-in',
    params: IdParam,
    body: Renew,
    responses: found,
    refusals: [403, 404, 409],
    handle: ({ principal, params, body }) =>
      service.transition(principal, params.id, { type: 'renew', expiresAt: body.expiresAt }),
  });
}

/** What a caller sees of a posting: the public snapshot, plus confidential notes when allowed. */
const withNotes = { confidentialNotes: z.string().optional() };
export const NeedView = NeedSnapshot.extend(withNotes).meta({ id: 'Need' });
export const OfferView = OfferSnapshot.extend(withNotes).meta({ id: 'Offer' });

export function exchangeOperations(
  api: Api,
  deps: { needs: PostingService<NeedContent>; offers: PostingService<OfferContent> },
): void {
  postingOperations<NeedContent>(api, {
    kind: 'need',
    service: deps.needs,
    create: NeedCreate,
    upsert: NeedUpsert,
    import: NeedImport,
    patch: NeedPatch,
    content: needContent,
    view: NeedView,
  });
  postingOperations<OfferContent>(api, {
    kind: 'offer',
    service: deps.offers,
    create: OfferCreate,
    upsert: OfferUpsert,
    import: OfferImport,
    patch: OfferPatch,
    content: offerContent,
    view: OfferView,
  });
}
