import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';

/**
 * Invitations by mail: each token is read back from the access topic, as the
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
const invitationTo = (email: string) =>
  h.accessEvents<InvitationEvent>((d) => d.invitation?.email === email).then((e) => e[0] as (typeof e)[0]);

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
