import { eventually } from '@mutirao/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNeed, anOffer, anOrganisation, type Harness, inDays, startExchange } from '../test/harness';
import type { Exchange } from './exchange';

// Two instances of the exchange on one database and one set of topics, as behind a load balancer.
// Each is asked only after the other's write has returned: on FerretDB two writers of one
// document are not safe, and the store is not what is tested here, the instances' catalogs are.
let h: Harness;
let b: { exchange: Exchange; stop(): Promise<void> };
let member: string; // of org-gw, verified
let partner: string; // of org-rw, verified
let reader: string; // of org-pe: sees open postings only

beforeAll(async () => {
  h = await startExchange();
  b = await h.replica();
  member = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
  partner = await h.token({ sub: 'jean', org: 'org-rw', roles: ['member'] });
  reader = await h.token({ sub: 'rosa', org: 'org-pe', roles: ['member'] });
  await h.publishOrganisation(anOrganisation({ id: 'org-gw', verification: 'verified' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-rw', country: 'RW', kind: 'technology-provider' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-pe', country: 'PE' }));
  for (const id of ['org-gw', 'org-rw', 'org-pe']) await h.organisationKnown(id);
});
afterAll(async () => {
  await b?.stop();
  await h?.stop();
});

const A = () => request(h.exchange.app);
const B = () => request(b.exchange.app);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const ids = (res: request.Response): string[] => {
  expect(res.status).toBe(200);
  return res.body.items.map((p: { id: string }) => p.id);
};
/** What a member of another organisation finds, in order (newest first unless the query sorts). */
const browse = async (app: Express, query: string, as = reader) =>
  ids(await request(app).get(query).set(auth(as)));
/** Until both instances answer the query with the same list, which must pass `check`. */
const sameOnBoth = (query: string, check: (found: string[]) => boolean, what: string) =>
  eventually(
    async () => {
      const [a, bb] = await Promise.all([browse(h.exchange.app, query), browse(b.exchange.app, query)]);
      return JSON.stringify(a) === JSON.stringify(bb) && check(a) ? a : undefined;
    },
    { timeoutMs: 10_000, what },
  );

describe('several exchange instances', () => {
  it("shows a need posted through one in the other's browse, in the same order, filters included", async () => {
    const older = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [6] }))
      .expect(201);
    const newer = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [6], expiresAt: inDays(10).toISOString() }))
      .expect(201);
    const both = [newer.body.id, older.body.id];
    await sameOnBoth('/needs?sdg=6', (f) => f.join() === both.join(), "A's needs in B's browse");
    // The country comes from the organisation (its read model, then the organisation topic).
    expect(await browse(b.exchange.app, '/needs?sdg=6&country=GW')).toEqual(both);
    expect(await browse(b.exchange.app, '/needs?sdg=6&region=Western%20Africa')).toEqual(both);
    expect(await browse(b.exchange.app, '/needs?sdg=6&sort=expiry')).toEqual(both);
    expect(await browse(b.exchange.app, '/needs?sdg=6&country=RW')).toEqual([]);
  });

  it("shows an update, a withdrawal and an offer written through the second in the first's browse", async () => {
    const need = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [9] }))
      .expect(201);
    const id: string = need.body.id;
    await sameOnBoth('/needs?sdg=9', (f) => f.includes(id), 'the need on both');

    await B()
      .patch(`/needs/${id}`)
      .set(auth(member))
      .send({ sdgs: [11], type: 'technology' })
      .expect(200);
    await sameOnBoth('/needs?sdg=11&type=technology', (f) => f.join() === id, "B's update in A's browse");
    expect(await browse(h.exchange.app, '/needs?sdg=9')).toEqual([]);

    await B().post(`/needs/${id}/withdraw`).set(auth(member)).send({}).expect(200);
    await sameOnBoth('/needs?sdg=11', (f) => f.length === 0, "B's withdrawal in A's browse");
    // The owner still finds it, withdrawn, through either instance.
    for (const app of [h.exchange.app, b.exchange.app]) {
      const owner = await request(app).get('/needs?sdg=11').set(auth(member));
      expect(owner.body.items.map((n: { status: string }) => n.status)).toEqual(['withdrawn']);
    }

    const offer = await B()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ sdgs: [14] }))
      .expect(201);
    await sameOnBoth('/offers?sdg=14&country=RW', (f) => f.join() === offer.body.id, "B's offer in A's");
  });

  it('shows a posting that opens after being a draft: the other instance reads it from the store', async () => {
    // Drafts publish nothing; the event of its publication (revision 2) lacks the creation date.
    const draft = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [12], status: 'draft' }))
      .expect(201);
    const later = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [12] }))
      .expect(201);
    await A().post(`/needs/${draft.body.id}/publish`).set(auth(member)).send({}).expect(200);
    // Newest first by creation: the draft was created before the other, and published after it.
    await sameOnBoth(
      '/needs?sdg=12',
      (f) => f.join() === [later.body.id, draft.body.id].join(),
      'the published draft on both, in creation order',
    );
  });

  it("follows an organisation's new country in both catalogs", async () => {
    const offer = await A()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ sdgs: [15] }))
      .expect(201);
    await sameOnBoth('/offers?sdg=15&country=RW', (f) => f.join() === offer.body.id, 'the offer in RW');
    await h.publishOrganisation(
      anOrganisation({ id: 'org-rw', revision: 2, country: 'SN', kind: 'technology-provider' }),
    );
    await sameOnBoth('/offers?sdg=15&country=SN', (f) => f.join() === offer.body.id, 'the offer in SN');
    expect(await browse(h.exchange.app, '/offers?sdg=15&country=RW')).toEqual([]);
    expect(await browse(b.exchange.app, '/offers?sdg=15&country=RW')).toEqual([]);
    // The posting's stored copy (for the coordinators' view of confidential notes) follows too,
    // written by whichever instance's consumer has the organisation's partition.
    await eventually(async () => (await b.exchange.repos.offers.get(offer.body.id))?.orgCountry === 'SN', {
      timeoutMs: 10_000,
      what: "the stored copy of the offer's country",
    });
  });

  it('expires a posting once, whichever instances sweep', async () => {
    const soon = new Date(Date.now() + 60_000);
    const need = await A()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ sdgs: [13], expiresAt: soon.toISOString() }))
      .expect(201);
    const id: string = need.body.id;
    await sameOnBoth('/needs?sdg=13', (f) => f.join() === id, 'the need on both');
    const at = new Date(soon.getTime() + 1_000);
    // B's catalog may still hold it as open when it sweeps: it reads the posting, finds it expired
    // and changes nothing.
    expect(await h.exchange.sweep(at)).toBe(1);
    expect(await b.exchange.sweep(at)).toBe(0);
    // Either way B no longer holds it as due (its scheduler would otherwise fire again at once).
    expect(b.exchange.repos.needs.dueForExpiry(at, 10)).not.toContain(id);
    await sameOnBoth('/needs?sdg=13', (f) => f.length === 0, 'the expiry on both');
    await eventually(() => h.eventsOf(id).length >= 2, { what: 'the expired event' });
    expect(await b.exchange.sweep(at)).toBe(0);
    expect(h.eventsOf(id).map((e) => `${e.type.split('.').pop()}@${e.revision}`)).toEqual([
      'published@1',
      'expired@2',
    ]);
  });

  it('misses nothing written while another instance starts', async () => {
    const written: string[] = [];
    const writing = (async () => {
      for (let i = 0; i < 15; i++) {
        const res = await A()
          .post('/needs')
          .set(auth(member))
          .send(aNeed({ sdgs: [17] }))
          .expect(201);
        written.unshift(res.body.id);
      }
    })();
    const c = await h.replica();
    try {
      await writing;
      const expected = JSON.stringify(written);
      await eventually(
        async () => JSON.stringify(await browse(c.exchange.app, '/needs?sdg=17')) === expected,
        { timeoutMs: 10_000, what: 'every need on the instance started meanwhile' },
      );
    } finally {
      await c.stop();
    }
  });
});
