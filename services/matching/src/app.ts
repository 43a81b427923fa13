import { Api, type ReadinessCheck, serviceApp, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { matchingOperations, type RouteDeps } from './http/routes';

export interface AppDeps extends RouteDeps {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  verify: TokenVerifier;
}

/** The matching service's operations, as its OpenAPI document describes them. */
export function matchingApi(deps: Omit<AppDeps, 'logger' | 'readiness'>): Api {
  const api = new Api(
    {
      title: 'Mutirão matching',
      version: '1',
      description:
        'Proposals of partnerships between needs and offers: the review queue, coordinators’ decisions, the parties’ consent, progress and export.',
    },
    deps.verify,
  );
  matchingOperations(api, deps);
  return api;
}

/** The express app of the matching service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return serviceApp({ logger: deps.logger, readiness: deps.readiness, api: matchingApi(deps) });
}
