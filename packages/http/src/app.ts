import type { Logger } from '@mutirao/telemetry';
import express, { type Express, type Router } from 'express';
import { z } from 'zod';
import type { Api } from './api';
import { healthOperations, healthRoutes, type ReadinessCheck } from './health';
import { notFoundHandler, problemMiddleware } from './problem';

export interface BaseAppOptions {
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
  routes?: Router[];
  /** Largest accepted JSON body. */
  bodyLimit?: string;
  /** Larger limits for some paths (batch imports). */
  largeBodies?: { path: string | RegExp; limit: string }[];
}

/** The express app every service starts from: JSON bodies, health, routes, problem+json. */
export function baseApp(opts: BaseAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // A body parsed by a path's own parser is not parsed again by the general one.
  for (const b of opts.largeBodies ?? []) app.use(b.path, express.json({ limit: b.limit, strict: true }));
  app.use(express.json({ limit: opts.bodyLimit ?? '256kb', strict: true }));
  app.use(healthRoutes(opts.readiness));
  for (const r of opts.routes ?? []) app.use(r);
  app.use(notFoundHandler);
  app.use(problemMiddleware(opts.logger));
  return app;
}

export interface ServiceAppOptions {
  logger: Logger;
  readiness: Record<string, ReadinessCheck>;
  /** The service's operations; health and `/openapi.json` are added to them. */
  api: Api;
  bodyLimit?: string;
  largeBodies?: { path: string | RegExp; limit: string }[];
}

/**
 * The express app of a service declared as an `Api`: JSON bodies, the operations (health and
 * `GET /openapi.json`, the document of all of them, included), 404 and problem+json.
 */
export function serviceApp(opts: ServiceAppOptions): Express {
  healthOperations(opts.api, opts.readiness);
  let document: unknown;
  opts.api.op({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tags: ['health'],
    access: 'anyone',
    responses: { 200: { description: 'the document', schema: z.record(z.string(), z.unknown()) } },
    handle: () => {
      document ??= opts.api.document();
      return document;
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  for (const b of opts.largeBodies ?? []) app.use(b.path, express.json({ limit: b.limit, strict: true }));
  app.use(express.json({ limit: opts.bodyLimit ?? '256kb', strict: true }));
  app.use(opts.api.router());
  app.use(notFoundHandler);
  app.use(problemMiddleware(opts.logger));
  return app;
}
