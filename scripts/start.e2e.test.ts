import { readdirSync, readFileSync } from 'node:fs';
import { eventually, startSystem, testEnv } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';

const env = testEnv();

async function answers(url: string): Promise<number | undefined> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status;
  } catch {
    return undefined;
  }
}

/** The service process started with this PORT (its environment says so). */
function pidOnPort(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('src/main.ts') && environ.includes(`PORT=${port}`)) return Number(entry);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

describe('npm start', () => {
  it('brings up the six services behind the web server, starts a killed one again, and Ctrl-C stops them all', async () => {
    const system = await startSystem(env);
    const { web, profiles, exchange, matching, notifications, followup } = system.ports;
    try {
      for (const service of ['profiles', 'exchange', 'matching', 'notifications', 'followup']) {
        const res = await fetch(`${system.webUrl}/api/${service}/readyz`);
        expect(res.status, service).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'up', kafka: 'up' } });
      }
      expect(await answers(`${system.webUrl}/readyz`)).toBe(200);
      const missing = await fetch(`${system.webUrl}/api/exchange/no-such-route`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/);

      // A service that dies once everything runs is started again.
      const pid = pidOnPort(exchange);
      expect(pid).toBeDefined();
      process.kill(pid as number, 'SIGKILL');
      await eventually(
        async () =>
          (await answers(`${system.webUrl}/api/exchange/readyz`)) === 200 && pidOnPort(exchange) !== pid,
        {
          what: 'the exchange started again',
          timeoutMs: 30_000,
        },
      );
      expect(system.output()).toMatch(/exchange exited \(SIGKILL\); restarting it/);
    } finally {
      expect(await system.stop()).toBe(0);
    }
    // A normal start and Ctrl-C say nothing at error level (pino's 50 and up), and no warning of
    // Node's own.
    const lines = system.output().split('\n');
    const errors = lines.filter((l) => /^\{.*"level":(5\d|60)/.test(l));
    expect(errors).toEqual([]);
    expect(lines.filter((l) => /Warning:|ELIFECYCLE/.test(l))).toEqual([]);
    for (const port of [web, profiles, exchange, matching, notifications, followup]) {
      expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBeUndefined();
    }
  });
});
