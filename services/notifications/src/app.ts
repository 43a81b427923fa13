import { Api, type ReadinessCheck, serviceApp, type TokenVerifier } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import { notificationOperations } from './http/routes';
import type { People } from './usecases/people';

export interface AppDeps {
  logger: Logger;
  readiness: { database: ReadinessCheck; kafka: ReadinessCheck };
  people: People;
  verify: TokenVerifier;
}

export function notificationsApi(deps: Pick<AppDeps, 'people' | 'verify'>): Api {
  const api = new Api(
    {
      title: 'Mutirão notifications',
      version: '1',
      description:
        'In-app notifications, channel preferences per kind, and the one-click unsubscribe links of the mails.',
    },
    deps.verify,
  );
  notificationOperations(api, deps.people);
  return api;
}

/** The express app of the notifications service, without listening. */
export function buildApp(deps: AppDeps): Express {
  return serviceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    api: notificationsApi(deps),
    bodyLimit: '16kb',
  });
}
