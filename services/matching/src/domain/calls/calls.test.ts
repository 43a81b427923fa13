import { afterAll, describe, expect, it } from 'vitest';
import { HighsSolver } from '../../solver/highs';
import { aNeed, anOffer, anOrg, NOW } from '../testing/factories';
import { Dice, random } from '../testing/random-world';
import { assignCall, MIP_REL_GAP, relaxationBound } from './assign';
import { callCandidates } from './candidates';
import { greedyAssignment } from './greedy';
import type { CallAssignment, CallCandidate, CallTerms } from './types';

const solver = new HighsSolver();
afterAll(() => solver.close());

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const ids = (a: CallAssignment) => a.chosen.map((c) => c.needId).sort();

function candidate(needId: string, score: number, extra: Partial<CallCandidate> = {}): CallCandidate {
  return { needId, score, country: 'KE', ...extra };
}

function randomCandidates(seed: number, n: number): CallCandidate[] {
  const d = new Dice(random(seed));
  const countries = ['BR', 'KE', 'SN', 'VN', 'PE'];
  return Array.from({ length: n }, (_, i) =>
    candidate(`n${String(i).padStart(3, '0')}`, d.int(0, 1_000_000) / 1_000_000, {
      country: d.pick(countries),
      amount: { value: d.int(5, 60) * 1000, currency: 'USD' },
    }),
  );
}

/** Every subset of a small instance: the largest total (and, lowest-first, the floor and total). */
function bruteForce(terms: CallTerms, candidates: readonly CallCandidate[]) {
  const n = candidates.length;
  const subsets: { members: CallCandidate[]; total: number; min: number }[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const members = candidates.filter((_, j) => mask & (1 << j));
    if (terms.places !== undefined && members.length > terms.places) continue;
    if (terms.budget && sum(members.map((m) => m.amount?.value ?? 0)) > terms.budget.value) continue;
    const cap = terms.fairness?.countryCap;
    if (cap !== undefined) {
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m.country, (counts.get(m.country) ?? 0) + 1);
      if ([...counts.values()].some((c) => c > cap)) continue;
    }
    const scores = members.map((m) => m.score);
    subsets.push({ members, total: sum(scores), min: Math.min(...scores) });
  }
  const best = subsets.reduce((a, b) => (b.total > a.total ? b : a));
  if (!terms.fairness?.lowestFirst) return { total: best.total };
  const k = best.members.length;
  const floor = Math.max(...subsets.filter((s) => s.members.length >= k).map((s) => s.min));
  const total = Math.max(
    ...subsets.filter((s) => s.members.length >= k && s.min >= floor).map((s) => s.total),
  );
  return { total, floor };
}

describe('a call assigned by HiGHS', () => {
  it('gives 20 places to the 20 highest-scored of 200 eligible needs, within the solver bound, and says why', async () => {
    const candidates = randomCandidates(7, 200);
    const terms: CallTerms = { places: 20 };
    const result = await assignCall(terms, candidates, solver.solve);

    const best20 = [...candidates].sort((a, b) => b.score - a.score).slice(0, 20);
    expect(ids(result)).toEqual(best20.map((c) => c.needId).sort());
    expect(result.objective).toBeCloseTo(sum(best20.map((c) => c.score)), 9);
    expect(result.bound).toBeGreaterThanOrEqual(result.objective - 1e-9);
    expect(result.objective).toBeGreaterThanOrEqual(result.bound * (1 - MIP_REL_GAP));
    expect(result.leftOut).toHaveLength(180);
    for (const c of result.chosen)
      expect(c.reason).toMatchObject({ code: 'call.chosen.top', params: { places: 20 } });
    const rank23 = result.leftOut.find((c) => c.rank === 23);
    expect(rank23?.reason).toEqual({
      code: 'call.left-out.places',
      params: { rank: 23, places: 20, lowestChosenRank: 20 },
    });
    expect(result.leftOut.every((c) => c.reason.code === 'call.left-out.places')).toBe(true);
  });

  it('takes its candidates from the engine: only needs passing every hard rule, scored as the engine scores them', async () => {
    const countries = ['KE', 'SN', 'BR', 'VN', 'PE', 'GH', 'BD', 'BO'];
    const orgs = countries.map((country) => anOrg({ id: `org-${country}`, country }));
    const offerOrg = anOrg({ id: 'org-call', country: 'ZA', languages: ['en', 'fr'] });
    const byId = new Map([...orgs, offerOrg].map((o) => [o.id, o]));
    const offer = anOffer({ id: 'call', organisationId: 'org-call', sdgs: [7, 5, 13], capacity: 20 });
    const d = new Dice(random(11));
    const needs = Array.from({ length: 220 }, (_, i) =>
      aNeed({
        id: `need-${i}`,
        organisationId: `org-${d.pick(countries)}`,
        sdgs: [d.pick([7, 5, 13, 1, 2])],
        countriesOfInterest: d.chance(0.5) ? [d.pick(['ZA', 'NA', 'KE'])] : [],
        // One need in eleven speaks no language the offer works in: R5 keeps it out.
        workingLanguages: i % 11 === 10 ? ['es'] : ['fr'],
      }),
    );
    const candidates = callCandidates(offer, needs, (id) => byId.get(id), NOW);
    expect(candidates).toHaveLength(200);
    expect(candidates.some((c) => c.needId === 'need-10')).toBe(false);
    const result = await assignCall({ places: 20 }, candidates, solver.solve);
    const scores = candidates.map((c) => c.score).sort((a, b) => b - a);
    expect(result.chosen).toHaveLength(20);
    expect(result.objective).toBeCloseTo(sum(scores.slice(0, 20)), 9);
    const lowestChosen = Math.min(...result.chosen.map((c) => c.score));
    expect(Math.max(...result.leftOut.map((c) => c.score))).toBeLessThanOrEqual(lowestChosen);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'matches exhaustive enumeration on a small instance with places, a budget and a country cap (seed %i)',
    async (seed) => {
      const d = new Dice(random(seed * 31));
      const candidates = randomCandidates(seed, 12);
      const terms: CallTerms = {
        places: d.int(3, 8),
        budget: { value: d.int(60, 200) * 1000, currency: 'USD' },
        fairness: d.chance(0.5) ? { countryCap: d.int(1, 3) } : {},
      };
      const result = await assignCall(terms, candidates, solver.solve, { mipRelGap: 0 });
      expect(result.objective).toBeCloseTo(bruteForce(terms, candidates).total, 9);
      const bound = await relaxationBound(terms, candidates, solver.solve);
      expect(bound).toBeGreaterThanOrEqual(result.objective - 1e-9);
      expect(result.budgetUsed).toBeLessThanOrEqual(terms.budget?.value ?? 0);
    },
  );

  it.each([1, 2, 3, 4, 5, 6])(
    'raises the lowest chosen score first, as exhaustive enumeration does (seed %i)',
    async (seed) => {
      const d = new Dice(random(seed * 97));
      const candidates = randomCandidates(seed + 100, 12);
      const terms: CallTerms = {
        budget: { value: d.int(60, 160) * 1000, currency: 'USD' },
        fairness: { lowestFirst: true },
      };
      const result = await assignCall(terms, candidates, solver.solve, { mipRelGap: 0 });
      const expected = bruteForce(terms, candidates);
      expect(result.floor).toBeCloseTo(expected.floor ?? Number.NaN, 9);
      expect(result.objective).toBeCloseTo(expected.total, 9);
      expect(Math.min(...result.chosen.map((c) => c.score))).toBeCloseTo(expected.floor ?? Number.NaN, 9);
    },
  );

  it('spends a budget on the set worth most, which first-come and best-first greedy both miss', async () => {
    const usd = (value: number) => ({ value, currency: 'USD' });
    const candidates = [
      candidate('a', 0.9, { amount: usd(60_000), appliedAt: '2026-11-01T00:00:00Z' }),
      candidate('b', 0.8, { amount: usd(50_000), appliedAt: '2026-11-03T00:00:00Z' }),
      candidate('c', 0.7, { amount: usd(50_000), appliedAt: '2026-11-04T00:00:00Z' }),
      // Asked in euros: weighed in the call's currency.
      candidate('d', 0.3, { amount: { value: 40_000, currency: 'EUR' }, appliedAt: '2026-10-30T00:00:00Z' }),
      candidate('e', 0.95),
    ];
    const terms: CallTerms = { budget: usd(100_000) };
    const result = await assignCall(terms, candidates, solver.solve);
    expect(ids(result)).toEqual(['b', 'c']);
    expect(result.objective).toBeCloseTo(1.5, 9);
    expect(greedyAssignment(terms, candidates, 'best-first').objective).toBeCloseTo(0.9, 9);
    // First come: d (about 46,000 USD), then a no longer fits, b does.
    expect(greedyAssignment(terms, candidates, 'first-come').objective).toBeCloseTo(1.1, 9);
    const why = new Map([...result.chosen, ...result.leftOut].map((c) => [c.needId, c.reason]));
    expect(why.get('e')).toEqual({ code: 'call.left-out.no-amount', params: { rank: 1 } });
    expect(why.get('a')).toMatchObject({
      code: 'call.left-out.budget',
      params: { amount: 60_000, remaining: 0 },
    });
    expect(why.get('b')).toMatchObject({
      code: 'call.chosen.over-higher',
      params: { rank: 3, passedOver: 1 },
    });
    expect(result.budgetUsed).toBe(100_000);
  });

  it('holds each country to its cap, giving the places to the next best elsewhere', async () => {
    const candidates = [
      ...[0.99, 0.98, 0.97, 0.96].map((s, i) => candidate(`br${i}`, s, { country: 'BR' })),
      ...[0.5, 0.4, 0.3, 0.2].map((s, i) => candidate(`ke${i}`, s, { country: ['KE', 'SN', 'VN', 'PE'][i] })),
    ];
    const result = await assignCall({ places: 5, fairness: { countryCap: 2 } }, candidates, solver.solve);
    expect(ids(result)).toEqual(['br0', 'br1', 'ke0', 'ke1', 'ke2']);
    const br2 = result.leftOut.find((c) => c.needId === 'br2');
    expect(br2?.reason).toEqual({
      code: 'call.left-out.country-cap',
      params: { rank: 3, country: 'BR', cap: 2 },
    });
    expect(result.leftOut.find((c) => c.needId === 'ke3')?.reason.code).toBe('call.left-out.places');
  });

  it('explains a need kept out by the fairness floor', async () => {
    const usd = (value: number) => ({ value, currency: 'USD' });
    const candidates = [
      candidate('a', 0.9, { amount: usd(50) }),
      candidate('b', 0.85, { amount: usd(45) }),
      candidate('c', 0.2, { amount: usd(5) }),
      candidate('d', 0.6, { amount: usd(30) }),
      candidate('e', 0.6, { amount: usd(30) }),
      candidate('f', 0.55, { amount: usd(40) }),
    ];
    const plain = await assignCall({ budget: usd(100) }, candidates, solver.solve);
    expect(ids(plain)).toEqual(['a', 'b', 'c']);
    const fair = await assignCall(
      { budget: usd(100), fairness: { lowestFirst: true } },
      candidates,
      solver.solve,
    );
    expect(ids(fair)).toEqual(['d', 'e', 'f']);
    expect(fair.floor).toBe(0.55);
    expect(fair.leftOut.find((c) => c.needId === 'c')?.reason).toEqual({
      code: 'call.left-out.below-floor',
      params: { rank: 6, score: 0.2, floor: 0.55 },
    });
  });

  it('assigns nothing, without failing, when no need is eligible', async () => {
    const result = await assignCall({ places: 3 }, [], solver.solve);
    expect(result).toMatchObject({ chosen: [], leftOut: [], objective: 0 });
  });
});

describe('ties at the edge of a call', () => {
  it('says a need chosen over another of the same score was chosen at the top, not over a better one', async () => {
    // Three needs of one score for two places: which two is the solver's choice, and neither was
    // passed over for a better need.
    const candidates = [candidate('a', 0.9), candidate('b', 0.7), candidate('c', 0.7), candidate('d', 0.7)];
    const result = await assignCall({ places: 3 }, candidates, solver.solve);
    expect(result.objective).toBeCloseTo(2.3, 9);
    expect(result.chosen.map((c) => c.reason.code)).toEqual([
      'call.chosen.top',
      'call.chosen.top',
      'call.chosen.top',
    ]);
    expect(result.leftOut).toHaveLength(1);
    expect(result.leftOut[0]?.reason.code).toBe('call.left-out.places');
  });
});
