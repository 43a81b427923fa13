import { uuidv7 } from '@mutirao/contracts';
import { createLogger } from '@mutirao/telemetry';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { someFields } from '../domain/factories';
import { hashPassword } from '../identity/passwords';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';
import { backfillPersons } from '../usecases/people';

/**
 * People as the notifications service learns of them: each action through the HTTP API, then its
 * event read back from Kafka (the person topic of this file).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const subOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub;

describe('person events', () => {
  it('publishes the first member of a registration, with the language chosen, once the organisation exists', async () => {
    const email = uniqueEmail('first');
    const res = await request(h.app)
      .post('/organisations/register')
      .send({
        organisation: someFields({ languages: ['pt', 'en'] }),
        member: { name: 'Ana', email, password: PASSWORD, language: 'pt' },
      })
      .expect(201);
    const { id } = res.body.member;
    const [registered] = await h.personEvents(id, 1);
    expect(registered).toEqual({
      type: 'registered',
      person: {
        id,
        revision: 1,
        updatedAt: expect.any(String),
        email,
        name: 'Ana',
        language: 'pt',
        organisationId: res.body.organisation.id,
        roles: ['member'],
        regions: [],
        active: true,
      },
    });
    const token = await h.signIn(email);
    const me = await request(h.app).get('/me').set(bearer(token)).expect(200);
    expect(me.body).toMatchObject({
      sub: id,
      name: 'Ana',
      email,
      language: 'pt',
      org: res.body.organisation.id,
    });
  });

  it('refuses a language the app does not speak, storing nothing', async () => {
    const before = await h.counts();
    const res = await request(h.app)
      .post('/organisations/register')
      .send({
        organisation: someFields(),
        member: { name: 'X', email: uniqueEmail(), password: PASSWORD, language: 'sw' },
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({
      path: 'member.language',
      message: expect.stringMatching(/en, fr, es, pt/),
    });
    expect(await h.counts()).toEqual(before);
  });

  it('publishes a coordinator the admin creates, and the staff accounts', async () => {
    const admin = await h.staff('admin');
    const email = uniqueEmail('coord');
    const res = await request(h.app)
      .post('/coordinators')
      .set(bearer(admin))
      .send({ name: 'Awa', email, regions: ['Western Africa'], language: 'fr' })
      .expect(201);
    const [c] = await h.personEvents(res.body.id, 1);
    expect(c).toMatchObject({
      type: 'registered',
      person: { email, roles: ['coordinator'], regions: ['Western Africa'], language: 'fr', active: true },
    });
    expect(c?.person).not.toHaveProperty('organisationId');
    const [a] = await h.personEvents(subOf(admin), 1);
    expect(a?.person).toMatchObject({ roles: ['admin'], revision: 1 });
  });

  it('publishes a new revision when the person changes name or language, and nothing for no change', async () => {
    const { token } = await h.register();
    const id = subOf(token);
    await h.personEvents(id, 1);
    const changed = await request(h.app).patch('/me').set(bearer(token)).send({ language: 'es' }).expect(200);
    expect(changed.body).toMatchObject({ sub: id, name: 'Ana', language: 'es' });
    await request(h.app).patch('/me').set(bearer(token)).send({ language: 'es', name: 'Ana' }).expect(200);
    await request(h.app).patch('/me').set(bearer(token)).send({ name: 'Ana Lúcia' }).expect(200);
    const events = await h.personEvents(id, 3);
    expect(events.map((e) => [e.type, e.person.revision, e.person.name, e.person.language])).toEqual([
      ['registered', 1, 'Ana', undefined],
      ['updated', 2, 'Ana', 'es'],
      ['updated', 3, 'Ana Lúcia', 'es'],
    ]);
    expect((await request(h.app).get('/me').set(bearer(token))).body).toMatchObject({
      name: 'Ana Lúcia',
      language: 'es',
    });
    const bad = await request(h.app).patch('/me').set(bearer(token)).send({ language: 'de', theme: 'dark' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveLength(2);
    expect(bad.body.errors).toContainEqual({
      path: 'language',
      message: expect.stringMatching(/unknown language "de"/),
    });
    expect((await h.stores.accounts.get(id))?.revision).toBe(3);
  });

  it('publishes a removed member as inactive; the address may be invited again, the last member stays', async () => {
    const { orgId, token, email } = await h.register();
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email: uniqueEmail('bela') })
      .expect(201);
    const joined = await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: 'Bela', password: PASSWORD })
      .expect(201);
    const bela = joined.body.member.id;
    await h.personEvents(bela, 1);

    const other = await h.register();
    const forbidden = await request(h.app)
      .delete(`/organisations/${orgId}/members/${bela}`)
      .set(bearer(other.token));
    expect(forbidden.status).toBe(403);
    await request(h.app).delete(`/organisations/${orgId}/members/${bela}`).set(bearer(token)).expect(200);
    const [, removed] = await h.personEvents(bela, 2);
    expect(removed).toMatchObject({
      type: 'removed',
      person: { id: bela, revision: 2, active: false, email: inv.body.email, organisationId: orgId },
    });
    // Gone from the members, cannot sign in, and cannot be removed twice.
    const members = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .set(bearer(token))
      .expect(200);
    expect(members.body.items.map((m: { email: string }) => m.email)).toEqual([email]);
    expect(
      (await request(h.app).post('/sessions').send({ email: inv.body.email, password: PASSWORD })).status,
    ).toBe(401);
    expect(
      (await request(h.app).delete(`/organisations/${orgId}/members/${bela}`).set(bearer(token))).status,
    ).toBe(404);
    // The last member stays.
    const last = await request(h.app)
      .delete(`/organisations/${orgId}/members/${subOf(token)}`)
      .set(bearer(token));
    expect(last.status).toBe(409);
    // The address is free again: invited anew, it joins as a new person.
    const again = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email: inv.body.email })
      .expect(201);
    const rejoined = await request(h.app)
      .post(`/invitations/${again.body.token}/accept`)
      .send({ name: 'Bela', password: PASSWORD })
      .expect(201);
    expect(rejoined.body.member.id).not.toBe(bela);
  });
});

describe('the backfill of accounts never published', () => {
  it('publishes at start the accounts of an existing database, once', async () => {
    // An account as the service stored them before persons were published: no revision.
    const id = uuidv7();
    const email = uniqueEmail('old');
    await h.stores.accounts.model.collection.insertOne({
      _id: id as never,
      email,
      name: 'Old Timer',
      passwordHash: await hashPassword(PASSWORD),
      roles: ['coordinator'],
      regions: ['Africa'],
      createdAt: new Date('2025-06-01T00:00:00Z'),
    });
    const first = await h.replica();
    try {
      const [e] = await h.personEvents(id, 1);
      expect(e).toEqual({
        type: 'registered',
        person: {
          id,
          revision: 1,
          updatedAt: '2025-06-01T00:00:00.000Z',
          email,
          name: 'Old Timer',
          roles: ['coordinator'],
          regions: ['Africa'],
          active: true,
        },
      });
    } finally {
      await first.stop();
    }
    expect((await h.stores.accounts.get(id))?.revision).toBe(1);
    // The next start finds nothing left to publish.
    expect(await h.stores.accounts.unpublished()).toEqual([]);
    const logger = createLogger('backfill-test', 'silent');
    expect(
      await backfillPersons({ accounts: h.stores.accounts, topic: h.topics.person, logger }, () => {}),
    ).toBe(0);
  });
});
