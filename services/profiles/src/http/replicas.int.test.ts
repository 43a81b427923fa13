import { eventually } from '@mutirao/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test-harness';

// Two instances of profiles on one database and one organisation topic, as behind a load
// balancer. Each is asked only after the other's write has returned: on FerretDB two writers of
// one document are not safe, and the store is not what is tested here, the lists are.
let h: Harness;
let b: Awaited<ReturnType<Harness['replica']>>;
let admin: string;
let westAfrica: string;
let southAmerica: string;

beforeAll(async () => {
  h = await startHarness({ followOtherInstances: true });
  b = await h.replica();
  [admin, westAfrica, southAmerica] = await Promise.all([
    h.staff('admin'),
    h.staff('coordinator', ['Western Africa']),
    h.staff('coordinator', ['South America']),
  ]);
});
afterAll(async () => {
  await b?.stop();
  await h?.stop();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every id of a list, through all its pages. */
async function listed(app: Express, path: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await request(app)
      .get(path)
      .query({ limit: 100, ...(cursor ? { cursor } : {}) })
      .set(as(token));
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((o: { id: string }) => o.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
}

/** Until both instances give the same list, which must pass `check`. */
const sameOnBoth = (path: string, token: string, check: (ids: string[]) => boolean, what: string) =>
  eventually(
    async () => {
      const [a, bb] = await Promise.all([listed(h.app, path, token), listed(b.app, path, token)]);
      return JSON.stringify(a) === JSON.stringify(bb) && check(a) ? a : undefined;
    },
    { timeoutMs: 10_000, what },
  );

describe('several profiles instances', () => {
  it("lists an organisation registered through one in the other's lists and queue", async () => {
    const { orgId } = await h.register({ country: 'SN', languages: ['fr'] });
    await sameOnBoth('/organisations', admin, (ids) => ids.includes(orgId), "A's organisation on B");
    await sameOnBoth('/verification/queue', westAfrica, (ids) => ids.includes(orgId), 'in the queue');
    expect(await listed(b.app, '/verification/queue', southAmerica)).not.toContain(orgId);
  });

  it("follows a decline and a new country written through the second in the first's lists", async () => {
    const { orgId, token } = await h.register({ country: 'SN', languages: ['fr'] });
    await sameOnBoth('/verification/queue', westAfrica, (ids) => ids.includes(orgId), 'in the queue');

    await request(b.app)
      .patch(`/organisations/${orgId}`)
      .set(as(token))
      .send({ country: 'PE', languages: ['es'] })
      .expect(200);
    await sameOnBoth('/organisations', southAmerica, (ids) => ids.includes(orgId), 'moved to Peru');
    await sameOnBoth('/organisations', westAfrica, (ids) => !ids.includes(orgId), 'gone from Senegal');

    await request(b.app)
      .post(`/organisations/${orgId}/verification/decline`)
      .set(as(southAmerica))
      .send({ note: 'not an SSE entity' })
      .expect(200);
    await sameOnBoth('/verification/queue', southAmerica, (ids) => !ids.includes(orgId), 'declined');
    // Still an organisation of the region, in both lists.
    await sameOnBoth('/organisations', southAmerica, (ids) => ids.includes(orgId), 'still listed');
  });

  it('misses nothing registered while another instance starts', async () => {
    const registered: string[] = [];
    const registering = (async () => {
      for (let i = 0; i < 10; i++) registered.push((await h.register({ country: 'GH' })).orgId);
    })();
    const c = await h.replica();
    try {
      await registering;
      const expected = JSON.stringify(await listed(h.app, '/organisations', admin));
      expect(JSON.parse(expected)).toEqual(expect.arrayContaining(registered));
      await eventually(
        async () => JSON.stringify(await listed(c.app, '/organisations', admin)) === expected,
        {
          timeoutMs: 10_000,
          what: 'every organisation on the instance started meanwhile',
        },
      );
    } finally {
      await c.stop();
    }
  });
});
