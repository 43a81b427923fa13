import { Api, type ReadinessCheck, serviceApp, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { coordinatorOperations } from './http/coordinators';
import { identityOperations } from './http/identity';
import { organisationOperations } from './http/organisations';
import { verificationOperations } from './http/verification';
import type { Ctx } from './usecases/context';

export interface AppDeps extends Ctx {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  /** Token verification: this service's own keys in-process, or an OIDC provider's JWKS. */
  verify: TokenVerifier;
}

/** Largest JSON body: an organisation is a few KiB. */
export const BODY_LIMIT = '256kb';
/** An import request: up to IMPORT_MAX organisations of a few KiB. */
export const IMPORT_BODY_LIMIT = '16mb';

/** The profiles service's operations, as its OpenAPI document describes them. */
export function profilesApi(deps: Omit<AppDeps, 'logger' | 'readiness'>): Api {
  const api = new Api(
    {
      title: 'Mutirão profiles',
      version: '1',
      description:
        'Organisations, their members and their SSE verification; the embedded token issuer (sign-in, JWKS).',
    },
    deps.verify,
  );
  identityOperations(api, deps);
  coordinatorOperations(api, deps);
  organisationOperations(api, deps);
  verificationOperations(api, deps);
  return api;
}

/** The express app of the profiles service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return serviceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    api: profilesApi(deps),
    bodyLimit: BODY_LIMIT,
    largeBodies: [{ path: '/organisations/import', limit: IMPORT_BODY_LIMIT }],
  });
}
