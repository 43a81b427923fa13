import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, testEnv } from '@mutirao/testing';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/scripts/infra';

const env = testEnv();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function answers(url: string): Promise<number | undefined> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status;
  } catch {
    return undefined;
  }
}

describe('npm start', () => {
  it('brings up the four services behind the web server, and Ctrl-C stops them all', async () => {
    const [web, profiles, exchange, matching] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        MONGO_URL: env.mongoUrl,
        MONGO_DB_PREFIX: env.dbName,
        TOPIC_PREFIX: env.topicPrefix,
        WEB_PORT: String(web),
        PROFILES_PORT: String(profiles),
        EXCHANGE_PORT: String(exchange),
        MATCHING_PORT: String(matching),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => output.includes('Mutirão is running'), {
        timeoutMs: 90_000,
        what: `start (output: ${output})`,
      });
      for (const service of ['profiles', 'exchange', 'matching']) {
        const res = await fetch(`http://127.0.0.1:${web}/api/${service}/readyz`);
        expect(res.status, service).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ready', checks: { database: 'up', kafka: 'up' } });
      }
      expect(await answers(`http://127.0.0.1:${web}/readyz`)).toBe(200);
      const missing = await fetch(`http://127.0.0.1:${web}/api/exchange/no-such-route`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/problem\+json/);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    for (const port of [web, profiles, exchange, matching])
      expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBeUndefined();
  });
});
