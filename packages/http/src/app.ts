import type { Logger } from '@mutirao/telemetry';
import express, { type Express, type Router } from 'express';
import { healthRoutes, type ReadinessCheck } from './health';
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
