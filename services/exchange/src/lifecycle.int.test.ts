import type { ProposalSnapshot } from '@mutirao/contracts';
import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNeed, anOffer, anOrganisation, type Harness, inDays, startExchange } from '../test/harness';

// The clock the service sees; tests move it to make postings expire.
let clock = new Date();
let h: Harness;
let member: string; // member of org-gw (verified below)
let partner: string; // member of org-rw
let stranger: string; // member of another organisation
let admin: string;
let coordinator: string;

beforeAll(async () => {
  // Alone, as `npm start` runs it on FerretDB (it holds the store's lease): no follower.
  h = await startExchange({ now: () => clock, followOtherInstances: false });
  member = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
  partner = await h.token({ sub: 'jean', org: 'org-rw', roles: ['member'] });
  stranger = await h.token({ sub: 'eve', org: 'org-pe', roles: ['member'] });
  admin = await h.token({ sub: 'root', roles: ['admin'] });
  coordinator = await h.token({ sub: 'kofi', roles: ['coordinator'], regions: ['Western Africa'] });
  await h.publishOrganisation(anOrganisation({ id: 'org-gw', verification: 'pending' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-rw', country: 'RW', kind: 'technology-provider' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-pe', country: 'PE' }));
  await h.organisationKnown('org-gw');
  await h.organisationKnown('org-rw');
  await h.organisationKnown('org-pe');
});
afterAll(async () => {
  await h?.stop();
});

const api = () => request(h.exchange.app);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const typesOf = (subject: string) =>
  h.eventsOf(subject).map((e) => `${e.type.split('.').pop()}@${e.revision}`);

const agreed = (id: string, needId: string, offerIds: string[]): ProposalSnapshot => ({
  id,
  revision: 7,
  updatedAt: new Date().toISOString(),
  needId,
  offerIds,
  needOrganisationId: 'org-gw',
  offerOrganisationIds: offerIds.map(() => 'org-rw'),
  needType: 'financing',
  needCountry: 'GW',
  modality: 'south-south',
  score: 0.8,
  rank: 1,
  status: 'agreed',
  explanation: { summary: 'fits', rules: [], criteria: [] },
  consents: { 'org-gw': 'accepted', 'org-rw': 'accepted' },
});

describe('the life of a need', () => {
  it('drafts before verification, publishes after, and every public change is one event with its revision', async () => {
    const draft = await api()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ status: 'draft', confidentialNotes: 'our bank details' }));
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      status: 'draft',
      revision: 1,
      organisationId: 'org-gw',
      confidentialNotes: 'our bank details',
    });
    const id: string = draft.body.id;

    const refused = await api().post(`/needs/${id}/publish`).set(auth(member)).send({});
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/verified organisation/);
    const openRefused = await api().post('/needs').set(auth(member)).send(aNeed());
    expect(openRefused.status).toBe(403);

    // Others do not see a draft at all; the owner does.
    expect((await api().get(`/needs/${id}`).set(auth(stranger))).status).toBe(404);
    expect((await api().get(`/needs/${id}`).set(auth(member))).status).toBe(200);

    await h.publishOrganisation(anOrganisation({ id: 'org-gw', revision: 2, verification: 'verified' }));
    await h.organisationKnown('org-gw', 2);

    const published = await api().post(`/needs/${id}/publish`).set(auth(member)).send({});
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'open', revision: 2 });

    const patched = await api()
      .patch(`/needs/${id}`)
      .set(auth(member))
      .send({ sdgs: [7, 5, 13], amount: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ revision: 3, sdgs: [7, 5, 13] });
    expect(patched.body.amount).toBeUndefined();

    const renewed = await api()
      .post(`/needs/${id}/renew`)
      .set(auth(member))
      .send({ expiresAt: inDays(120, clock).toISOString() });
    expect(renewed.body).toMatchObject({ status: 'open', revision: 4 });

    await eventually(() => h.eventsOf(id).length >= 3, { what: 'three events' });
    expect(typesOf(id)).toEqual(['published@2', 'updated@3', 'updated@4']);
    const last = h.eventsOf(id).at(-1)?.data.need as Record<string, unknown>;
    expect(last).toMatchObject({
      id,
      organisationId: 'org-gw',
      status: 'open',
      revision: 4,
      sdgs: [7, 5, 13],
    });
    expect(JSON.stringify(h.eventsOf(id))).not.toContain('bank details');

    // Everyone else sees it now, without the confidential notes; a coordinator of the region sees them.
    const other = await api().get(`/needs/${id}`).set(auth(stranger));
    expect(other.status).toBe(200);
    expect(other.body.confidentialNotes).toBeUndefined();
    const coord = await api().get(`/needs/${id}`).set(auth(coordinator));
    expect(coord.body.confidentialNotes).toBe('our bank details');

    const withdrawn = await api().post(`/needs/${id}/withdraw`).set(auth(member)).send({});
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', revision: 5 });
    await eventually(() => h.eventsOf(id).length >= 4, { what: 'withdrawn event' });
    expect(typesOf(id).at(-1)).toBe('withdrawn@5');
    const again = await api().patch(`/needs/${id}`).set(auth(member)).send({ title: 'Too late' });
    expect(again.status).toBe(409);
  });

  it('closes an open posting', async () => {
    const created = await api().post('/offers').set(auth(partner)).send(anOffer());
    const id: string = created.body.id;
    const closed = await api().post(`/offers/${id}/close`).set(auth(partner)).send({});
    expect(closed.body).toMatchObject({ status: 'closed', revision: 2 });
    // The write wakes the relay (its poll is a minute here): published and removed within moments.
    await eventually(
      async () => (await h.exchange.repos.offers.model.findById(id).lean())?.outbox.length === 0,
      {
        timeoutMs: 1_000,
        intervalMs: 5,
        what: 'the outbox emptied by the woken relay',
      },
    );
    await eventually(() => h.eventsOf(id).length >= 2, { what: 'offer events' });
    expect(typesOf(id)).toEqual(['published@1', 'closed@2']);
  });

  it('expires open postings at their date through sweep(now), and the owner renews an expired one', async () => {
    const soon = await api()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ expiresAt: inDays(1, clock).toISOString() }));
    const later = await api()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ expiresAt: inDays(10, clock).toISOString() }));
    const [needId, offerId] = [soon.body.id as string, later.body.id as string];

    expect(await h.exchange.sweep(inDays(0.5, clock))).toBe(0);
    clock = inDays(2, clock);
    expect(await h.exchange.sweep(clock)).toBeGreaterThanOrEqual(1);
    expect((await api().get(`/needs/${needId}`).set(auth(member))).body.status).toBe('expired');
    expect((await api().get(`/offers/${offerId}`).set(auth(partner))).body.status).toBe('open');
    // Expired postings leave the public listing; the owner still sees them.
    expect((await api().get(`/needs/${needId}`).set(auth(stranger))).status).toBe(404);
    await eventually(() => typesOf(needId).includes('expired@2'), { what: 'expired event' });

    const edit = await api().patch(`/needs/${needId}`).set(auth(member)).send({ title: 'x' });
    expect(edit.status).toBe(409);
    const past = await api()
      .post(`/needs/${needId}/renew`)
      .set(auth(member))
      .send({ expiresAt: inDays(-1, clock).toISOString() });
    expect(past.status).toBe(400);
    const renewed = await api()
      .post(`/needs/${needId}/renew`)
      .set(auth(member))
      .send({ expiresAt: inDays(30, clock).toISOString() });
    expect(renewed.body).toMatchObject({ status: 'open', revision: 3 });
    await eventually(() => typesOf(needId).includes('published@3'), { what: 'republished' });
    expect(await h.exchange.sweep(clock)).toBe(0);
  });

  it('expires a posting at its date with nobody calling: the scheduler timer', async () => {
    const created = await api()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ expiresAt: new Date(clock.getTime() + 1_500).toISOString() }));
    const id: string = created.body.id;
    // Move the service's clock forward with real time so the timer's date arrives.
    const started = Date.now();
    const base = clock;
    const tick = setInterval(() => {
      clock = new Date(base.getTime() + (Date.now() - started));
    }, 50);
    try {
      await eventually(() => typesOf(id).includes('expired@2'), {
        what: 'expiry by the scheduler',
        timeoutMs: 10_000,
      });
    } finally {
      clearInterval(tick);
    }
  });
});

describe('concurrent writes', () => {
  it('lose no change and no event: every revision reaches the topic once the relay has run', async () => {
    const created = await api()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ capacity: 0 }));
    const id: string = created.body.id;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api()
          .patch(`/offers/${id}`)
          .set(auth(partner))
          .send({ capacity: i + 1 }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    // Writers that lost the race too often are told so (409); none is silently dropped.
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const final = await api().get(`/offers/${id}`).set(auth(partner));
    expect(final.body.revision).toBe(1 + ok.length);
    await eventually(() => h.eventsOf(id).length >= final.body.revision, { what: 'every revision' });
    expect(h.eventsOf(id).map((e) => e.revision)).toEqual(
      Array.from({ length: final.body.revision }, (_, i) => i + 1),
    );
  });
});

describe('ownership', () => {
  it('answers 403 to anyone changing a posting of another organisation, and changes nothing', async () => {
    const created = await api().post('/offers').set(auth(partner)).send(anOffer());
    const id: string = created.body.id;
    const attempts = [
      api().patch(`/offers/${id}`).set(auth(stranger)).send({ capacity: 9 }),
      api().post(`/offers/${id}/withdraw`).set(auth(stranger)).send({}),
      api().post(`/offers/${id}/close`).set(auth(stranger)).send({}),
      api()
        .post(`/offers/${id}/renew`)
        .set(auth(stranger))
        .send({ expiresAt: inDays(200, clock).toISOString() }),
      api().patch(`/offers/${id}`).set(auth(coordinator)).send({ capacity: 9 }),
      api()
        .put('/offers/by-ref/stolen')
        .set(auth(partner))
        .send({ ...anOffer(), organisationId: 'org-rw', status: 'open' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const forOther = await api()
      .post('/offers')
      .set(auth(stranger))
      .send({ ...anOffer(), organisationId: 'org-rw' });
    expect(forOther.status).toBe(403);
    const after = await api().get(`/offers/${id}`).set(auth(partner));
    expect(after.body).toMatchObject({ revision: 1, capacity: 2, status: 'open' });
    expect((await api().get('/offers').set({})).status).toBe(401);
  });
});

describe('agreed partnerships', () => {
  it('match the need and use one unit of each offer; replaying the report changes nothing', async () => {
    const need = await api().post('/needs').set(auth(member)).send(aNeed());
    const provider = await api()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ capacity: 1 }));
    const funder = await api()
      .post('/offers')
      .set(auth(partner))
      .send(anOffer({ capacity: 3, instrument: 'grant', types: ['financing'] }));
    const [n, o1, o2] = [need.body.id as string, provider.body.id as string, funder.body.id as string];

    const report = agreed('prop-1', n, [o1, o2]);
    await h.publishAgreed(report);
    await eventually(
      async () => (await api().get(`/needs/${n}`).set(auth(member))).body.status === 'matched',
      {
        what: 'need matched',
      },
    );
    // Once the need shows as matched, the offers already show the capacity it took.
    expect((await api().get(`/offers/${o1}`).set(auth(partner))).body).toMatchObject({
      capacity: 0,
      status: 'open',
      revision: 2,
    });
    expect((await api().get(`/offers/${o2}`).set(auth(partner))).body).toMatchObject({
      capacity: 2,
      revision: 2,
    });
    await eventually(() => typesOf(o2).includes('capacity-changed@2'), { what: 'capacity events' });

    // The same report twice more, then a marker report on another need to know they were processed.
    await h.publishAgreed(report);
    await h.publishAgreed(report);
    const marker = await api().post('/needs').set(auth(member)).send(aNeed());
    await h.publishAgreed(agreed('prop-marker', marker.body.id, [o2]));
    await eventually(() => typesOf(marker.body.id).includes('matched@2'), { what: 'marker processed' });

    expect((await api().get(`/offers/${o1}`).set(auth(partner))).body).toMatchObject({
      capacity: 0,
      revision: 2,
    });
    expect((await api().get(`/offers/${o2}`).set(auth(partner))).body).toMatchObject({
      capacity: 1,
      revision: 3,
    });
    expect((await api().get(`/needs/${n}`).set(auth(member))).body).toMatchObject({
      status: 'matched',
      revision: 2,
    });
    expect(typesOf(n)).toEqual(['published@1', 'matched@2']);
    expect(typesOf(o1)).toEqual(['published@1', 'capacity-changed@2']);

    // An offer at zero capacity takes another agreement without going negative or emitting anything.
    await h.publishAgreed(agreed('prop-2', marker.body.id, [o1]));
    const probe = await api().post('/needs').set(auth(member)).send(aNeed());
    await h.publishAgreed(agreed('prop-probe', probe.body.id, [o2]));
    await eventually(() => typesOf(probe.body.id).includes('matched@2'), { what: 'probe processed' });
    expect((await api().get(`/offers/${o1}`).set(auth(partner))).body).toMatchObject({
      capacity: 0,
      revision: 2,
    });
  });
});

describe('admin upsert by reference (the importer)', () => {
  it('creates, updates and leaves unchanged, with no event or revision when nothing changed', async () => {
    const body = { ...aNeed(), organisationId: 'org-gw', status: 'open', expiresAt: '2031-06-30' };
    const first = await api().put('/needs/by-ref/need-gw-solar').set(auth(admin)).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      result: 'created',
      posting: { ref: 'need-gw-solar', revision: 1, status: 'open' },
    });
    expect(first.body.posting.expiresAt).toBe('2031-06-30T23:59:59.999Z');
    const id: string = first.body.posting.id;
    const second = await api().put('/needs/by-ref/need-gw-solar').set(auth(admin)).send(body);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ result: 'unchanged', posting: { revision: 1 } });
    const third = await api()
      .put('/needs/by-ref/need-gw-solar')
      .set(auth(admin))
      .send({ ...body, sdgs: [7] });
    expect(third.body).toMatchObject({ result: 'updated', posting: { revision: 2, sdgs: [7] } });
    await eventually(() => h.eventsOf(id).length >= 2, { what: 'import events' });
    expect(typesOf(id)).toEqual(['published@1', 'updated@2']);
    expect((await api().get('/needs/by-ref/need-gw-solar').set(auth(admin))).body).toMatchObject({
      id,
      revision: 2,
    });

    // A posting whose date has passed is imported as expired rather than refused.
    const old = await api()
      .put('/offers/by-ref/off-old')
      .set(auth(admin))
      .send({ ...anOffer({ expiresAt: '2025-05-31' }), organisationId: 'org-rw', status: 'open' });
    expect(old.status).toBe(201);
    expect(old.body.posting).toMatchObject({ status: 'expired' });
    // The owner may edit what the admin imported.
    const own = await api().patch(`/needs/${id}`).set(auth(member)).send({ title: 'Nova' });
    expect(own.body).toMatchObject({ revision: 3, title: 'Nova' });
  });
});

describe('browse and search', () => {
  it('filters, sorts and pages with an opaque cursor; others see only open postings', async () => {
    const mk = (over: Record<string, unknown>, token = member) =>
      api().post('/needs').set(auth(token)).send(aNeed(over)).expect(201);
    await mk({
      type: 'technology',
      sectors: ['31140'],
      sdgs: [2],
      workingLanguages: ['fr'],
      expiresAt: inDays(5, clock).toISOString(),
    });
    await mk({
      type: 'technology',
      sectors: ['31140'],
      sdgs: [2],
      workingLanguages: ['fr'],
      expiresAt: inDays(3, clock).toISOString(),
    });
    await mk({
      type: 'technology',
      sectors: ['31140'],
      sdgs: [2],
      workingLanguages: ['fr'],
      status: 'draft',
    });
    await mk({ type: 'technology', sectors: ['31140'], sdgs: [2], workingLanguages: ['fr'] }, stranger);

    const q = '/needs?type=technology&sectorCategory=311&sdg=2&language=fr';
    const mine = await api().get(q).set(auth(member));
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(4);
    const theirs = await api().get(q).set(auth(partner));
    expect(theirs.body.items).toHaveLength(3);
    expect(theirs.body.items.every((n: { status: string }) => n.status === 'open')).toBe(true);

    const westAfrica = await api().get(`${q}&region=Western%20Africa`).set(auth(partner));
    expect(westAfrica.body.items).toHaveLength(2);
    const peru = await api().get(`${q}&country=PE`).set(auth(partner));
    expect(peru.body.items).toHaveLength(1);
    const drafts = await api().get(`${q}&status=draft`).set(auth(partner));
    expect(drafts.body.items).toHaveLength(0);

    const byExpiry = await api().get(`${q}&sort=expiry&region=Western%20Africa`).set(auth(partner));
    const expiries = byExpiry.body.items.map((n: { expiresAt: string }) => n.expiresAt);
    expect(expiries).toEqual([...expiries].sort());

    // Pages of one, newest first, through every open posting of the filter, none twice.
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api()
        .get(`${q}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(partner));
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((n: { id: string }) => n.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(theirs.body.items.map((n: { id: string }) => n.id));

    for (const bad of [
      'limit=500',
      'sdg=18',
      'region=Atlantis',
      'country=XX',
      'sectorCategory=999',
      'cursor=zzz',
      'colour=red',
    ])
      expect((await api().get(`/needs?${bad}`).set(auth(partner))).status, bad).toBe(400);
  });

  it("moves a posting with its organisation's new country, with no follower", async () => {
    await h.publishOrganisation(anOrganisation({ id: 'org-mv', country: 'RW', kind: 'technology-provider' }));
    await h.organisationKnown('org-mv');
    const mover = await h.token({ sub: 'kofi', org: 'org-mv', roles: ['member'] });
    const offer = await api()
      .post('/offers')
      .set(auth(mover))
      .send(anOffer({ sdgs: [16], expiresAt: inDays(30, clock).toISOString() }))
      .expect(201);
    const found = async (query: string) =>
      (await api().get(query).set(auth(partner))).body.items.map((o: { id: string }) => o.id);
    expect(await found('/offers?sdg=16&country=RW')).toEqual([offer.body.id]);
    await h.publishOrganisation(
      anOrganisation({ id: 'org-mv', revision: 2, country: 'SN', kind: 'technology-provider' }),
    );
    await eventually(async () => (await found('/offers?sdg=16&country=SN')).length === 1, {
      timeoutMs: 10_000,
      what: 'the offer found in its new country',
    });
    expect(await found('/offers?sdg=16&region=Western%20Africa')).toEqual([offer.body.id]);
    expect(await found('/offers?sdg=16&country=RW')).toEqual([]);
  });
});
