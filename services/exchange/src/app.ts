import { Api, type ReadinessCheck, serviceApp, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { NeedContent, OfferContent } from './domain/types';
import { exchangeOperations } from './http/routes';
import type { PostingService } from './usecases/postings';

export interface AppDeps {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  needs: PostingService<NeedContent>;
  offers: PostingService<OfferContent>;
  verify: TokenVerifier;
}

/** Largest JSON body: a posting is a few KiB; anything near this is a mistake or an attack. */
export const BODY_LIMIT = '64kb';
/** An import request: up to IMPORT_MAX postings of a few KiB. */
export const IMPORT_BODY_LIMIT = '16mb';

/** The exchange's operations, as its OpenAPI document describes them. */
export function exchangeApi(deps: Pick<AppDeps, 'needs' | 'offers' | 'verify'>): Api {
  const api = new Api(
    {
      title: 'Mutirão exchange',
      version: '1',
      description: 'Needs and offers of the exchange: posting, lifecycle, expiry, import by reference.',
    },
    deps.verify,
  );
  exchangeOperations(api, deps);
  return api;
}

/** The express app of the exchange service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return serviceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    api: exchangeApi(deps),
    bodyLimit: BODY_LIMIT,
    largeBodies: [{ path: /^\/(needs|offers)\/import$/, limit: IMPORT_BODY_LIMIT }],
  });
}
