import {
  CallEventSchemas,
  type CallRound,
  type CloudEvent,
  type OfferSnapshot,
  ProposalEventSchemas,
  type ProposalSnapshot,
  Topics,
} from '@mutirao/contracts';
import { eventually, type TestIssuer } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchingTestbed } from '../test/harness';
import { MIP_REL_GAP } from './domain/calls/assign';
import { callCandidates } from './domain/calls/candidates';
import { aNeed, anOffer, anOrg } from './domain/testing/factories';
import { Dice, random } from './domain/testing/random-world';
import { CallRound as CallRoundSchema, ProposalPage } from './http/schemas';
import type { Matching } from './matching';

const bed = matchingTestbed('calls-test');
let runtime: Matching | undefined;
let issuer: TestIssuer;
const proposed: CloudEvent[] = [];
const rounds: CloudEvent[] = [];

/** The service as main.ts wires it, on the real clock: a call closes when its time comes. */
const startService = () => bed.start(() => new Date());

// The world: a call's organisation in Rwanda, 200 needs that pass every hard rule for its offer
// (organisations in ten developing countries, scores spread by their goals, sectors and countries
// of interest), and 30 that do not (a type the call does not provide, or an unverified organisation).
const countries = ['GW', 'SN', 'KE', 'BR', 'VN', 'PE', 'GH', 'BD', 'BO', 'NP'];
const orgs = countries.map((country) => anOrg({ id: `org-${country}`, country }));
const unverified = anOrg({ id: 'org-unverified', country: 'ML', verification: 'pending' });
const callOrg = anOrg({ id: 'org-call', country: 'RW', languages: ['en', 'fr'] });
const d = new Dice(random(17));
const eligible = Array.from({ length: 200 }, (_, i) =>
  aNeed({
    id: `need-${String(i).padStart(3, '0')}`,
    organisationId: `org-${d.pick(countries)}`,
    sdgs: d.pick([[7], [7, 5], [7, 13], [5, 13], [1, 2], [7, 5, 13], []]),
    sectors: d.pick([['23231'], ['23231', '23210'], ['23210'], ['23230', '31120']]),
    countriesOfInterest: d.pick([[], ['RW'], ['KE'], ['RW', 'UG']]),
    description: d.pick([
      'Install a solar mini-grid with storage and train local technicians.',
      'Solar pumps for irrigation of the cooperative fields.',
      'A cold room for the fish market, powered by the sun.',
      'Bookkeeping training for the members.',
    ]),
  }),
);
const ineligible = [
  ...Array.from({ length: 20 }, (_, i) =>
    aNeed({ id: `need-fin-${i}`, organisationId: 'org-SN', type: 'financing', fundingRequired: true }),
  ),
  ...Array.from({ length: 10 }, (_, i) => aNeed({ id: `need-unv-${i}`, organisationId: unverified.id })),
];
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const call = (id: string, closesAt: string, over: Partial<OfferSnapshot['call']> = {}): OfferSnapshot =>
  anOffer({
    id,
    organisationId: callOrg.id,
    sdgs: [7, 5, 13],
    capacity: 20,
    call: { places: 20, opensAt: inSeconds(-3600), closesAt, ...over },
  });
// Closes on its own, a few seconds after the service that saw it published has been restarted
// (published in that test, so that a slow start of the file does not eat its time).
let timed: OfferSnapshot;
// Closes in 2030 unless a coordinator closes it first.
const asked = call('call-asked', '2030-06-30T23:59:59.999Z');
const plain = anOffer({ id: 'offer-plain', organisationId: callOrg.id, types: ['capacity-building'] });

const emit = bed.emit;

beforeAll(async () => {
  ({ issuer } = await bed.setUp([
    Topics.organisation,
    Topics.need,
    Topics.offer,
    Topics.proposal,
    Topics.call,
  ]));
  await bed.read(Topics.proposal, ProposalEventSchemas, proposed);
  await bed.read(Topics.call, CallEventSchemas, rounds);
  runtime = await startService();
}, 60_000);

afterAll(() => bed.tearDown());

const admin = () => issuer.sign({ sub: 'root', roles: ['admin'] });
const eastAfrica = () =>
  issuer.sign({ sub: 'coord-ea', roles: ['coordinator'], regions: ['Eastern Africa'] });
const southAmerica = () =>
  issuer.sign({ sub: 'coord-sa', roles: ['coordinator'], regions: ['South America'] });
const member = () => issuer.sign({ sub: 'm-call', org: callOrg.id, roles: ['member'] });
const api = () => {
  if (!runtime) throw new Error('not running');
  return request(runtime.app);
};

async function roundProposals(roundId: string): Promise<ProposalSnapshot[]> {
  const res = await api()
    .get(`/proposals?round=${roundId}&limit=100`)
    .set('authorization', `Bearer ${await admin()}`);
  expect(res.status).toBe(200);
  return ProposalPage.parse(res.body).items;
}

/** What the engine's rules and scores make of the world, worked out here from the snapshots. */
function expectedBest(offer: OfferSnapshot, k: number) {
  const byId = new Map([...orgs, unverified, callOrg].map((o) => [o.id, o]));
  const candidates = callCandidates(offer, [...eligible, ...ineligible], (id) => byId.get(id), new Date());
  const best = [...candidates].sort((a, b) => b.score - a.score).slice(0, k);
  return { candidates, best, total: best.reduce((s, c) => s + c.score, 0) };
}

function expectOptimal(round: CallRound, offer: OfferSnapshot): void {
  const { candidates, best, total } = expectedBest(offer, 20);
  expect(candidates).toHaveLength(200);
  expect(round.eligible).toBe(200);
  expect(round.chosen).toHaveLength(20);
  expect(round.leftOut).toHaveLength(180);
  // The optimum: the solver's objective is within its gap of its own proved bound, and equals the
  // best 20 scores of the eligible needs (places alone: the 20 highest-scored are optimal).
  expect(round.bound).toBeGreaterThanOrEqual(round.objective - 1e-9);
  expect(round.objective).toBeGreaterThanOrEqual(round.bound * (1 - MIP_REL_GAP));
  expect(round.objective).toBeCloseTo(total, 6);
  // The chosen scores are the best 20 (ties may pick either of two needs of one score).
  const rounded = (x: number) => Math.round(x * 1e4) / 1e4;
  expect(round.chosen.map((c) => c.score).sort()).toEqual(best.map((c) => rounded(c.score)).sort());
  const ids = new Set([...round.chosen, ...round.leftOut].map((n) => n.needId));
  for (const n of ineligible) expect(ids.has(n.id)).toBe(false);
  for (const c of round.chosen) {
    expect(c.reason.sentence.code).toBe('call.chosen.top');
    expect(c.reason.text).toContain(
      `the 20 highest-scored of 200 eligible needs; this need ranked ${c.reason.rank}.`,
    );
  }
  const [firstOut] = round.leftOut;
  expect(firstOut?.reason.sentence).toMatchObject({ code: 'call.left-out.places', params: { n: 20 } });
  expect(firstOut?.reason.text).toMatch(
    new RegExp(
      `the call's 20 places went to higher-scored needs .*this need ranked ${firstOut?.reason.rank}\\.`,
    ),
  );
}

describe('calls against real Kafka and FerretDB', () => {
  let timedRound: CallRound;

  it('keeps calls out of the pair-by-pair matching: their needs wait for the round', async () => {
    await emit(
      Topics.organisation,
      'org.mutirao.profiles.organisation.registered',
      [...orgs, unverified, callOrg],
      'organisation',
    );
    await emit(Topics.offer, 'org.mutirao.exchange.offer.published', [asked, plain], 'offer');
    await emit(Topics.need, 'org.mutirao.exchange.need.published', [...eligible, ...ineligible], 'need');
    await eventually(
      async () => {
        const m = runtime?.matcher;
        return (
          m &&
          eligible.every((n) => m.index.need(n.id)) &&
          [asked, plain].every((o) => m.index.offer(o.id)) &&
          m.idle()
        );
      },
      { what: 'matching has taken the world in', timeoutMs: 30_000 },
    );
    const queue = await api()
      .get('/proposals?limit=100')
      .set('authorization', `Bearer ${await admin()}`);
    // The plain offer provides a type no need asks for; the calls are never proposed pair by pair.
    expect(queue.body.items).toEqual([]);
    expect(runtime?.matcher.index.offer(asked.id)?.call?.places).toBe(20);
  });

  it('closes a call at its closing time, after a restart, with the optimal assignment of its 20 places', async () => {
    timed = call('call-timed', inSeconds(15));
    await emit(Topics.offer, 'org.mutirao.exchange.offer.published', [timed], 'offer');
    await eventually(() => runtime?.matcher.index.offer(timed.id), { what: 'the timed call taken in' });
    // The service stops before the call closes: the new one arms the timer from the stored offer.
    await runtime?.stop();
    runtime = await startService();
    expect(new Date(timed.call?.closesAt ?? 0).getTime()).toBeGreaterThan(Date.now());
    const res = await eventually(
      async () => {
        const r = await api()
          .get(`/calls/${timed.id}/round`)
          .set('authorization', `Bearer ${await admin()}`);
        return r.status === 200 ? r : undefined;
      },
      { what: 'the timed call solved at its closing', timeoutMs: 60_000, intervalMs: 500 },
    );
    timedRound = CallRoundSchema.parse(res.body);
    expect(timedRound.trigger).toBe('closing');
    expect(new Date(timedRound.at).getTime()).toBeGreaterThanOrEqual(
      new Date(timed.call?.closesAt ?? 0).getTime(),
    );
    expectOptimal(timedRound, timed);
  }, 90_000);

  it('stores one proposal per chosen need, tagged with the round, and publishes them and the round', async () => {
    const items = await roundProposals(timedRound.id);
    expect(items.map((p) => p.needId).sort()).toEqual(timedRound.chosen.map((c) => c.needId).sort());
    for (const p of items) {
      expect(p).toMatchObject({
        status: 'proposed',
        offerIds: [timed.id],
        round: { id: timedRound.id, offerId: timed.id },
      });
      expect(p.round?.reason.sentence.code).toBe('call.chosen.top');
      expect(p.explanation.rules.every((r) => r.ok)).toBe(true);
    }
    await eventually(
      () =>
        proposed.filter(
          (e) => (e.data as { proposal: ProposalSnapshot }).proposal.round?.id === timedRound.id,
        ).length === 20,
      { what: "the round's 20 proposed events" },
    );
    const solved = await eventually(
      () => rounds.find((e) => (e.data as { round: CallRound }).round.id === timedRound.id),
      { what: 'the solved event' },
    );
    expect(solved.type).toBe('org.mutirao.matching.call.solved');
    expect(solved.subject).toBe(timed.id);
  });

  it('lets a coordinator of the call’s region close a call early, once; others may not', async () => {
    const path = `/calls/${asked.id}/solve`;
    expect(
      (
        await api()
          .post(path)
          .set('authorization', `Bearer ${await southAmerica()}`)
      ).status,
    ).toBe(403);
    expect(
      (
        await api()
          .post(path)
          .set('authorization', `Bearer ${await member()}`)
      ).status,
    ).toBe(403);
    expect(
      (
        await api()
          .post(`/calls/${plain.id}/solve`)
          .set('authorization', `Bearer ${await admin()}`)
      ).status,
    ).toBe(404);
    const res = await api()
      .post(path)
      .set('authorization', `Bearer ${await eastAfrica()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const round = CallRoundSchema.parse(res.body);
    expect(round.trigger).toBe('coordinator');
    // Its needs are the timed call's too: a need may be chosen by several calls.
    expectOptimal(round, asked);
    const again = await api()
      .post(path)
      .set('authorization', `Bearer ${await admin()}`);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(await roundProposals(round.id)).toHaveLength(20);
  });

  it('sends the round’s proposals through the usual review, and a need ranked again keeps them', async () => {
    const [first, second] = await roundProposals(timedRound.id);
    if (!first || !second) throw new Error('no proposals');
    const approved = await api()
      .post(`/proposals/${first.id}/review`)
      .set('authorization', `Bearer ${await admin()}`)
      .send({ decision: 'approved' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', round: { id: timedRound.id } });
    // A change of the second's need ranks it again: its call proposal is not the ranking's to expire.
    const need = eligible.find((n) => n.id === second.needId);
    if (!need) throw new Error('no need');
    await emit(
      Topics.need,
      'org.mutirao.exchange.need.updated',
      [{ ...need, revision: 2, title: 'Solar, again' }],
      'need',
    );
    await eventually(
      () => runtime?.matcher.index.need(need.id)?.title === 'Solar, again' && runtime.matcher.idle(),
      {
        what: 'the need ranked again',
      },
    );
    const res = await api()
      .get(`/proposals/${second.id}`)
      .set('authorization', `Bearer ${await admin()}`);
    expect(res.body.status).toBe('proposed');
  });
});
