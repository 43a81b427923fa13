import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, PASSWORD, startHarness, uniqueEmail } from '../test-harness';

/**
 * What the admin pages do through the API: the admin's coordinators (invited by mail, their
 * regions changed, removed), and an organisation's members and invitations (paged, withdrawn).
 * Who may and who may not; a refusal names the field and stores nothing.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const subOf = (token: string) => String(decodeJwt(token).sub);
const problem = (res: request.Response, status: number, detail: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body).toMatchObject({ status, detail: expect.stringMatching(detail) });
};

interface InvitationEvent {
  invitation: {
    id: string;
    email: string;
    role?: string;
    regions?: string[];
    organisationId?: string;
    language: string;
    token: string;
  };
}
const invitationTo = (email: string) =>
  h.accessEvents<InvitationEvent>((d) => d.invitation?.email === email).then((e) => e[0] as (typeof e)[0]);

/** A stored account as it is, to compare before and after a refusal. */
const stored = (id: string) => h.stores.accounts.get(id);

describe('coordinators, by the admin', () => {
  it('invites a coordinator by mail, who cannot sign in before choosing a password from it', async () => {
    const admin = await h.staff('admin');
    const email = uniqueEmail('coord');
    const res = await request(h.app)
      .post('/coordinators')
      .set(bearer(admin))
      .send({ name: 'Awa', email, regions: ['Western Africa'], language: 'fr' })
      .expect(201);
    expect(res.body).toMatchObject({ status: 'invited', regions: ['Western Africa'], language: 'fr' });
    expect(res.body).not.toHaveProperty('password');
    const e = await invitationTo(email);
    expect(e.type).toBe('invitation-created');
    expect(e.data.invitation).toMatchObject({
      id: res.body.invitation.id,
      role: 'coordinator',
      regions: ['Western Africa'],
      language: 'fr',
      token: res.body.invitation.token,
    });
    expect(e.data.invitation).not.toHaveProperty('organisationId');
    await request(h.app).post('/sessions').send({ email, password: PASSWORD }).expect(401);

    const joined = await request(h.app)
      .post(`/invitations/${e.data.invitation.token}/accept`)
      .send({ name: 'Awa Diallo', password: PASSWORD, language: 'fr' })
      .expect(201);
    expect(joined.body).toEqual({
      coordinator: { id: res.body.id, name: 'Awa Diallo', email, regions: ['Western Africa'] },
    });
    const token = await h.signIn(email);
    expect(decodeJwt(token)).toMatchObject({ roles: ['coordinator'], regions: ['Western Africa'] });
    const events = await h.personEvents(res.body.id, 2);
    expect(events.map((x) => x.type)).toEqual(['registered', 'updated']);
    expect(events[1]?.person).toMatchObject({ name: 'Awa Diallo', language: 'fr', active: true });
    // Once.
    problem(
      await request(h.app)
        .post(`/invitations/${e.data.invitation.token}/accept`)
        .send({ name: 'Someone', password: PASSWORD }),
      410,
      /already been used/,
    );
  });

  it('lists the coordinators a page at a time, with their regions and whether they accepted', async () => {
    const admin = await h.staff('admin');
    const emails = [uniqueEmail('list'), uniqueEmail('list'), uniqueEmail('list')];
    for (const [i, email] of emails.entries())
      await request(h.app)
        .post('/coordinators')
        .set(bearer(admin))
        .send({
          name: `C${i}`,
          email,
          regions: ['South America'],
          ...(i === 0 ? { password: PASSWORD } : {}),
        })
        .expect(201);
    const seen: { email: string; status: string; regions: string[] }[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(h.app)
        .get('/coordinators')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(bearer(admin))
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const mine = seen.filter((c) => emails.includes(c.email));
    expect(mine.map((c) => [c.email, c.status, c.regions])).toEqual([
      [emails[0], 'active', ['South America']],
      [emails[1], 'invited', ['South America']],
      [emails[2], 'invited', ['South America']],
    ]);
    problem(
      await request(h.app).get('/coordinators').query({ cursor: 'not-ours' }).set(bearer(admin)),
      400,
      /cursor/,
    );
  });

  it('refuses the list and every change to anyone but the admin, changing nothing', async () => {
    const admin = await h.staff('admin');
    const c = await request(h.app)
      .post('/coordinators')
      .set(bearer(admin))
      .send({ name: 'Kofi', email: uniqueEmail('kofi'), password: PASSWORD, regions: ['Western Africa'] })
      .expect(201);
    const before = await stored(c.body.id);
    const coordinator = await h.signIn(c.body.email);
    const { token: member } = await h.register();
    for (const token of [coordinator, member]) {
      problem(await request(h.app).get('/coordinators').set(bearer(token)), 403, /admin role/);
      problem(
        await request(h.app)
          .patch(`/coordinators/${c.body.id}`)
          .set(bearer(token))
          .send({ regions: ['Africa'] }),
        403,
        /admin role/,
      );
      problem(
        await request(h.app).delete(`/coordinators/${c.body.id}`).set(bearer(token)),
        403,
        /admin role/,
      );
      problem(
        await request(h.app)
          .post('/coordinators')
          .set(bearer(token))
          .send({ name: 'X', email: uniqueEmail(), regions: ['Africa'] }),
        403,
        /admin role/,
      );
    }
    await request(h.app).get('/coordinators').expect(401);
    expect(await stored(c.body.id)).toEqual(before);
  });

  it('changes a coordinator’s regions: the next token and the person’s event carry them', async () => {
    const admin = await h.staff('admin');
    const email = uniqueEmail('regions');
    const c = await request(h.app)
      .post('/coordinators')
      .set(bearer(admin))
      .send({ name: 'Ama', email, password: PASSWORD, regions: ['Western Africa'] })
      .expect(201);
    const changed = await request(h.app)
      .patch(`/coordinators/${c.body.id}`)
      .set(bearer(admin))
      .send({ regions: ['Eastern Africa', 'South America'] })
      .expect(200);
    expect(changed.body).toMatchObject({ id: c.body.id, regions: ['Eastern Africa', 'South America'] });
    expect(decodeJwt(await h.signIn(email))).toMatchObject({ regions: ['Eastern Africa', 'South America'] });
    const events = await h.personEvents(c.body.id, 2);
    expect(events[1]).toMatchObject({
      type: 'updated',
      person: { regions: ['Eastern Africa', 'South America'] },
    });

    // An unknown region is refused at its place, and nothing changes.
    const before = await stored(c.body.id);
    const bad = await request(h.app)
      .patch(`/coordinators/${c.body.id}`)
      .set(bearer(admin))
      .send({ regions: ['Africa', 'Atlantis'] });
    problem(bad, 400, /Atlantis/);
    expect(bad.body.errors).toEqual([{ path: 'regions.1', message: expect.stringMatching(/Atlantis/) }]);
    problem(
      await request(h.app).patch(`/coordinators/${c.body.id}`).set(bearer(admin)).send({ regions: [] }),
      400,
      /regions/,
    );
    expect(await stored(c.body.id)).toEqual(before);
    // A member is no coordinator.
    const { token: member } = await h.register();
    problem(
      await request(h.app)
        .patch(`/coordinators/${subOf(member)}`)
        .set(bearer(admin))
        .send({ regions: ['Africa'] }),
      404,
      /No coordinator/,
    );
  });

  it('takes the coordinator role away: no more sign-in, published as removed, gone from the list', async () => {
    const admin = await h.staff('admin');
    const email = uniqueEmail('leaving');
    const c = await request(h.app)
      .post('/coordinators')
      .set(bearer(admin))
      .send({ name: 'Ife', email, password: PASSWORD, regions: ['Western Africa'] })
      .expect(201);
    await request(h.app).delete(`/coordinators/${c.body.id}`).set(bearer(admin)).expect(200, {
      id: c.body.id,
      removed: true,
    });
    await request(h.app).post('/sessions').send({ email, password: PASSWORD }).expect(401);
    const events = await h.personEvents(c.body.id, 2);
    expect(events[1]).toMatchObject({ type: 'removed', person: { email, active: false } });
    const list = await request(h.app)
      .get('/coordinators')
      .query({ limit: 100 })
      .set(bearer(admin))
      .expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(c.body.id);
    problem(
      await request(h.app).delete(`/coordinators/${c.body.id}`).set(bearer(admin)),
      404,
      /No coordinator/,
    );
  });
});

describe('an organisation’s members and invitations', () => {
  /** Invites `email` into the organisation and accepts, as the mail's reader would. */
  async function join(orgId: string, token: string, email: string) {
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email })
      .expect(201);
    await request(h.app)
      .post(`/invitations/${inv.body.token}/accept`)
      .send({ name: email.split('@')[0], password: PASSWORD })
      .expect(201);
  }

  it('lists the members a page at a time, to its members and the admin only', async () => {
    const { orgId, token, email } = await h.register();
    const others = [uniqueEmail('b'), uniqueEmail('c')];
    for (const e of others) await join(orgId, token, e);
    const first = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .query({ limit: 2 })
      .set(bearer(token))
      .expect(200);
    expect(first.body.items.map((m: { email: string }) => m.email)).toEqual([email.toLowerCase(), others[0]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const admin = await h.staff('admin');
    const second = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(bearer(admin))
      .expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ email: others[1] })], nextCursor: null });

    const { token: outsider } = await h.register();
    problem(await request(h.app).get(`/organisations/${orgId}/members`).set(bearer(outsider)), 403, /.+/);
    const coordinator = await h.staff('coordinator', ['Africa']);
    problem(await request(h.app).get(`/organisations/${orgId}/members`).set(bearer(coordinator)), 403, /.+/);
    const bad = await request(h.app)
      .get(`/organisations/${orgId}/members`)
      .query({ limit: 0 })
      .set(bearer(token));
    problem(bad, 400, /limit/);
    expect(bad.body.errors[0].path).toBe('limit');
  });

  it('lists pending invitations without their tokens; a withdrawn one’s link refuses, saying so', async () => {
    const { orgId, token } = await h.register();
    const [kept, withdrawn] = [uniqueEmail('kept'), uniqueEmail('withdrawn')];
    const a = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email: kept });
    const b = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email: withdrawn, language: 'pt' });
    const list = await request(h.app)
      .get(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .expect(200);
    expect(list.body).toEqual({
      items: [
        {
          id: a.body.id,
          email: kept,
          language: 'pt',
          createdAt: expect.any(String),
          expiresAt: a.body.expiresAt,
        },
        {
          id: b.body.id,
          email: withdrawn,
          language: 'pt',
          createdAt: expect.any(String),
          expiresAt: b.body.expiresAt,
        },
      ],
      nextCursor: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(a.body.token);

    await request(h.app)
      .delete(`/organisations/${orgId}/invitations/${b.body.id}`)
      .set(bearer(token))
      .expect(200, { id: b.body.id, revoked: true });
    const [revoked] = await h.accessEvents<{
      revoked: { id: string; organisationId: string; revokedBy: string };
    }>((d) => d.revoked?.id === b.body.id);
    expect(revoked).toMatchObject({
      type: 'invitation-revoked',
      subject: b.body.id,
      data: { revoked: { organisationId: orgId, revokedBy: subOf(token) } },
    });
    const after = await request(h.app)
      .get(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .expect(200);
    expect(after.body.items.map((i: { id: string }) => i.id)).toEqual([a.body.id]);
    const counts = await h.counts();
    problem(
      await request(h.app)
        .post(`/invitations/${b.body.token}/accept`)
        .send({ name: 'Late', password: PASSWORD }),
      410,
      /withdrawn/,
    );
    expect(await h.counts()).toEqual(counts);
    // Again: nothing more happens.
    await request(h.app)
      .delete(`/organisations/${orgId}/invitations/${b.body.id}`)
      .set(bearer(token))
      .expect(200);
    // The kept one still works; once accepted, it cannot be withdrawn.
    await request(h.app)
      .post(`/invitations/${a.body.token}/accept`)
      .send({ name: 'Kept', password: PASSWORD })
      .expect(201);
    problem(
      await request(h.app).delete(`/organisations/${orgId}/invitations/${a.body.id}`).set(bearer(token)),
      409,
      /remove the member/,
    );
  });

  it('lets no one else withdraw or list an organisation’s invitations; the admin may', async () => {
    const { orgId, token } = await h.register();
    const { orgId: otherOrg, token: outsider } = await h.register();
    const inv = await request(h.app)
      .post(`/organisations/${orgId}/invitations`)
      .set(bearer(token))
      .send({ email: uniqueEmail('target') })
      .expect(201);
    const coordinator = await h.staff('coordinator', ['Africa']);
    for (const who of [outsider, coordinator]) {
      problem(await request(h.app).get(`/organisations/${orgId}/invitations`).set(bearer(who)), 403, /.+/);
      problem(
        await request(h.app).delete(`/organisations/${orgId}/invitations/${inv.body.id}`).set(bearer(who)),
        403,
        /.+/,
      );
    }
    // Through one's own organisation, another's invitation is not found.
    problem(
      await request(h.app)
        .delete(`/organisations/${otherOrg}/invitations/${inv.body.id}`)
        .set(bearer(outsider)),
      404,
      /No invitation/,
    );
    expect((await h.stores.invitations.byId(inv.body.id))?.revokedAt).toBeUndefined();
    const admin = await h.staff('admin');
    const listed = await request(h.app)
      .get(`/organisations/${orgId}/invitations`)
      .set(bearer(admin))
      .expect(200);
    expect(listed.body.items).toHaveLength(1);
    await request(h.app)
      .delete(`/organisations/${orgId}/invitations/${inv.body.id}`)
      .set(bearer(admin))
      .expect(200);
    expect((await h.stores.invitations.byId(inv.body.id))?.revokedAt).toBeInstanceOf(Date);
  });

  it('removes members but never the last one, who keeps signing in', async () => {
    const { orgId, token, email } = await h.register();
    const second = uniqueEmail('second');
    await join(orgId, token, second);
    const secondId = subOf(await h.signIn(second));
    await request(h.app).delete(`/organisations/${orgId}/members/${secondId}`).set(bearer(token)).expect(200);
    const before = await stored(subOf(token));
    problem(
      await request(h.app)
        .delete(`/organisations/${orgId}/members/${subOf(token)}`)
        .set(bearer(token)),
      409,
      /last member/,
    );
    expect(await stored(subOf(token))).toEqual(before);
    await h.signIn(email);
  });
});
