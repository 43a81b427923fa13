import { parse, principalOf, requireAuth, type TokenVerifier } from '@mutirao/http';
import { type Request, Router } from 'express';
import type { z } from 'zod';
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
    ...(i.confidentialNotes !== undefined ? { confidentialNotes: i.confidentialNotes } : {}),
  };
}

interface KindSpec<C extends Content> {
  path: string;
  service: PostingService<C>;
  create: z.ZodType<{ expiresAt: Date; status: 'draft' | 'open'; ref?: string; organisationId?: string }>;
  upsert: z.ZodType<{ expiresAt: Date; status: 'draft' | 'open'; organisationId: string }>;
  import: z.ZodType<{
    items: { expiresAt: Date; status: 'draft' | 'open'; organisationId: string; ref: string }[];
  }>;
  patch: z.ZodType<{ expiresAt?: Date }>;
  content: (input: never) => C;
}

const id = (req: Request): string => String(req.params.id);
const body = (req: Request): unknown => req.body ?? {};

/** Routes of one kind of posting: thin, they parse with zod and call the use cases. */
function postingRoutes<C extends Content>(spec: KindSpec<C>, verify: TokenVerifier): Router {
  const r = Router();
  const { path, service } = spec;
  const content = spec.content as (input: unknown) => C;
  r.use(path, requireAuth(verify));

  r.get(path, async (req, res) => {
    const q = parse(SearchQuery, req.query, 'query');
    res.json(await service.search(principalOf(req), q));
  });

  r.post(path, async (req, res) => {
    const input = parse(spec.create, body(req));
    const { expiresAt, status, ref, organisationId, ...rest } = input;
    const view = await service.create(principalOf(req), {
      content: content(rest),
      expiresAt,
      status,
      ...(ref !== undefined ? { ref } : {}),
      ...(organisationId !== undefined ? { organisationId } : {}),
    });
    res.status(201).location(`${path}/${view.id}`).json(view);
  });

  r.put(`${path}/by-ref/:ref`, async (req, res) => {
    const ref = parse(RefParam, req.params.ref, 'ref');
    const { expiresAt, status, organisationId, ...rest } = parse(spec.upsert, body(req));
    const out = await service.upsertByRef(principalOf(req), ref, {
      content: content(rest),
      expiresAt,
      status,
      organisationId,
    });
    res.status(out.result === 'created' ? 201 : 200).json(out);
  });

  /** The importer's batch: every item checked before any is written (see `importMany`). */
  r.post(`${path}/import`, async (req, res) => {
    const { items } = parse(spec.import, body(req));
    const results = await service.importMany(
      principalOf(req),
      items.map(({ expiresAt, status, organisationId, ref, ...rest }) => ({
        ref,
        content: content(rest),
        expiresAt,
        status,
        organisationId,
      })),
    );
    res.json({ results });
  });

  r.get(`${path}/by-ref/:ref`, async (req, res) => {
    const ref = parse(RefParam, req.params.ref, 'ref');
    res.json(await service.getByRef(principalOf(req), ref));
  });

  r.get(`${path}/:id`, async (req, res) => {
    res.json(await service.get(principalOf(req), id(req)));
  });

  r.patch(`${path}/:id`, async (req, res) => {
    const { expiresAt, ...patch } = parse(spec.patch, body(req));
    res.json(await service.update(principalOf(req), id(req), patch as ContentPatch<C>, expiresAt));
  });

  for (const action of ['publish', 'withdraw', 'close'] as const) {
    r.post(`${path}/:id/${action}`, async (req, res) => {
      parse(NoBody, body(req));
      res.json(await service.transition(principalOf(req), id(req), { type: action }));
    });
  }

  r.post(`${path}/:id/renew`, async (req, res) => {
    const { expiresAt } = parse(Renew, body(req));
    res.json(await service.transition(principalOf(req), id(req), { type: 'renew', expiresAt }));
  });
  return r;
}

export function exchangeRoutes(deps: {
  needs: PostingService<NeedContent>;
  offers: PostingService<OfferContent>;
  verify: TokenVerifier;
}): Router[] {
  return [
    postingRoutes<NeedContent>(
      {
        path: '/needs',
        service: deps.needs,
        create: NeedCreate,
        upsert: NeedUpsert,
        import: NeedImport,
        patch: NeedPatch,
        content: needContent,
      },
      deps.verify,
    ),
    postingRoutes<OfferContent>(
      {
        path: '/offers',
        service: deps.offers,
        create: OfferCreate,
        upsert: OfferUpsert,
        import: OfferImport,
        patch: OfferPatch,
        content: offerContent,
      },
      deps.verify,
    ),
  ];
}
