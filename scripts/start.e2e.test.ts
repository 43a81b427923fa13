import { startSystem, testEnv } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';

const env = testEnv();

async function answers(url: string): Promise<number | undefined> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status;
  } catch {
    return undefined;
  }
}

describe('npm start', () => {
  it('brings up the four services behind the web server, and Ctrl-C stops them all', async () => {
    const system = await startSystem(env);
    const { web, profiles, exchange, matching } = system.ports;
    try {
      for (const service of ['profiles', 'exchange', 'matching']) {
        const res = await fetch(`${system.webUrl}/api/${service}/readyz`);
        expect(res.status, service).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'up', kafka: 'up' } });
      }
      expect(await answers(`${system.webUrl}/readyz`)).toBe(200);
      const missing = await fetch(`${system.webUrl}/api/exchange/no-such-route`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      expect(await system.stop()).toBe(0);
    }
    // A normal start and Ctrl-C say nothing at error level (pino's 50 and up), and no warning of
    // Node's own.
    const lines = system.output().split('\n');
    const errors = lines.filter((l) => /^\{.*"level":(5\d|60)/.test(l));
    expect(errors).toEqual([]);
    expect(lines.filter((l) => /Warning:|ELIFECYCLE/.test(l))).toEqual([]);
    for (const port of [web, profiles, exchange, matching]) {
      expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBeUndefined();
    }
  });
});
