import { baseApp, type ReadinessCheck } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { proposalRoutes, type RouteDeps } from './http/routes';

export interface AppDeps extends RouteDeps {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
}

/** The express app of the matching service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return baseApp({ logger: deps.logger, readiness: deps.readiness, routes: [proposalRoutes(deps)] });
}
