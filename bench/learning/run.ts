import { matchNeed } from '../../services/matching/src/domain/engine';
import {
  type DecisionReason,
  type DecisionRecord,
  pairKind,
  proposalFeatures,
} from '../../services/matching/src/domain/learning/decisions';
import { learnedScore, train, weightsFor } from '../../services/matching/src/domain/learning/model';
import { MatchIndex } from '../../services/matching/src/domain/match-index';
import { countryFacts } from '../../services/matching/src/domain/reference';
import { CRITERIA, type PartValues, WEIGHTS } from '../../services/matching/src/domain/score';
import type { CriterionName, Proposal } from '../../services/matching/src/domain/types';
import { BENCH_NOW, Generator, mulberry32, Rng } from '../matching/generate';

/**
 * Learning benchmark (issue 17): coordinators with hidden preferences that differ by region review
 * the engine's proposals (seeded); the model is trained on the first 80% of the decision log and
 * scored on the rest: precision@1, how often the proposal ranked first is the one the coordinator
 * approved, with the engine's weights (before) and the learnt ones (after). Prints figures.
 *
 *   node --import tsx bench/learning/run.ts [needs] [offers] [seed]
 */

const [needCount = 3_000, offerCount = 20_000, seed = 42] = process.argv.slice(2).map(Number);

/** What coordinators of each region weigh, unknown to the model: the engine's weights times these. */
const HIDDEN: Record<string, Partial<Record<CriterionName, number>>> = {
  africa: { geography: 3, sector: 1.5 },
  americas: { sector: 3, amount: 2 },
  asia: { text: 2.5, sdg: 2 },
  europe: { priority: 3 },
  oceania: { geography: 2 },
};
/** How unsure a coordinator is between close proposals (a Gumbel scale, in score units). */
const NOISE = 0.01;

const REASON_OF: Record<CriterionName, DecisionReason> = {
  sector: 'wrong-sector',
  geography: 'too-far',
  text: 'off-topic',
  sdg: 'no-shared-goal',
  amount: 'amount-mismatch',
  priority: 'not-a-priority',
};

function hiddenWeights(region: string): Record<CriterionName, number> {
  const raw = CRITERIA.map((c) => WEIGHTS[c] * (HIDDEN[region]?.[c] ?? 1));
  const total = raw.reduce((s, x) => s + x, 0);
  return Object.fromEntries(CRITERIA.map((c, i) => [c, (raw[i] as number) / total])) as Record<
    CriterionName,
    number
  >;
}
const dot = (w: Record<CriterionName, number>, x: PartValues) =>
  CRITERIA.reduce((s, c) => s + w[c] * x[c], 0);

const started = performance.now();
const generator = new Generator(seed);
const world = generator.world({ organisations: Math.ceil(offerCount / 5), needs: 0, offers: offerCount });
const index = MatchIndex.build(world);
const organisations = new Map(world.organisations.map((o) => [o.id, o]));
const rng = new Rng(mulberry32(seed * 31));
const gumbel = () => -Math.log(-Math.log(Math.max(1e-12, rng.float())));

interface Slate {
  needId: string;
  region: string;
  proposals: Proposal[];
  approved: string;
}
const slates: Slate[] = [];
const log: DecisionRecord[] = [];
let day = 0;
while (slates.length < needCount) {
  const need = generator.need();
  const org = organisations.get(need.organisationId);
  const region = org && countryFacts(org.country)?.region?.toLowerCase();
  if (!region) continue;
  const proposals = matchNeed(need, { index, now: BENCH_NOW, limit: 5 });
  if (proposals.length < 3) continue;
  const hidden = hiddenWeights(region);
  const utility = proposals.map((p) => dot(hidden, proposalFeatures(p)) + NOISE * gumbel());
  const best = utility.indexOf(Math.max(...utility));
  const approved = proposals[best] as Proposal;
  const at = new Date(BENCH_NOW.getTime() + day++ * 3_600_000).toISOString();
  const xa = proposalFeatures(approved);
  for (const p of proposals) {
    const x = proposalFeatures(p);
    const yes = p === approved;
    // The criterion on which the rejected proposal loses most against the approved one, in the
    // coordinator's own weights; named half the time, "poor fit" otherwise.
    const worst = CRITERIA.reduce((a, c) =>
      hidden[c] * (xa[c] - x[c]) > hidden[a] * (xa[a] - x[a]) ? c : a,
    );
    log.push({
      proposalId: `${need.id}:${p.offerIds.join('+')}`,
      needId: need.id,
      kind: 'review',
      decision: yes ? 'approved' : 'rejected',
      reason: yes ? undefined : rng.chance(0.5) ? REASON_OF[worst] : 'poor-fit',
      region,
      pairKind: pairKind(need.type, p.modality),
      features: x,
      at,
    });
  }
  slates.push({ needId: need.id, region, proposals, approved: approved.offerIds.join('+') });
}
console.log(
  `generated ${slates.length} reviewed needs (${log.length} decisions, ${Math.min(...slates.map((s) => s.proposals.length))}–${Math.max(...slates.map((s) => s.proposals.length))} proposals each) over ${offerCount} offers in ${((performance.now() - started) / 1000).toFixed(1)} s, seed ${seed}`,
);

const cut = Math.floor(slates.length * 0.8);
const trainingNeeds = new Set(slates.slice(0, cut).map((s) => s.needId));
const heldOut = slates.slice(cut);
const t0 = performance.now();
const model = train(log.filter((d) => trainingNeeds.has(d.needId)));
const trainMs = performance.now() - t0;

const top = (s: Slate, score: (p: Proposal) => number) =>
  s.proposals.reduce((a, b) => (score(b) > score(a) ? b : a)).offerIds.join('+');
const before = (s: Slate) => top(s, (p) => p.score) === s.approved;
const after = (s: Slate) =>
  top(s, (p) => learnedScore(weightsFor(model, s.region), proposalFeatures(p))) === s.approved;
const share = (xs: readonly Slate[], hit: (s: Slate) => boolean) =>
  xs.filter(hit).length / Math.max(1, xs.length);

console.log(`trained on ${cut} needs (${model.globalPairs} pairs) in ${trainMs.toFixed(0)} ms\n`);
console.log('region     held-out  p@1 before  p@1 after   learnt weights (hidden)');
for (const region of Object.keys(HIDDEN)) {
  const mine = heldOut.filter((s) => s.region === region);
  if (mine.length === 0) continue;
  const w = weightsFor(model, region);
  const h = hiddenWeights(region);
  const own = model.regions.has(region) ? '' : ' (global model)';
  console.log(
    `${region.padEnd(10)} ${String(mine.length).padStart(8)}  ${share(mine, before).toFixed(3).padStart(10)}  ${share(mine, after).toFixed(3).padStart(9)}   ${CRITERIA.map((c) => `${c} ${w[c].toFixed(2)} (${h[c].toFixed(2)})`).join(', ')}${own}`,
  );
}
const p1Before = share(heldOut, before);
const p1After = share(heldOut, after);
console.log(
  `\nprecision@1 on held-out decisions: ${p1Before.toFixed(3)} → ${p1After.toFixed(3)} (+${(p1After - p1Before).toFixed(3)})`,
);
console.log(
  `learning: heldOut=${heldOut.length} p1Before=${p1Before.toFixed(3)} p1After=${p1After.toFixed(3)}`,
);
