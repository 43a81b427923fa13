import { Router } from 'express';
import { z } from 'zod';
import { type Api, Reply } from './api';

export type ReadinessCheck = () => boolean | Promise<boolean>;

/**
 * `/healthz`: the process answers. `/readyz`: every dependency (Kafka, the database) is
 * connected; 503 names the ones that are not.
 */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await Promise.resolve(check()).catch(() => false)] as const,
      ),
    );
    const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
    res.status(failing.length ? 503 : 200).json({
      status: failing.length ? 'not ready' : 'ready',
      checks: Object.fromEntries(results.map(([n, ok]) => [n, ok ? 'up' : 'down'])),
    });
  });
  return router;
}

const Readiness = z
  .object({
    status: z.enum(['ready', 'not ready']),
    checks: z.record(z.string(), z.enum(['up', 'down'])),
  })
  .meta({ id: 'Readiness' });

/** `healthRoutes` as operations of the service's API (so they are in its OpenAPI document). */
export function healthOperations(api: Api, checks: Record<string, ReadinessCheck>): void {
  api.op({
    method: 'get',
    path: '/healthz',
    summary: 'The process answers',
    tags: ['health'],
    access: 'anyone',
    responses: { 200: { description: 'alive', schema: z.object({ status: z.literal('ok') }) } },
    handle: () => ({ status: 'ok' }),
  });
  api.op({
    method: 'get',
    path: '/readyz',
    summary: 'Every dependency (the database, Kafka) is connected',
    tags: ['health'],
    access: 'anyone',
    responses: {
      200: { description: 'ready', schema: Readiness },
      503: { description: 'not ready: the checks that are down', schema: Readiness },
    },
    handle: async () => {
      const results = await Promise.all(
        Object.entries(checks).map(
          async ([name, check]) => [name, await Promise.resolve(check()).catch(() => false)] as const,
        ),
      );
      const failing = results.filter(([, ok]) => !ok);
      const body = {
        status: failing.length ? 'not ready' : 'ready',
        checks: Object.fromEntries(results.map(([n, ok]) => [n, ok ? 'up' : 'down'])),
      };
      return failing.length ? new Reply(503, body) : body;
    },
  });
}
