import { baseApp, type ReadinessCheck, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { identityRoutes } from './http/identity';
import { openApiRoutes } from './http/openapi';
import { organisationRoutes } from './http/organisations';
import { verificationRoutes } from './http/verification';
import type { Ctx } from './usecases/context';

export interface AppDeps extends Ctx {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  /** Token verification: this service's own keys in-process, or an OIDC provider's JWKS. */
  verify: TokenVerifier;
}

/** The express app of the profiles service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return baseApp({
    logger: deps.logger,
    readiness: deps.readiness,
    // An import request: up to 1,000 organisations of a few KiB.
    largeBodies: [{ path: '/organisations/import', limit: '16mb' }],
    routes: [
      identityRoutes(deps, deps.verify),
      organisationRoutes(deps, deps.verify),
      verificationRoutes(deps, deps.verify),
      openApiRoutes(),
    ],
  });
}
