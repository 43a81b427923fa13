import { connectMongo } from '@mutirao/outbox';
import { anOrganisationSnapshot, testEnv } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OrganisationRepo } from './organisations';

const env = testEnv();
let conn: Connection;

beforeAll(async () => {
  conn = await connectMongo(env.mongoUrl, env.dbName);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('the organisations held in memory', () => {
  it('answer every post from memory, kept current by the events this instance sees', async () => {
    const orgs = new OrganisationRepo(conn);
    await orgs.applyMany([anOrganisationSnapshot({ id: 'o-held', verification: 'pending' })]);
    const reads = vi.spyOn(conn.models.Organisation as never, 'findById');
    for (let i = 0; i < 5; i++) expect((await orgs.get('o-held'))?.verification).toBe('pending');
    // Another instance applied a newer revision; this one sees it on the topic it follows.
    orgs.refresh([anOrganisationSnapshot({ id: 'o-held', revision: 2, verification: 'verified' })]);
    expect((await orgs.get('o-held'))?.verification).toBe('verified');
    // An older revision seen late changes nothing.
    orgs.refresh([anOrganisationSnapshot({ id: 'o-held', revision: 1, verification: 'revoked' })]);
    expect((await orgs.get('o-held'))?.verification).toBe('verified');
    expect(reads).not.toHaveBeenCalled();
    // A minute on, an entry is read again from the store.
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ['Date'] });
    try {
      await orgs.get('o-held');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
