import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNeed, anOffer, anOrganisation, type Harness, inDays, startExchange } from '../test/harness';

let h: Harness;
let admin: string;
let member: string;

beforeAll(async () => {
  h = await startExchange();
  admin = await h.token({ sub: 'root', roles: ['admin'] });
  member = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
  await h.publishOrganisation(anOrganisation({ id: 'org-gw' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-rw', country: 'RW', kind: 'technology-provider' }));
  await h.publishOrganisation(anOrganisation({ id: 'org-pending', country: 'SN', verification: 'pending' }));
  for (const id of ['org-gw', 'org-rw', 'org-pending']) await h.organisationKnown(id);
});
afterAll(async () => {
  await h?.stop();
});

const api = () => request(h.exchange.app);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const needItem = (ref: string, over: Record<string, unknown> = {}) => ({
  ...aNeed(),
  ref,
  organisationId: 'org-gw',
  status: 'open',
  ...over,
});
const offerItem = (ref: string, over: Record<string, unknown> = {}) => ({
  ...anOffer(),
  ref,
  organisationId: 'org-rw',
  status: 'open',
  ...over,
});
const stored = async () => ({
  needs: h.exchange.repos.needs.count(),
  offers: h.exchange.repos.offers.count(),
  inDb:
    (await h.exchange.repos.needs.model.countDocuments()) +
    (await h.exchange.repos.offers.model.countDocuments()),
});

describe('importing postings in batches', () => {
  it('refuses the whole batch when one item is invalid, naming the item and field, and stores nothing', async () => {
    const before = await stored();
    const items = [
      needItem('N-1'),
      needItem('N-2'),
      needItem('N-3', { sectors: ['99999'] }),
      needItem('N-4'),
    ];
    const res = await api().post('/needs/import').set(auth(admin)).send({ items });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'items.2.sectors.0', message: expect.stringMatching(/unknown DAC/) }),
    ]);
    const repeated = await api()
      .post('/needs/import')
      .set(auth(admin))
      .send({ items: [needItem('N-1'), needItem('N-1')] });
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([expect.objectContaining({ path: 'items.1.ref' })]);
    const unknownField = await api()
      .post('/needs/import')
      .set(auth(admin))
      .send({ items: [{ ...needItem('N-1'), colour: 'red' }] });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].path).toBe('items.0');
    expect(await stored()).toEqual(before);
  });

  it('refuses the batch when the rules refuse one item (an unverified organisation publishing), storing nothing', async () => {
    const before = await stored();
    const res = await api()
      .post('/needs/import')
      .set(auth(admin))
      .send({ items: [needItem('P-1'), needItem('P-2', { organisationId: 'org-pending' })] });
    expect(res.status).toBe(403);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'items.1', message: expect.stringMatching(/verified organisation/) }),
    ]);
    // An organisation the exchange has not heard of yet: the same refusal, so the importer retries.
    const unknown = await api()
      .post('/offers/import')
      .set(auth(admin))
      .send({ items: [offerItem('P-3', { organisationId: 'org-nobody' })] });
    expect(unknown.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('creates, then leaves unchanged, then updates only what changed, with one event per change', async () => {
    const items = Array.from({ length: 120 }, (_, i) => offerItem(`O-${i}`, { capacity: 1 + (i % 3) }));
    const first = await api().post('/offers/import').set(auth(admin)).send({ items });
    expect(first.status).toBe(200);
    expect(first.body.results).toHaveLength(120);
    expect(first.body.results.every((r: { result: string }) => r.result === 'created')).toBe(true);
    expect(first.body.results.map((r: { ref: string }) => r.ref)).toEqual(items.map((i) => i.ref));

    const again = await api().post('/offers/import').set(auth(admin)).send({ items });
    expect(again.body.results.every((r: { result: string }) => r.result === 'unchanged')).toBe(true);

    const changed = items.map((i, k) => (k === 7 ? { ...i, title: 'Solar mini-grids, second call' } : i));
    const third = await api().post('/offers/import').set(auth(admin)).send({ items: changed });
    const outcomes = third.body.results.map((r: { result: string }) => r.result);
    expect(outcomes.filter((r: string) => r === 'updated')).toHaveLength(1);
    expect(outcomes[7]).toBe('updated');

    const id7 = third.body.results[7].id as string;
    await eventually(() => h.eventsOf(id7).length >= 2, { what: 'the created and edited events' });
    expect(h.eventsOf(id7).map((e) => e.revision)).toEqual([1, 2]);
    // Every created offer reached the topic once the relay ran, and every outbox is empty.
    await eventually(() => first.body.results.every((r: { id: string }) => h.eventsOf(r.id).length >= 1), {
      what: 'an event for every imported offer',
    });
    await eventually(
      async () => (await h.exchange.repos.offers.model.countDocuments({ outboxPending: true })) === 0,
      { what: 'the outboxes emptied' },
    );
  });

  it('is for the admin only', async () => {
    const res = await api()
      .post('/needs/import')
      .set(auth(member))
      .send({ items: [needItem('M-1')] });
    expect(res.status).toBe(403);
  });

  it('imports past-dated postings as expired, like the single upsert', async () => {
    const res = await api()
      .post('/needs/import')
      .set(auth(admin))
      .send({ items: [needItem('OLD-1', { expiresAt: inDays(-3).toISOString() })] });
    expect(res.status).toBe(200);
    const view = await api().get('/needs/by-ref/OLD-1').set(auth(admin));
    expect(view.body.status).toBe('expired');
  });
});

describe('browsing from the catalog', () => {
  it('finds what was imported, and still after a restart, from the store', async () => {
    const items = Array.from({ length: 30 }, (_, i) =>
      needItem(`B-${i}`, {
        type: i % 2 ? 'financing' : 'technology',
        expiresAt: inDays(10 + i).toISOString(),
      }),
    );
    await api().post('/needs/import').set(auth(admin)).send({ items }).expect(200);
    const browse = async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api()
          .get(
            `/needs?type=technology&region=Western%20Africa&sort=expiry&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
          )
          .set(auth(member));
        expect(page.status).toBe(200);
        ids.push(...page.body.items.map((n: { ref: string }) => n.ref));
        cursor = page.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const expected = items.filter((_, i) => i % 2 === 0).map((i) => i.ref);
    expect(await browse()).toEqual(expected);
    await h.restart();
    expect(await browse()).toEqual(expected);
  });
});
