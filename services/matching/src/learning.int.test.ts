import { type ProposalSnapshot, Topics } from '@mutirao/contracts';
import { eventually, type TestIssuer } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchingTestbed } from '../test/harness';
import { CRITERIA, WEIGHTS } from './domain/score';
import { aNeed, anOffer, anOrg } from './domain/testing/factories';
import type { Matching } from './matching';

const bed = matchingTestbed('learning-test');
const NOW = new Date('2026-11-28T00:00:00Z');
let runtime: Matching | undefined;
let issuer: TestIssuer;
const startService = () => bed.start(() => NOW);

// A cooperative in Guinea-Bissau; the same technology offered from Senegal (a neighbour: the
// engine ranks it first) and from France (north-south, farther); capacity building offered twice
// from Senegal, for a need of its own.
const coop = anOrg({ id: 'org-gw', country: 'GW' });
const near = anOrg({ id: 'org-sn', name: 'Sahel Solar', country: 'SN', languages: ['fr', 'en'] });
const far = anOrg({
  id: 'org-fr',
  name: 'Lyon Énergie',
  country: 'FR',
  kind: 'technology-provider',
  languages: ['fr', 'en'],
});
const offerNear = anOffer({ id: 'offer-sn', organisationId: near.id });
const offerFar = anOffer({ id: 'offer-fr', organisationId: far.id });
const training = (id: string, sectors: string[]) =>
  anOffer({
    id,
    organisationId: near.id,
    types: ['capacity-building'],
    sectors,
    title: 'Training for technicians',
  });
const trainGood = training('offer-train-1', ['23231']);
const trainOther = training('offer-train-2', ['23231', '31120']);
const need1 = aNeed({ id: 'need-1', organisationId: coop.id });
const need0 = aNeed({ id: 'need-0', organisationId: coop.id, type: 'capacity-building' });
const need2 = aNeed({ id: 'need-2', organisationId: coop.id, title: 'Another solar mini-grid' });

const emit = bed.emit;

beforeAll(async () => {
  ({ issuer } = await bed.setUp([Topics.organisation, Topics.need, Topics.offer, Topics.proposal]));
  runtime = await startService();
}, 60_000);

afterAll(() => bed.tearDown());

const coordinator = () =>
  issuer.sign({ sub: 'coord-wa', roles: ['coordinator'], regions: ['Western Africa'] });
const member = () => issuer.sign({ sub: 'm-gw', org: coop.id, roles: ['member'] });
const api = () => {
  if (!runtime) throw new Error('not running');
  return request(runtime.app);
};

async function proposalsOf(needId: string, count: number): Promise<ProposalSnapshot[]> {
  return eventually(
    async () => {
      const res = await api()
        .get('/proposals?limit=100&status=proposed,approved,declined,rejected')
        .set('authorization', `Bearer ${await coordinator()}`);
      const mine = (res.body.items as ProposalSnapshot[]).filter((p) => p.needId === needId);
      return mine.length >= count ? mine.sort((a, b) => a.rank - b.rank) : undefined;
    },
    { what: `${count} proposals of ${needId}` },
  );
}

async function review(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await api()
    .post(`/proposals/${id}/review`)
    .set('authorization', `Bearer ${await coordinator()}`)
    .send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('learning from decisions, in the service', () => {
  it('keeps every review and consent decision with its reason and the proposal’s features', async () => {
    await emit(
      Topics.organisation,
      'org.mutirao.profiles.organisation.registered',
      [coop, near, far],
      'organisation',
    );
    await emit(
      Topics.offer,
      'org.mutirao.exchange.offer.published',
      [offerNear, offerFar, trainGood, trainOther],
      'offer',
    );
    await emit(Topics.need, 'org.mutirao.exchange.need.published', [need1, need0], 'need');
    const [first, second] = await proposalsOf(need1.id, 2);
    // Without a decision there is no model: the engine's order, the neighbour first.
    expect(runtime?.learning.current()).toBeUndefined();
    expect(first?.offerIds).toEqual([offerNear.id]);
    expect(second?.offerIds).toEqual([offerFar.id]);
    expect(first?.explanation.summarySentences?.some((s) => s.code.startsWith('learning.'))).toBe(false);
    const [train1, train2] = await proposalsOf(need0.id, 2);
    if (!first || !second || !train1 || !train2) throw new Error('no proposals');

    await review(train1.id, { decision: 'approved' });
    await review(train2.id, { decision: 'rejected', reason: 'wrong-sector' });
    await review(first.id, { decision: 'approved' });
    const declined = await api()
      .post(`/proposals/${first.id}/decline`)
      .set('authorization', `Bearer ${await member()}`)
      .send({ reason: 'not-interested' });
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    const bad = await api()
      .post(`/proposals/${second.id}/decline`)
      .set('authorization', `Bearer ${await member()}`)
      .send({ reason: 'boring' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);

    const kept = await runtime?.stores.decisions.all();
    expect(kept?.map((d) => [d.proposalId, d.kind, d.decision, d.reason]).sort()).toEqual(
      [
        [train1.id, 'review', 'approved', undefined],
        [train2.id, 'review', 'rejected', 'wrong-sector'],
        [first.id, 'review', 'approved', undefined],
        [first.id, 'consent', 'declined', 'not-interested'],
      ].sort(),
    );
    const consent = kept?.find((d) => d.kind === 'consent');
    expect(consent).toMatchObject({
      organisationId: coop.id,
      region: 'africa',
      pairKind: 'technology/south-south',
    });
    // The features are the score's criteria: weighted by the engine's weights, they give its score.
    const score = CRITERIA.reduce((s, c) => s + WEIGHTS[c] * (consent?.features[c] ?? 0), 0);
    expect(score).toBeCloseTo(first.score, 3);
  });

  it('trains a model from them and ranks the next need with it, saying why, without breaking a rule', async () => {
    await eventually(() => runtime?.learning.trainedOn === 4, {
      what: 'the model trained on the four decisions',
    });
    const model = runtime?.learning.current();
    // The approval and the rejection of need-0's two proposals are a pair to learn from (and the
    // rejection's reason another).
    expect(model?.globalPairs).toBeGreaterThanOrEqual(1);
    expect(model?.disinterest.get(coop.id)?.get('technology/south-south')).toBeCloseTo(0.7, 6);

    await emit(Topics.need, 'org.mutirao.exchange.need.published', [need2], 'need');
    const [top, next] = await proposalsOf(need2.id, 2);
    // The cooperative said it was not interested in south-south technology: the French offer comes first.
    expect(top?.offerIds).toEqual([offerFar.id]);
    expect(next?.offerIds).toEqual([offerNear.id]);
    const note = next?.explanation.summarySentences?.find((s) => s.code === 'learning.not-interested');
    expect(note?.params).toMatchObject({
      org: coop.name,
      type: { of: 'needType', code: 'technology' },
      modality: { of: 'modality', code: 'south-south' },
      factor: 0.7,
    });
    expect(next?.explanation.summary).toContain(
      `${coop.name} said it was not interested in technology (South-South) partnerships: ranked lower (score × 0.7).`,
    );
    for (const p of [top, next]) expect(p?.explanation.rules.every((r) => r.ok)).toBe(true);
  });

  it('trains again from the stored decisions after a restart', async () => {
    await runtime?.stop();
    runtime = await startService();
    expect(runtime.learning.trainedOn).toBe(4);
    expect(runtime.learning.current()?.disinterest.get(coop.id)?.get('technology/south-south')).toBeCloseTo(
      0.7,
      6,
    );
  });
});
