import { Api, type ReadinessCheck, serviceApp, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { followupOperations, type RouteDeps } from './http/routes';

export interface AppDeps extends RouteDeps {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  verify: TokenVerifier;
}

/** A report is a few KiB of story and numbers. */
export const BODY_LIMIT = '64kb';

/** The follow-up's operations, as its OpenAPI document describes them. */
export function followupApi(deps: Pick<AppDeps, 'partnerships' | 'iati' | 'verify'>): Api {
  const api = new Api(
    {
      title: 'Mutirão follow-up',
      version: '1',
      description:
        'Partnerships after the agreement: status, outcome reports, the coordinator’s comments and late reports, the IATI export.',
    },
    deps.verify,
  );
  followupOperations(api, deps);
  return api;
}

/** The express app of the follow-up service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return serviceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    api: followupApi(deps),
    bodyLimit: BODY_LIMIT,
  });
}
