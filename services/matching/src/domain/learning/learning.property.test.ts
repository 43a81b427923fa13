import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchNeed } from '../engine';
import { MatchIndex } from '../match-index';
import { countryFacts } from '../reference';
import { CRITERIA } from '../score';
import { randomWorld, WORLD_NOW } from '../testing/random-world';
import { FUNDER_RULES, isRejected, PROVIDER_RULES, passes, singleRules, triadPartners } from '../triad-rules';
import type { Pair, Proposal } from '../types';
import { type DecisionReason, type DecisionRecord, pairKind } from './decisions';
import { train } from './model';
import { rerank } from './rerank';

/**
 * Whatever decisions the model learns from, the proposals it ranks still pass every hard rule: it
 * re-weights scores and never overrides a rule. Checked against the rules themselves, not against
 * the engine's word.
 */

const REGIONS = ['africa', 'americas', 'asia', 'europe', 'oceania'];
const REASONS: DecisionReason[] = [
  'wrong-sector',
  'too-far',
  'off-topic',
  'no-shared-goal',
  'amount-mismatch',
  'not-a-priority',
  'not-interested',
  'poor-fit',
  'other',
];
const KINDS = ['technology', 'financing', 'market-access', 'capacity-building'].flatMap((t) =>
  ['south-south', 'north-south', 'triangular'].map((m) => `${t}/${m}`),
);

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const features = fc.record(
  Object.fromEntries(CRITERIA.map((c) => [c, unit])) as Record<(typeof CRITERIA)[number], typeof unit>,
);

function decisionLog(orgIds: readonly string[]) {
  return fc.array(
    fc.record({
      needId: fc.constantFrom('n1', 'n2', 'n3', 'n4', 'n5', 'n6'),
      kind: fc.constantFrom('review' as const, 'consent' as const),
      decision: fc.constantFrom(
        'approved' as const,
        'rejected' as const,
        'accepted' as const,
        'declined' as const,
      ),
      reason: fc.option(fc.constantFrom(...REASONS), { nil: undefined }),
      organisationId: fc.constantFrom(...orgIds),
      region: fc.constantFrom(...REGIONS),
      pairKind: fc.constantFrom(...KINDS),
      features,
    }),
    { maxLength: 300 },
  );
}

function passesEveryRule(
  p: Proposal,
  pairOf: (offerId: string) => Pair | undefined,
  rejected: ReadonlySet<string>,
) {
  if (isRejected(p.needId, p.offerIds, rejected)) return false;
  const [first, second] = p.offerIds.map(pairOf);
  if (!first) return false;
  if (p.offerIds.length === 1) return passes(singleRules(first.need), first);
  if (!second) return false;
  return (
    passes(PROVIDER_RULES, first) &&
    passes(FUNDER_RULES, second) &&
    triadPartners(first.offerOrg, second.offerOrg).ok
  );
}

describe('learning never overrides a hard rule', () => {
  it('every proposal ranked after learning passes every hard rule, and is one the engine made', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (worldSeed, logSeed) => {
          const world = randomWorld(worldSeed, { organisations: 30, needs: 40, offers: 120 });
          const index = MatchIndex.build(world);
          const orgs = new Map(world.organisations.map((o) => [o.id, o]));
          const offers = new Map(world.offers.map((o) => [o.id, o]));
          const [log] = fc.sample(decisionLog([...orgs.keys()]), { seed: logSeed, numRuns: 1 });
          const decisions: DecisionRecord[] = (log ?? []).map((d, i) => ({
            ...d,
            proposalId: `p${i}`,
            at: WORLD_NOW.toISOString(),
          }));
          const model = train(decisions, { epochs: 60 });
          for (const region of [...model.regions.values(), model.global]) {
            expect(Object.values(region).every((w) => w >= 0)).toBe(true);
            expect(Object.values(region).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
          }
          let ranked = 0;
          for (const need of world.needs) {
            const needOrg = orgs.get(need.organisationId);
            if (!needOrg) continue;
            const engine = matchNeed(need, { index, now: WORLD_NOW, rejected: world.rejected, limit: 6 });
            const learnt = rerank(engine, {
              model,
              region: countryFacts(needOrg.country)?.region?.toLowerCase() ?? '',
              parties: (p) => [
                need.organisationId,
                ...p.offerIds.map((id) => offers.get(id)?.organisationId ?? ''),
              ],
              kind: (p) => pairKind(need.type, p.modality),
            });
            const pairOf = (offerId: string): Pair | undefined => {
              const offer = offers.get(offerId);
              const offerOrg = offer && orgs.get(offer.organisationId);
              return offer && offerOrg ? { need, needOrg, offer, offerOrg, now: WORLD_NOW } : undefined;
            };
            for (const p of learnt) {
              expect(passesEveryRule(p, pairOf, world.rejected)).toBe(true);
              expect(engine.some((e) => e.offerIds.join() === p.offerIds.join())).toBe(true);
            }
            expect(learnt.map((p) => p.rank)).toEqual(learnt.map((_, i) => i + 1));
            ranked += learnt.length;
          }
          // Not vacuous: the worlds must give proposals to rank.
          expect(ranked).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});
