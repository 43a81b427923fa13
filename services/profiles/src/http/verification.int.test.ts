import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { someFields } from '../domain/factories';
import { CRITERIA } from '../domain/organisation';
import { type Harness, startHarness } from '../test-harness';

let h: Harness;
let westAfrica: string;
let southAmerica: string;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  [westAfrica, southAmerica, admin] = await Promise.all([
    h.staff('coordinator', ['Western Africa']),
    h.staff('coordinator', ['South America']),
    h.staff('admin'),
  ]);
});
afterAll(async () => {
  await h.stop();
});

const senegal = { country: 'SN', languages: ['fr', 'wo'] };
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const criterion = (id: string, token: string, name: string, met = true) =>
  request(h.app)
    .put(`/organisations/${id}/verification/criteria/${name}`)
    .set(as(token))
    .send({ met, note: `checked ${name}` });
const decide = (id: string, token: string, action: 'verify' | 'decline' | 'revoke', note = '') =>
  request(h.app)
    .post(`/organisations/${id}/verification/${action}`)
    .set(as(token))
    .send(note ? { note } : {});

describe('the verification queue', () => {
  it("lists pending organisations within the coordinator's regions only, with a cursor", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await h.register(senegal)).orgId);
    const peru = (await h.register({ country: 'PE', languages: ['es'] })).orgId;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/verification/queue')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(as(westAfrica))
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const o of res.body.items) {
        expect(o.country).toBe('SN');
        expect(o.contact).toBeDefined();
        seen.push(o.id);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(seen).not.toContain(peru);
    const southAm = await request(h.app).get('/verification/queue').set(as(southAmerica)).expect(200);
    expect(southAm.body.items.map((o: { id: string }) => o.id)).toContain(peru);
  });

  it('caps the page size, and is closed to members', async () => {
    const big = await request(h.app)
      .get('/verification/queue')
      .query({ limit: 100000 })
      .set(as(admin))
      .expect(200);
    expect(big.body.items.length).toBeLessThanOrEqual(100);
    const { token } = await h.register(senegal);
    const res = await request(h.app).get('/verification/queue').set(as(token));
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/coordinator or admin role/);
  });
});

describe('verifying an SSE entity', () => {
  it('records the five criteria, verifies within the region, and revokes: events with revisions 1, 2, 3', async () => {
    const { orgId, token } = await h.register(senegal);
    for (const name of CRITERIA.slice(0, 4)) await criterion(orgId, westAfrica, name).expect(200);
    const early = await decide(orgId, westAfrica, 'verify');
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/people-over-capital \(not assessed\)/);
    await criterion(orgId, westAfrica, 'people-over-capital', false).expect(200);
    expect((await decide(orgId, westAfrica, 'verify')).body.detail).toMatch(
      /people-over-capital \(not met\)/,
    );
    await criterion(orgId, westAfrica, 'people-over-capital').expect(200);
    const ok = await decide(orgId, westAfrica, 'verify', 'visited the assembly').expect(200);
    expect(ok.body).toMatchObject({
      status: 'verified',
      revision: 2,
      unmet: [],
      decision: { note: 'visited the assembly' },
    });

    // The organisation sees its own review; its snapshot says verified.
    const own = await request(h.app).get(`/organisations/${orgId}/verification`).set(as(token)).expect(200);
    expect(own.body.criteria).toHaveLength(5);
    await decide(orgId, westAfrica, 'revoke', 'the members sold the cooperative').expect(200);
    expect(await h.eventsOf(orgId, 3)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
      { type: 'verified', revision: 2, verification: 'verified' },
      { type: 'verification-revoked', revision: 3, verification: 'revoked' },
    ]);
  });

  it('forbids a coordinator outside its regions, changing nothing', async () => {
    const { orgId } = await h.register(senegal);
    const before = await h.stores.organisations.get(orgId);
    const rec = await criterion(orgId, southAmerica, 'voluntary-cooperation');
    expect(rec.status).toBe(403);
    expect(rec.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(rec.body.detail).toMatch(/SN is outside your regions \(South America\)/);
    expect((await decide(orgId, southAmerica, 'decline', 'no')).status).toBe(403);
    expect(
      (await request(h.app).get(`/organisations/${orgId}/verification`).set(as(southAmerica))).status,
    ).toBe(403);
    expect(await h.stores.organisations.get(orgId)).toEqual(before);
  });

  it('refuses a member acting as coordinator, and an unknown criterion', async () => {
    const { orgId, token } = await h.register(senegal);
    expect((await criterion(orgId, token, 'voluntary-cooperation')).status).toBe(403);
    const bad = await criterion(orgId, westAfrica, 'good-vibes');
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/unknown criterion "good-vibes"/);
    const extra = await request(h.app)
      .put(`/organisations/${orgId}/verification/criteria/voluntary-cooperation`)
      .set(as(westAfrica))
      .send({ met: true, note: 'x', score: 5 });
    expect(extra.status).toBe(400);
    expect(extra.body.errors).toEqual([{ path: '(body)', message: 'unknown field(s): score' }]);
    expect((await h.stores.organisations.get(orgId))?.verification.criteria).toEqual([]);
  });

  it('declines with a note, as an updated event; an edit resubmits it to the queue', async () => {
    const { orgId, token } = await h.register(senegal);
    expect((await decide(orgId, westAfrica, 'decline')).status).toBe(400);
    await decide(orgId, westAfrica, 'decline', 'owned by one family').expect(200);
    await request(h.app)
      .patch(`/organisations/${orgId}`)
      .set(as(token))
      .send({ description: 'now 30 members' })
      .expect(200);
    expect(await h.eventsOf(orgId, 3)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
      { type: 'updated', revision: 2, verification: 'declined' },
      { type: 'updated', revision: 3, verification: 'pending' },
    ]);
  });
});

describe('editing a verified organisation', () => {
  const queued = async (token: string) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(h.app)
        .get('/verification/queue')
        .query({ limit: 100, ...(cursor ? { cursor } : {}) })
        .set(as(token))
        .expect(200);
      ids.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return ids;
  };
  const edit = (id: string, token: string, body: object) =>
    request(h.app).patch(`/organisations/${id}`).set(as(token)).send(body);

  it('keeps the verification for contact and description; a judged field sends it back to its region’s queue', async () => {
    const { orgId, token } = await h.register(senegal);
    for (const name of CRITERIA) await criterion(orgId, westAfrica, name).expect(200);
    await decide(orgId, westAfrica, 'verify').expect(200);
    expect(await queued(westAfrica)).not.toContain(orgId);

    const kept = await edit(orgId, token, {
      description: 'Now 40 members.',
      contact: { email: 'new@coop.example', phone: '+221 33 000 00 00' },
      languages: ['fr'],
    }).expect(200);
    expect(kept.body).toMatchObject({ verification: 'verified', revision: 3 });
    expect(await queued(westAfrica)).not.toContain(orgId);

    const reopened = await edit(orgId, token, { name: 'Another name', sseForm: 'association' }).expect(200);
    expect(reopened.body).toMatchObject({ verification: 'pending', revision: 4 });
    expect(await queued(westAfrica)).toContain(orgId);
    expect(await queued(southAmerica)).not.toContain(orgId);
    const review = await request(h.app)
      .get(`/organisations/${orgId}/verification`)
      .set(as(token))
      .expect(200);
    expect(review.body).toMatchObject({
      status: 'pending',
      criteria: [],
      decision: { status: 'pending', note: 'changed: name, sseForm', changed: ['name', 'sseForm'] },
    });
    expect(await h.eventsOf(orgId, 4)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
      { type: 'verified', revision: 2, verification: 'verified' },
      { type: 'updated', revision: 3, verification: 'verified' },
      { type: 'verification-reopened', revision: 4, verification: 'pending' },
    ]);
  });

  it('is for the organisation’s members and the admin: a coordinator of its region may judge, not edit', async () => {
    const { orgId } = await h.register(senegal);
    const res = await edit(orgId, westAfrica, { name: 'Renamed by staff' });
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/your own organisation/);
    expect((await h.stores.organisations.get(orgId))?.name).toBe(someFields().name);
    await edit(orgId, admin, { name: 'Renamed by the admin' }).expect(200);
  });
});

describe('verifying a partner', () => {
  it('verifies a real partner with a note, without the criteria; the admin acts in any region', async () => {
    const { orgId } = await h.register({ ...senegal, kind: 'financier', sseForm: undefined });
    expect((await decide(orgId, westAfrica, 'verify')).status).toBe(400);
    expect((await criterion(orgId, westAfrica, 'voluntary-cooperation')).status).toBe(400);
    await decide(orgId, westAfrica, 'verify', 'licensed microfinance institution').expect(200);
    const peru = (await h.register({ country: 'PE', languages: ['es'], kind: 'network', sseForm: undefined }))
      .orgId;
    await decide(peru, admin, 'verify', 'national SSE network').expect(200);
    expect(await h.eventsOf(orgId, 2)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
      { type: 'verified', revision: 2, verification: 'verified' },
    ]);
  });
});

describe('the import by external ref', () => {
  const body = (o: Record<string, unknown> = {}) => ({ ...someFields(senegal), ...o });
  const put = (ref: string, b: object, token = admin) =>
    request(h.app).put(`/organisations/by-ref/${ref}`).set(as(token)).send(b);

  it('creates, then answers unchanged without an event or a revision, then updates', async () => {
    const created = await put('org-sn-1', body({ verified: true })).expect(201);
    expect(created.body).toMatchObject({
      result: 'created',
      organisation: { ref: 'org-sn-1', revision: 1, verification: 'verified' },
    });
    const id = created.body.organisation.id;
    const same = await put('org-sn-1', body({ verified: true })).expect(200);
    expect(same.body).toMatchObject({ result: 'unchanged', organisation: { id, revision: 1 } });
    const updated = await put('org-sn-1', body({ description: 'Nova descrição' })).expect(200);
    expect(updated.body).toMatchObject({
      result: 'updated',
      organisation: { id, revision: 2, verification: 'verified' },
    });
    // Consecutive revisions on the topic: the unchanged import published nothing in between.
    expect(await h.eventsOf(id, 2)).toEqual([
      { type: 'registered', revision: 1, verification: 'verified' },
      { type: 'updated', revision: 2, verification: 'verified' },
    ]);
  });

  it('imports the public sample file, and a second import of it changes nothing', async () => {
    const file = JSON.parse(
      readFileSync(new URL('../../../../scenarios/sample.exchange.json', import.meta.url), 'utf8'),
    ) as { organisations: { ref: string }[] };
    const results = async () => {
      const out: string[] = [];
      for (const { ref, ...o } of file.organisations) out.push((await put(ref, o)).body.result);
      return out;
    };
    expect(new Set(await results())).toEqual(new Set(['created']));
    expect(new Set(await results())).toEqual(new Set(['unchanged']));
  });

  it('is for the admin only, and refuses bad bodies, storing nothing', async () => {
    const { token } = await h.register(senegal);
    const before = await h.counts();
    expect((await put('org-sn-2', body(), token)).status).toBe(403);
    expect((await put('org-sn-2', body(), westAfrica)).status).toBe(403);
    const badSector = await put('org-sn-2', body({ sectors: ['00000'] }));
    expect(badSector.status).toBe(400);
    expect(badSector.body.detail).toBe(
      'Invalid request body: sectors.0: unknown DAC 5-digit sector code "00000"',
    );
    expect((await put('org-sn-2', body({ id: 'mine' }))).body.errors).toEqual([
      { path: '(body)', message: 'unknown field(s): id' },
    ]);
    expect(await h.counts()).toEqual(before);
    expect(await h.stores.organisations.byRef('org-sn-2')).toBeUndefined();
  });
});
