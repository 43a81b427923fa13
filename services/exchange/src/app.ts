import { baseApp, type ReadinessCheck, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { NeedContent, OfferContent } from './domain/types';
import { exchangeRoutes } from './http/routes';
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

/** The express app of the exchange service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return baseApp({
    logger: deps.logger,
    readiness: deps.readiness,
    bodyLimit: BODY_LIMIT,
    largeBodies: [{ path: /^\/(needs|offers)\/import$/, limit: IMPORT_BODY_LIMIT }],
    routes: exchangeRoutes(deps),
  });
}
