import { Router } from 'express';

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
