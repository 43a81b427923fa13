import { createLogger } from '@mutirao/telemetry';
import { testEnv } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from './mongo';
import { claimSoleWriter, isFerretDB, SecondInstanceError } from './sole';

const env = testEnv();
const logger = createLogger('sole-test', 'silent');
let conn: Connection;

beforeAll(async () => {
  conn = await connectMongo(env.mongoUrl, env.dbName);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('one writer per service on the embedded FerretDB', () => {
  it('refuses a second instance while the first runs, with who holds the store and what to do', async (ctx) => {
    if (!(await isFerretDB(conn))) ctx.skip(); // on MongoDB nothing is claimed
    const first = await claimSoleWriter(conn, 'svc-a', { logger, host: 'h1', pid: 101, alive: () => true });
    const second = claimSoleWriter(conn, 'svc-a', { logger, host: 'h1', pid: 202, alive: () => true });
    await expect(second).rejects.toThrow(SecondInstanceError);
    await expect(second).rejects.toThrow(
      /Another svc-a instance \(pid 101 on h1.*use MongoDB \(docs\/scaling\.md\)/,
    );
    // Another service is not held back.
    const other = await claimSoleWriter(conn, 'svc-b', { logger, host: 'h1', pid: 202, alive: () => true });
    await first.release();
    const after = await claimSoleWriter(conn, 'svc-a', { logger, host: 'h1', pid: 202, alive: () => true });
    await after.release();
    await other.release();
  });

  it('takes over the lease of a process of this host that died, at once', async (ctx) => {
    if (!(await isFerretDB(conn))) ctx.skip();
    await claimSoleWriter(conn, 'svc-c', { logger, host: 'h1', pid: 101, alive: () => true });
    // 101 was killed without releasing.
    const next = await claimSoleWriter(conn, 'svc-c', {
      logger,
      host: 'h1',
      pid: 303,
      alive: (pid) => pid !== 101,
    });
    await expect(
      claimSoleWriter(conn, 'svc-c', { logger, host: 'h1', pid: 404, alive: (pid) => pid !== 101 }),
    ).rejects.toThrow(/pid 303 on h1/);
    await next.release();
  });

  it('takes over a lease from another host once its heartbeat is stale, and not before', async (ctx) => {
    if (!(await isFerretDB(conn))) ctx.skip();
    const opts = { logger, heartbeatMs: 100, staleMs: 1_000 };
    const holder = await claimSoleWriter(conn, 'svc-d', { ...opts, host: 'h1', pid: 1 });
    // While it beats, it holds: well past staleMs.
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(claimSoleWriter(conn, 'svc-d', { ...opts, host: 'h2', pid: 1 })).rejects.toThrow(/on h1/);
    // It stops beating (a machine gone) without releasing: the lease is free once stale.
    await holder.stopBeatingForTest();
    await new Promise((r) => setTimeout(r, 1_500));
    const next = await claimSoleWriter(conn, 'svc-d', { ...opts, host: 'h2', pid: 1 });
    await next.release();
  });
});
