import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { someFields } from '../domain/factories';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const registration = (o: Record<string, unknown> = {}, member: Record<string, unknown> = {}) => ({
  organisation: { ...someFields(), ...o },
  member: { name: 'Ana', email: uniqueEmail(), password: PASSWORD, ...member },
});

/** Sends a bad registration and checks the 400 problem names the cause and nothing was stored. */
async function rejected(body: unknown, path: string, message: RegExp | string) {
  const before = await h.counts();
  const res = await request(h.app)
    .post('/organisations/register')
    .send(body as object);
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 400, title: 'Invalid request' });
  expect(res.body.errors).toContainEqual({
    path,
    message: message instanceof RegExp ? expect.stringMatching(message) : message,
  });
  expect(res.body.detail).toContain(path);
  expect(await h.counts()).toEqual(before);
  return res.body;
}

describe('registering an organisation', () => {
  it('creates the organisation and its first member, who signs in with org and roles in the token', async () => {
    const body = registration({ informal: true });
    const res = await request(h.app).post('/organisations/register').send(body).expect(201);
    expect(res.body.organisation).toMatchObject({
      name: body.organisation.name,
      kind: 'sse-entity',
      country: 'MZ',
      revision: 1,
      verification: 'pending',
      contact: { email: 'geral@esperanca.example' },
    });
    const orgId = res.body.organisation.id;
    const signIn = await request(h.app)
      .post('/sessions')
      .send({ email: body.member.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(signIn.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const me = await request(h.app)
      .get('/me')
      .set('authorization', `Bearer ${signIn.body.token}`)
      .expect(200);
    expect(me.body).toMatchObject({ org: orgId, roles: ['member'] });
    expect(await h.eventsOf(orgId, 1)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
    ]);
  });

  it('publishes the public snapshot without contact details', async () => {
    const { orgId } = await h.register();
    await h.eventsOf(orgId, 1);
    const event = h.events.find((e) => e.subject === orgId);
    expect(event?.data.organisation).toMatchObject({ id: orgId, country: 'MZ', sectors: ['31161'] });
    expect(JSON.stringify(event)).not.toContain('esperanca.example');
  });

  it('refuses an email that already has an account, storing nothing', async () => {
    const { email } = await h.register();
    const before = await h.counts();
    const res = await request(h.app)
      .post('/organisations/register')
      .send(registration({}, { email }))
      .expect(409);
    expect(res.body.detail).toMatch(/already exists/);
    expect(await h.counts()).toEqual(before);
  });
});

describe('a registration the reference data refuses', () => {
  it('an unknown country', () =>
    rejected(
      registration({ country: 'XX' }),
      'organisation.country',
      'unknown ISO 3166-1 country code "XX"',
    ));
  it('an unknown sector', () =>
    rejected(
      registration({ sectors: ['31161', '12345'] }),
      'organisation.sectors.1',
      'unknown DAC 5-digit sector code "12345"',
    ));
  it('an unknown language', () =>
    rejected(
      registration({ languages: ['xx'] }),
      'organisation.languages.0',
      'unknown ISO 639-1 language code "xx"',
    ));
  it('an unknown SSE form', () =>
    rejected(registration({ sseForm: 'guild' }), 'organisation.sseForm', 'unknown SSE form "guild"'));
  it('an SSE entity without a form', () =>
    rejected(
      registration({ sseForm: undefined }),
      'organisation.sseForm',
      'required when kind is "sse-entity"',
    ));
  it('a partner with a form', () =>
    rejected(registration({ kind: 'financier' }), 'organisation.sseForm', /only for kind "sse-entity"/));
  it('unknown fields in the organisation', () =>
    rejected(registration({ website: 'https://x.example' }), 'organisation', 'unknown field(s): website'));
  it('unknown fields at the top', () =>
    rejected({ ...registration(), admin: true }, '(body)', 'unknown field(s): admin'));
  it('a short password', () =>
    rejected(registration({}, { password: 'short' }), 'member.password', 'at least 10 characters'));
});

describe('reading and editing', () => {
  it('shows contact details to the organisation itself and coordinators, not to other members', async () => {
    const a = await h.register();
    const b = await h.register({ country: 'SN', languages: ['fr'] });
    const coordinator = await h.staff('coordinator', ['Europe']);
    const own = await request(h.app)
      .get(`/organisations/${a.orgId}`)
      .set('authorization', `Bearer ${a.token}`);
    expect(own.body.contact).toEqual({ email: 'geral@esperanca.example' });
    const other = await request(h.app)
      .get(`/organisations/${a.orgId}`)
      .set('authorization', `Bearer ${b.token}`);
    expect(other.status).toBe(200);
    expect(other.body).not.toHaveProperty('contact');
    const staff = await request(h.app)
      .get(`/organisations/${a.orgId}`)
      .set('authorization', `Bearer ${coordinator}`);
    expect(staff.body.contact).toBeDefined();
  });

  it('lets a member edit its own organisation: revision 2 with an updated event; an edit changing nothing publishes nothing', async () => {
    const { orgId, token } = await h.register();
    const res = await request(h.app)
      .patch(`/organisations/${orgId}`)
      .set('authorization', `Bearer ${token}`)
      .send({ description: 'Agora com 40 sócias.', languages: ['pt', 'en'] })
      .expect(200);
    expect(res.body).toMatchObject({ revision: 2, languages: ['pt', 'en'] });
    await request(h.app)
      .patch(`/organisations/${orgId}`)
      .set('authorization', `Bearer ${token}`)
      .send({ description: 'Agora com 40 sócias.' })
      .expect(200);
    expect(await h.eventsOf(orgId, 2)).toEqual([
      { type: 'registered', revision: 1, verification: 'pending' },
      { type: 'updated', revision: 2, verification: 'pending' },
    ]);
    expect((await h.stores.organisations.get(orgId))?.revision).toBe(2);
  });

  it('forbids a member of another organisation to edit, and changes nothing', async () => {
    const a = await h.register();
    const b = await h.register();
    const res = await request(h.app)
      .patch(`/organisations/${a.orgId}`)
      .set('authorization', `Bearer ${b.token}`)
      .send({ name: 'Hijacked' });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/your own organisation/);
    expect((await h.stores.organisations.get(a.orgId))?.name).toBe(someFields().name);
  });

  it('refuses an edit that the reference data refuses, naming the value', async () => {
    const { orgId, token } = await h.register();
    const res = await request(h.app)
      .patch(`/organisations/${orgId}`)
      .set('authorization', `Bearer ${token}`)
      .send({ kind: 'financier' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'sseForm', message: 'only for kind "sse-entity", not "financier"' },
    ]);
    const ok = await request(h.app)
      .patch(`/organisations/${orgId}`)
      .set('authorization', `Bearer ${token}`)
      .send({ kind: 'financier', sseForm: null })
      .expect(200);
    expect(ok.body).not.toHaveProperty('sseForm');
    expect((await h.stores.organisations.get(orgId))?.sseForm).toBeUndefined();
  });
});

describe('invitations', () => {
  it('lets a member invite a colleague, who joins once with the one-time token', async () => {
    const { orgId, token } = await h.register();
    const email = uniqueEmail('colleague');
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set('authorization', `Bearer ${token}`)
      .send({ email })
      .expect(201);
    expect(inv.body).toMatchObject({ organisationId: orgId, email, token: expect.any(String) });
    const joined = await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: 'Bela', email, password: PASSWORD })
      .expect(201);
    expect(joined.body.member).toMatchObject({ organisationId: orgId, email });
    const colleague = await h.signIn(email);
    const members = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .set('authorization', `Bearer ${colleague}`)
      .expect(200);
    expect(members.body.items.map((m: { name: string }) => m.name).sort()).toEqual(['Ana', 'Bela']);

    const before = await h.counts();
    const again = await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: 'Carla', email: uniqueEmail(), password: PASSWORD });
    expect(again.status).toBe(410);
    expect(again.body.detail).toMatch(/already been used/);
    expect(await h.counts()).toEqual(before);
  });

  it('refuses an expired invitation, and an invitation to another organisation', async () => {
    const a = await h.register();
    const b = await h.register();
    const forbidden = await request(h.app)
      .post(`/organisations/${a.orgId}/invitations`)
      .set('authorization', `Bearer ${b.token}`)
      .send({ email: uniqueEmail() });
    expect(forbidden.status).toBe(403);
    const late = uniqueEmail('late');
    const inv = await request(h.app)
      .post(`/organisations/${a.orgId}/invitations`)
      .set('authorization', `Bearer ${a.token}`)
      .send({ email: late })
      .expect(201);
    h.clock.offsetMs = 8 * 24 * 3600_000;
    try {
      const before = await h.counts();
      const res = await request(h.app)
        .post(`/invitations/${inv.body.token}/accept`)
        .send({ name: 'Late', email: late, password: PASSWORD });
      expect(res.status).toBe(410);
      expect(res.body.detail).toMatch(/expired/);
      expect(await h.counts()).toEqual(before);
    } finally {
      h.clock.offsetMs = 0;
    }
    const unknown = await request(h.app)
      .post(`/invitations/${'x'.repeat(43)}/accept`)
      .send({ name: 'Nobody', email: uniqueEmail(), password: PASSWORD });
    expect(unknown.status).toBe(404);
  });
});

describe('the list of organisations', () => {
  type Item = { id: string; ref?: string; country: string; verification: string; contact?: unknown };
  /** Every page of GET /organisations, as the exchange-file export reads it. */
  async function allPages(token: string, limit: number) {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(h.app)
        .get('/organisations')
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  it('gives the admin every organisation once, page by page, as GET /organisations/:id shows them', async () => {
    const admin = await h.staff('admin');
    const registered = [];
    for (let i = 0; i < 4; i++)
      registered.push((await h.register({ country: 'SN', languages: ['fr'] })).orgId);
    const imported = await request(h.app)
      .put('/organisations/by-ref/LIST-1')
      .set('authorization', `Bearer ${admin}`)
      .send({ ...someFields({ country: 'PE', languages: ['es'] }), verified: true })
      .expect(201);

    const { items, pages } = await allPages(admin, 2);
    const total = await h.stores.organisations.count();
    expect(total).toBeGreaterThanOrEqual(5);
    expect(pages).toBe(Math.ceil(total / 2));
    expect(items).toHaveLength(total);
    expect(new Set(items.map((o) => o.id)).size).toBe(total);
    expect(items.map((o) => o.id)).toEqual(
      expect.arrayContaining([...registered, imported.body.organisation.id]),
    );
    const one = await request(h.app)
      .get(`/organisations/${imported.body.organisation.id}`)
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(items.find((o) => o.id === one.body.id)).toEqual(one.body);
    expect(one.body).toMatchObject({ ref: 'LIST-1', verification: 'verified', contact: expect.any(Object) });

    const last = await request(h.app)
      .get('/organisations')
      .query({ limit: 100 })
      .set('authorization', `Bearer ${admin}`)
      .expect(200);
    expect(last.body.nextCursor).toBeNull();
  });

  it('gives a coordinator the organisations of its regions only, with contact', async () => {
    const sn = (await h.register({ country: 'SN', languages: ['fr'] })).orgId;
    const mz = (await h.register()).orgId;
    const westAfrica = await h.staff('coordinator', ['Western Africa']);
    const { items } = await allPages(westAfrica, 100);
    expect(items.map((o) => o.id)).toContain(sn);
    expect(items.map((o) => o.id)).not.toContain(mz);
    for (const o of items) {
      expect(o.country).toBe('SN');
      expect(o.contact).toEqual({ email: 'geral@esperanca.example' });
    }
  });

  it('refuses members and anonymous callers', async () => {
    const { token } = await h.register();
    const member = await request(h.app).get('/organisations').set('authorization', `Bearer ${token}`);
    expect(member.status).toBe(403);
    expect(member.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(h.app).get('/organisations')).status).toBe(401);
  });
});
