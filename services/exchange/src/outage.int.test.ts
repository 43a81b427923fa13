import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOptions, ensureFerretdb } from '@mutirao/infra';
import { eventually, freePort } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startExchange } from '../test/harness';

/**
 * The database stops answering under a running service: requests get a 503 with Retry-After
 * within about two seconds, not a 500 after ten. The exchange runs against a FerretDB of this
 * test's own (the project's build), which the test kills.
 */
let ferret: ChildProcess;
let h: Harness;
let member: string;

beforeAll(async () => {
  const port = await freePort();
  ferret = spawn(
    ensureFerretdb(defaultOptions()),
    ['-listen', `127.0.0.1:${port}`, '-dir', mkdtempSync(join(tmpdir(), 'mutirao-outage-'))],
    { stdio: 'ignore' },
  );
  const url = `mongodb://127.0.0.1:${port}`;
  await eventually(
    async () => {
      const { MongoClient } = await import('mongodb');
      const c = new MongoClient(url, { serverSelectionTimeoutMS: 500 });
      try {
        await c.connect();
        return true;
      } finally {
        await c.close();
      }
    },
    { what: 'the test FerretDB', timeoutMs: 30_000 },
  );
  h = await startExchange({ mongoUrl: url });
  member = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
});

afterAll(async () => {
  ferret?.kill('SIGKILL');
  await h?.stop().catch(() => undefined);
});

describe('a database that stops answering', () => {
  it('makes requests a 503 with Retry-After within about two seconds', async () => {
    const before = await request(h.exchange.app)
      .get('/needs/no-such-need')
      .set('Authorization', `Bearer ${member}`);
    expect(before.status).toBe(404);
    ferret.kill('SIGKILL');
    await new Promise<void>((resolve) => ferret.once('exit', () => resolve()));
    const started = Date.now();
    const during = await request(h.exchange.app)
      .get('/needs/no-such-need')
      .set('Authorization', `Bearer ${member}`);
    const took = Date.now() - started;
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toBe('2');
    expect(during.headers['content-type']).toMatch(/problem\+json/);
    expect(during.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    // The driver gives up after 2 s (serverSelectionTimeoutMS); the old 10 s would fail this.
    expect(took).toBeLessThan(5_000);
  });
});
