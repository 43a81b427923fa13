import { fileURLToPath } from 'node:url';
import { healthRoutes, notFoundHandler, problemMiddleware } from '@mutirao/http';
import type { Logger } from '@mutirao/telemetry';
import express, { type Express } from 'express';
import { type Assets, loadAssets, serveAssets } from './assets';
import type { Config } from './config';
import { proxyTo } from './proxy';
import { buildAllVocab } from './vocab';

export interface AppDeps {
  config: Pick<
    Config,
    'PROFILES_URL' | 'EXCHANGE_URL' | 'MATCHING_URL' | 'NOTIFICATIONS_URL' | 'FOLLOWUP_URL'
  >;
  logger: Logger;
  /** Asks one upstream `/readyz`; injectable for tests. */
  fetchReady?: (url: string) => Promise<boolean>;
  /** The pages and vocabularies, compressed; loaded from `public/` when not given. */
  assets?: Assets;
}

const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

async function upstreamReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** `public/` plus one vocabulary document per UI language at `vocab/<lang>.json`. */
export function loadPublicAssets(): Assets {
  const vocab = Object.fromEntries([...buildAllVocab()].map(([lang, json]) => [`vocab/${lang}.json`, json]));
  return loadAssets(PUBLIC_DIR, vocab);
}

/** The web server: one address for the pages and the five services' APIs. */
export function buildApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const ready = deps.fetchReady ?? upstreamReady;
  const upstreams = {
    profiles: config.PROFILES_URL,
    exchange: config.EXCHANGE_URL,
    matching: config.MATCHING_URL,
    notifications: config.NOTIFICATIONS_URL,
    followup: config.FOLLOWUP_URL,
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // The web server is ready when the services behind it are.
  app.use(
    healthRoutes(
      Object.fromEntries(Object.entries(upstreams).map(([name, url]) => [name, () => ready(url)])),
    ),
  );
  for (const [name, url] of Object.entries(upstreams)) app.use(`/api/${name}`, proxyTo(url, name, logger));
  app.use(serveAssets(deps.assets ?? loadPublicAssets()));
  app.use(notFoundHandler);
  app.use(problemMiddleware(logger));
  return app;
}
