import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { someFields } from '../domain/factories';
import { RESET_LIMITS } from '../domain/lockout';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';

/**
 * Invitations and password resets by mail: each token is read back from the access topic, as the
 * notifications service will mail it, and then used through the HTTP API.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let client = 0;
/** A client address of its own, so that each test's requests are counted apart. */
const fromClient = () => ({ 'x-forwarded-for': `198.51.100.${++client}` });

interface InvitationEvent {
  invitation: {
    id: string;
    email: string;
    organisationId: string;
    organisationName: string;
    invitedBy: string;
    language: string;
    token: string;
    expiresAt: string;
  };
}
interface ResetEvent {
  reset: { id: string; personId: string; email: string; language: string; token: string; expiresAt: string };
}
const invitationTo = (email: string) =>
  h.accessEvents<InvitationEvent>((d) => d.invitation?.email === email).then((e) => e[0] as (typeof e)[0]);
const resetsOf = (email: string, count = 1) =>
  h.accessEvents<ResetEvent>((d) => d.reset?.email === email, count);

describe('invitations by mail', () => {
  it('publishes the invitation with its token for the mail; the token from the mail joins the invited address', async () => {
    const { orgId, token } = await h.register({ name: 'Cooperativa Esperança', languages: ['pt'] });
    const email = uniqueEmail('Invited');
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email, language: 'fr' })
      .expect(201);
    const lower = email.toLowerCase();
    expect(inv.body).toMatchObject({ organisationId: orgId, email: lower, language: 'fr' });
    const e = await invitationTo(lower);
    expect(e).toEqual({
      type: 'invitation-created',
      subject: inv.body.id,
      data: {
        invitation: {
          id: inv.body.id,
          email: lower,
          organisationId: orgId,
          organisationName: 'Cooperativa Esperança',
          invitedBy: 'Ana',
          language: 'fr',
          token: inv.body.token,
          expiresAt: inv.body.expiresAt,
        },
      },
    });
    // Only the token's hash is stored; the event has left the outbox.
    const stored = await h.stores.invitations.model.find({ org: orgId }).lean();
    expect(JSON.stringify(stored)).not.toContain(e.data.invitation.token);
    await eventually(async () => (await h.stores.journal.model.countDocuments()) === 0, {
      what: 'the journal to be emptied',
    });

    const joined = await request(h.app)
      .post(`/invitations/${e.data.invitation.token}/accept`)
      .send({ name: 'Bela', password: PASSWORD, language: 'fr' })
      .expect(201);
    expect(joined.body.member).toMatchObject({ organisationId: orgId, email: lower });
    const [registered] = await h.personEvents(joined.body.member.id, 1);
    expect(registered?.person).toMatchObject({ email: lower, language: 'fr', organisationId: orgId });
    await h.signIn(email);
  });

  it('writes in the organisation’s first working language the app speaks when the inviter chooses none', async () => {
    const { orgId, token } = await h.register({ languages: ['sw', 'es', 'en'] });
    const email = uniqueEmail('sw');
    await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email })
      .expect(201);
    expect((await invitationTo(email)).data.invitation.language).toBe('es');
  });

  it('needs the address to invite, and is accepted only with it, storing nothing otherwise', async () => {
    const { orgId, token } = await h.register();
    const none = await request(h.app).post(`/organisations/${orgId}/invitations`).set(bearer(token)).send({});
    expect(none.status).toBe(400);
    expect(none.body.errors).toContainEqual({ path: 'email', message: expect.any(String) });
    const email = uniqueEmail('right');
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email })
      .expect(201);
    const before = await h.counts();
    const wrong = await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: 'Eve', email: uniqueEmail('eve'), password: PASSWORD });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'email', message: expect.stringMatching(/another address/) }]);
    expect(await h.counts()).toEqual(before);
    // Still usable, with the address in any case.
    await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: 'Rita', email: email.toUpperCase(), password: PASSWORD })
      .expect(201);
  });

  it('lets one of two accepts at once join', async () => {
    const { orgId, token } = await h.register();
    const email = uniqueEmail('twice');
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email })
      .expect(201);
    const accept = () =>
      request(h.app).post(`/invitations/${inv.body.token}/accept`).send({ name: 'Twin', password: PASSWORD });
    const statuses = (await Promise.all([accept(), accept(), accept()])).map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    expect(statuses.slice(1).every((s) => s === 409 || s === 410)).toBe(true);
    const members = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .set(bearer(token))
      .expect(200);
    expect(members.body.items).toHaveLength(2);
  });
});

describe('password resets', () => {
  it('mails a one-time link in the person’s language; it sets the password once', async () => {
    const email = uniqueEmail('forgot');
    await request(h.app)
      .post('/organisations/register')
      .send({
        organisation: someFields(),
        member: { name: 'Ana', email, password: PASSWORD, language: 'pt' },
      })
      .expect(201);
    const asked = await request(h.app)
      .post('/password-resets')
      .set(fromClient())
      .send({ email: email.toUpperCase(), language: 'en' })
      .expect(202);
    expect(asked.headers['cache-control']).toBe('no-store');
    const [e] = await resetsOf(email);
    const account = await h.stores.accounts.byEmail(email);
    expect(e).toMatchObject({
      type: 'password-reset-requested',
      data: { reset: { personId: account?.id, email, language: 'pt', token: expect.any(String) } },
    });
    const reset = e?.data.reset;
    if (!reset) throw new Error('no reset');
    expect(e?.subject).toBe(reset.id);
    expect(new Date(reset.expiresAt).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(JSON.stringify(await h.stores.resets.model.find({ personId: account?.id }).lean())).not.toContain(
      reset.token,
    );
    // The old password works until the new one is set.
    await h.signIn(email);
    const set = await request(h.app)
      .post(`/password-resets/${reset.token}`)
      .send({ password: 'a brand new password' })
      .expect(200);
    expect(set.body).toEqual({ email });
    await h.signIn(email, 'a brand new password');
    expect((await request(h.app).post('/sessions').send({ email, password: PASSWORD })).status).toBe(401);
    const again = await request(h.app)
      .post(`/password-resets/${reset.token}`)
      .send({ password: 'yet another one' });
    expect(again.status).toBe(410);
    expect(again.body.detail).toMatch(/already been used/);
  });

  it('answers the same for an address without an account, and publishes nothing for it', async () => {
    const known = (await h.register()).email;
    const unknown = uniqueEmail('nobody');
    const before = await h.counts();
    const a = await request(h.app)
      .post('/password-resets')
      .set(fromClient())
      .send({ email: unknown })
      .expect(202);
    expect(await h.counts()).toEqual(before);
    const b = await request(h.app)
      .post('/password-resets')
      .set(fromClient())
      .send({ email: known })
      .expect(202);
    expect(a.body).toEqual(b.body);
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    // One partition: once the later request's event is in, the earlier one's would be too.
    await resetsOf(known);
    expect(h.published.filter((p) => JSON.stringify(p.data).includes(unknown))).toEqual([]);
  });

  it('refuses an expired link, a superseded one, and an unknown one, changing nothing', async () => {
    const { email } = await h.register();
    const ip = fromClient();
    await request(h.app).post('/password-resets').set(ip).send({ email }).expect(202);
    const [first] = await resetsOf(email);
    await request(h.app).post('/password-resets').set(ip).send({ email }).expect(202);
    const [, second] = await resetsOf(email, 2);
    const superseded = await request(h.app)
      .post(`/password-resets/${first?.data.reset.token}`)
      .send({ password: 'a brand new password' });
    expect(superseded.status).toBe(410);
    expect(superseded.body.detail).toMatch(/newer link/);
    h.clock.offsetMs = 60 * 60_000 + 1_000;
    try {
      const expired = await request(h.app)
        .post(`/password-resets/${second?.data.reset.token}`)
        .send({ password: 'a brand new password' });
      expect(expired.status).toBe(410);
      expect(expired.body.detail).toMatch(/expired/);
    } finally {
      h.clock.offsetMs = 0;
    }
    const unknown = await request(h.app)
      .post(`/password-resets/${'x'.repeat(43)}`)
      .send({ password: 'a brand new password' });
    expect(unknown.status).toBe(404);
    await h.signIn(email);
  });

  it('sets the password once when a link is used six times at once', async () => {
    const { email } = await h.register();
    await request(h.app).post('/password-resets').set(fromClient()).send({ email }).expect(202);
    const [e] = await resetsOf(email);
    const use = (password: string) =>
      request(h.app).post(`/password-resets/${e?.data.reset.token}`).send({ password });
    const tries = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => use(`new password number ${i}`)));
    const statuses = tries.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(5);
    await h.signIn(email, `new password number ${statuses.indexOf(200) + 1}`);
  });

  it('refuses a bad request with the field at fault, storing nothing and keeping the link', async () => {
    const { email } = await h.register();
    const badEmail = await request(h.app)
      .post('/password-resets')
      .set(fromClient())
      .send({ email: 'not-an-address' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errors).toEqual([{ path: 'email', message: expect.any(String) }]);
    await request(h.app).post('/password-resets').set(fromClient()).send({ email }).expect(202);
    const [e] = await resetsOf(email);
    const before = await h.counts();
    const short = await request(h.app)
      .post(`/password-resets/${e?.data.reset.token}`)
      .send({ password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ path: 'password', message: 'at least 10 characters' }]);
    expect(await h.counts()).toEqual(before);
    await request(h.app)
      .post(`/password-resets/${e?.data.reset.token}`)
      .send({ password: 'long enough now' })
      .expect(200);
  });

  it('limits requests per address, known or not, and per client, with Retry-After', async () => {
    for (const email of [(await h.register()).email, uniqueEmail('ghost')]) {
      for (let i = 0; i < RESET_LIMITS.perAddress.max; i++)
        await request(h.app).post('/password-resets').set(fromClient()).send({ email }).expect(202);
      const limited = await request(h.app).post('/password-resets').set(fromClient()).send({ email });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(59 * 60);
    }
    const ip = fromClient();
    for (let i = 0; i < RESET_LIMITS.perClient.max; i++)
      await request(h.app)
        .post('/password-resets')
        .set(ip)
        .send({ email: uniqueEmail('many') })
        .expect(202);
    const limited = await request(h.app)
      .post('/password-resets')
      .set(ip)
      .send({ email: uniqueEmail('many') });
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/Too many password-reset requests/);
    // Another client is not held back.
    await request(h.app)
      .post('/password-resets')
      .set(fromClient())
      .send({ email: uniqueEmail('many') })
      .expect(202);
  });

  it('lifts a sign-in lock on the address once the password is reset', async () => {
    const { email } = await h.register();
    for (let i = 0; i < 5; i++)
      await request(h.app)
        .post('/sessions')
        .send({ email, password: `wrong ${i}` });
    expect((await request(h.app).post('/sessions').send({ email, password: PASSWORD })).status).toBe(429);
    await request(h.app).post('/password-resets').set(fromClient()).send({ email }).expect(202);
    const [e] = await resetsOf(email);
    await request(h.app)
      .post(`/password-resets/${e?.data.reset.token}`)
      .send({ password: 'a brand new password' })
      .expect(200);
    await h.signIn(email, 'a brand new password');
  });
});

describe('changing one’s password', () => {
  it('needs the current password, then the new one signs in', async () => {
    const { email, token } = await h.register();
    const wrong = await request(h.app)
      .post('/me/password')
      .set(bearer(token))
      .send({ current: 'not my password', new: 'a brand new password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'current', message: 'This is not your current password.' }]);
    const short = await request(h.app)
      .post('/me/password')
      .set(bearer(token))
      .send({ current: PASSWORD, new: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ path: 'new', message: 'at least 10 characters' }]);
    await h.signIn(email);
    await request(h.app)
      .post('/me/password')
      .set(bearer(token))
      .send({ current: PASSWORD, new: 'a brand new password' })
      .expect(200, { changed: true });
    await h.signIn(email, 'a brand new password');
  });
});
