import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNeed, anOffer, anOrganisation, type Harness, inDays, startExchange } from '../test/harness';

let h: Harness;
let member: string;
let admin: string;

beforeAll(async () => {
  h = await startExchange();
  member = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
  admin = await h.token({ sub: 'root', roles: ['admin'] });
  await h.publishOrganisation(anOrganisation({ id: 'org-gw' }));
  await h.organisationKnown('org-gw');
});
afterAll(async () => {
  await h?.stop();
});

const api = () => request(h.exchange.app);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const stored = async () => ({
  needs: await h.exchange.repos.needs.count(),
  offers: await h.exchange.repos.offers.count(),
});

const past = inDays(-1).toISOString();
// [case, body, the field the problem must name]
const badNeeds: [string, Record<string, unknown>, string][] = [
  ['type of wrong type', aNeed({ type: 7 }), 'type'],
  ['unknown type', aNeed({ type: 'charity' }), 'type'],
  ['title not a string', aNeed({ title: ['x'] }), 'title'],
  ['empty title', aNeed({ title: '  ' }), 'title'],
  ['description a number', aNeed({ description: 5 }), 'description'],
  ['unknown language', aNeed({ language: 'xx' }), 'language'],
  ['language of wrong shape', aNeed({ language: 'Portuguese' }), 'language'],
  ['no working language', aNeed({ workingLanguages: [] }), 'workingLanguages'],
  ['unknown working language', aNeed({ workingLanguages: ['pt', 'qq'] }), 'workingLanguages.1'],
  ['unknown sector', aNeed({ sectors: ['99999'] }), 'sectors.0'],
  ['sector as number', aNeed({ sectors: [23231] }), 'sectors.0'],
  ['SDG 18', aNeed({ sdgs: [18] }), 'sdgs.0'],
  ['SDG as string', aNeed({ sdgs: ['7'] }), 'sdgs.0'],
  ['negative amount', aNeed({ amount: { value: -1, currency: 'USD' } }), 'amount.value'],
  ['unknown currency', aNeed({ amount: { value: 10, currency: 'ZZZ' } }), 'amount.currency'],
  ['fundingRequired a string', aNeed({ fundingRequired: 'yes' }), 'fundingRequired'],
  ['unknown country of interest', aNeed({ countriesOfInterest: ['XX'] }), 'countriesOfInterest.0'],
  ['expiry in the past', aNeed({ expiresAt: past }), 'expiresAt'],
  ['expiry not a date', aNeed({ expiresAt: 'next year' }), 'expiresAt'],
  ['unknown field', aNeed({ priority: 'high' }), '(body)'],
  ['status of wrong value', aNeed({ status: 'matched' }), 'status'],
  ['confidential notes a number', aNeed({ confidentialNotes: 1 }), 'confidentialNotes'],
];
const badOffers: [string, Record<string, unknown>, string][] = [
  ['reversed amount range', anOffer({ amount: { min: 100, max: 10, currency: 'USD' } }), 'amount.min'],
  ['negative amount range', anOffer({ amount: { min: -5, max: 10, currency: 'USD' } }), 'amount.min'],
  ['capacity below zero', anOffer({ capacity: -1 }), 'capacity'],
  ['fractional capacity', anOffer({ capacity: 1.5 }), 'capacity'],
  ['capacity a string', anOffer({ capacity: '2' }), 'capacity'],
  ['unknown instrument', anOffer({ instrument: 'gift' }), 'instrument'],
  ['no types', anOffer({ types: [] }), 'types'],
  ['unknown modality', anOffer({ modalities: ['north-north'] }), 'modalities.0'],
  ['unknown priority', anOffer({ priorities: ['lmic'] }), 'priorities.0'],
  [
    'unknown eligibility region',
    anOffer({ eligibility: { regions: ['Atlantis'] } }),
    'eligibility.regions.0',
  ],
  ['unknown eligibility country', anOffer({ eligibility: { countries: ['ZZ'] } }), 'eligibility.countries.0'],
  ['unknown SSE form', anOffer({ eligibility: { sseForms: ['club'] } }), 'eligibility.sseForms.0'],
  [
    'unknown organisation kind',
    anOffer({ eligibility: { organisationKinds: ['bank'] } }),
    'eligibility.organisationKinds.0',
  ],
  [
    'developingOnly a string',
    anOffer({ eligibility: { developingOnly: 'true' } }),
    'eligibility.developingOnly',
  ],
  ['unknown eligibility field', anOffer({ eligibility: { maxSize: 5 } }), 'eligibility'],
  ['expiry in the past', anOffer({ expiresAt: past }), 'expiresAt'],
  [
    'call without places or budget',
    anOffer({ call: { opensAt: inDays(1).toISOString(), closesAt: inDays(10).toISOString() } }),
    'call.places',
  ],
  [
    'call closing before it opens',
    anOffer({ call: { places: 5, opensAt: inDays(10).toISOString(), closesAt: inDays(2).toISOString() } }),
    'call.closesAt',
  ],
  [
    'call closing after the offer expires',
    anOffer({ call: { places: 5, opensAt: inDays(1).toISOString(), closesAt: inDays(200).toISOString() } }),
    'call.closesAt',
  ],
  [
    'call closed already',
    anOffer({ call: { places: 5, opensAt: inDays(-9).toISOString(), closesAt: past } }),
    'call.closesAt',
  ],
  [
    'call with no places',
    anOffer({ call: { places: 0, opensAt: inDays(1).toISOString(), closesAt: inDays(9).toISOString() } }),
    'call.places',
  ],
  [
    'call budget in an unknown currency',
    anOffer({
      call: {
        budget: { value: 1000, currency: 'ZZZ' },
        opensAt: inDays(1).toISOString(),
        closesAt: inDays(9).toISOString(),
      },
    }),
    'call.budget.currency',
  ],
  [
    'call opening not a date',
    anOffer({ call: { places: 3, opensAt: 'soon', closesAt: inDays(9).toISOString() } }),
    'call.opensAt',
  ],
  [
    'call country cap above its places',
    anOffer({
      call: {
        places: 3,
        opensAt: inDays(1).toISOString(),
        closesAt: inDays(9).toISOString(),
        fairness: { countryCap: 4 },
      },
    }),
    'call.fairness.countryCap',
  ],
];

describe('calls', () => {
  it('stores a call with its terms in the public snapshot, and patches refuse bad terms', async () => {
    const opensOn = inDays(1).toISOString().slice(0, 10);
    const call = {
      places: 20,
      budget: { value: 500_000, currency: 'USD' },
      opensAt: opensOn,
      closesAt: inDays(30).toISOString(),
      fairness: { lowestFirst: true },
    };
    const res = await api().post('/offers').set(auth(member)).send(anOffer({ call }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.call).toEqual({ ...call, opensAt: `${opensOn}T00:00:00.000Z` });
    const id: string = res.body.id;
    const before = await stored();
    const bad = await api()
      .patch(`/offers/${id}`)
      .set(auth(member))
      .send({ call: { ...call, closesAt: `${opensOn}T00:00:00Z` } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['call.closesAt']);
    expect(await stored()).toEqual(before);
    const kept = await api().get(`/offers/${id}`).set(auth(member));
    expect(kept.body).toMatchObject({ revision: 1, call: { places: 20 } });
    // No longer a call: its terms go.
    const plain = await api().patch(`/offers/${id}`).set(auth(member)).send({ call: null });
    expect(plain.status).toBe(200);
    expect(plain.body.call).toBeUndefined();
  });
});

describe('bad input', () => {
  it.each(badNeeds)('need with %s: 400 naming the field, nothing stored', async (_, body, path) => {
    const before = await stored();
    const res = await api().post('/needs').set(auth(member)).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(res.body.detail).toContain(path);
    expect(await stored()).toEqual(before);
  });

  it.each(badOffers)('offer with %s: 400 naming the field, nothing stored', async (_, body, path) => {
    const before = await stored();
    const res = await api().post('/offers').set(auth(member)).send(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await stored()).toEqual(before);
  });

  it('refuses an oversized body with 413, a body that is not JSON with 400, and stores nothing', async () => {
    const before = await stored();
    const huge = await api()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ description: 'x'.repeat(70_000) }));
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/problem\+json/);
    const garbage = await api()
      .post('/needs')
      .set(auth(member))
      .set('Content-Type', 'application/json')
      .send('{"type":');
    expect(garbage.status).toBe(400);
    const longTitle = await api()
      .post('/needs')
      .set(auth(member))
      .send(aNeed({ title: 't'.repeat(201) }));
    expect(longTitle.status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('checks patches, renewals and imports the same way', async () => {
    const ok = await api().post('/offers').set(auth(member)).send(anOffer());
    expect(ok.status).toBe(201);
    const id: string = ok.body.id;
    const before = await stored();
    const cases = [
      api().patch(`/offers/${id}`).set(auth(member)).send({ capacity: -3 }),
      api()
        .patch(`/offers/${id}`)
        .set(auth(member))
        .send({ amount: { min: 5, max: 1, currency: 'USD' } }),
      api().patch(`/offers/${id}`).set(auth(member)).send({ expiresAt: past }),
      api().patch(`/offers/${id}`).set(auth(member)).send({ organisationId: 'org-x' }),
      api().patch(`/offers/${id}`).set(auth(member)).send({ title: null }),
      api().post(`/offers/${id}/renew`).set(auth(member)).send({ expiresAt: past }),
      api().post(`/offers/${id}/renew`).set(auth(member)).send({}),
      api().post(`/offers/${id}/withdraw`).set(auth(member)).send({ reason: 'x' }),
      api()
        .put('/offers/by-ref/x')
        .set(auth(admin))
        .send({ ...anOffer(), status: 'open' }),
      api()
        .put('/offers/by-ref/x')
        .set(auth(admin))
        .send({ ...anOffer({ capacity: -1 }), organisationId: 'org-gw', status: 'open' }),
      api()
        .put('/offers/by-ref/bad%20ref')
        .set(auth(admin))
        .send({ ...anOffer(), organisationId: 'org-gw', status: 'open' }),
    ];
    for (const res of await Promise.all(cases)) expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(await stored()).toEqual(before);
    expect((await api().get(`/offers/${id}`).set(auth(member))).body).toMatchObject({
      revision: 1,
      capacity: 2,
    });
  });
});
