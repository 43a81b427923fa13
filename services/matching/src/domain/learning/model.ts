import { CRITERIA, type PartValues, WEIGHTS } from '../score';
import type { CriterionName } from '../types';
import { type DecisionRecord, positive, REASON_CRITERION } from './decisions';

/**
 * A ranking model learnt from decisions: pairwise logistic regression over the score's criteria
 * (P(a preferred to b) = σ(θ · (x_a − x_b))), fitted on every approved-versus-rejected pair of one
 * need's proposals, pulled towards the engine's weights (L2 prior) so that little data moves little.
 * A rejection whose reason names a criterion adds a pair of its own: the rejected proposal against
 * one that is perfect on that criterion alone, which raises that criterion's weight. A region with
 * enough pairs gets its own model, pulled towards the global one.
 *
 * The model only re-weights the score: it orders proposals the engine produced, every one of which
 * passed every hard rule, and it can neither add one nor bring back a rejected pair.
 */

export type Weights = Readonly<Record<CriterionName, number>>;

export interface LearnedModel {
  readonly global: Weights;
  readonly regions: ReadonlyMap<string, Weights>;
  /** Pairs each region's model was fitted on (the global one: all). */
  readonly pairs: ReadonlyMap<string, number>;
  readonly globalPairs: number;
  /** organisation id → pair kind → factor in (0, 1]: how much that party's "not interested" lowers it. */
  readonly disinterest: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface TrainOptions {
  /** A region needs this many pairs for a model of its own. */
  readonly minRegionPairs?: number;
  /** Strength of the pull towards the prior (L2, per pair). */
  readonly prior?: number;
  readonly epochs?: number;
  readonly learningRate?: number;
  /** Each "not interested" multiplies the kind's score for that party by this. */
  readonly notInterestedFactor?: number;
}

/** The engine's weights as logistic coefficients: their scale sets how sure the prior is. */
const PRIOR_SCALE = 10;
const MIN_FACTOR = 0.25;

interface Pair {
  readonly diff: Float64Array;
  readonly region: string;
}

const vector = (x: PartValues) => Float64Array.from(CRITERIA, (c) => x[c]);

function pairsOf(decisions: readonly DecisionRecord[]): Pair[] {
  const pairs: Pair[] = [];
  const byNeed = new Map<string, DecisionRecord[]>();
  for (const d of decisions) {
    if (d.kind !== 'review') continue;
    byNeed.set(d.needId, [...(byNeed.get(d.needId) ?? []), d]);
  }
  for (const slate of byNeed.values()) {
    const yes = slate.filter(positive);
    const no = slate.filter((d) => !positive(d));
    for (const a of yes)
      for (const r of no) {
        const xa = vector(a.features);
        const xr = vector(r.features);
        pairs.push({ diff: xa.map((v, i) => v - (xr[i] as number)), region: a.region });
      }
    for (const r of no) {
      const criterion = r.reason && REASON_CRITERION[r.reason];
      if (!criterion) continue;
      const i = CRITERIA.indexOf(criterion);
      const diff = new Float64Array(CRITERIA.length);
      diff[i] = 1 - r.features[criterion];
      pairs.push({ diff, region: r.region });
    }
  }
  return pairs;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function fit(pairs: readonly Pair[], prior: Float64Array, options: Required<TrainOptions>): Float64Array {
  const theta = Float64Array.from(prior);
  if (pairs.length === 0) return theta;
  const grad = new Float64Array(theta.length);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    grad.fill(0);
    for (const { diff } of pairs) {
      let z = 0;
      for (let i = 0; i < theta.length; i++) z += (theta[i] as number) * (diff[i] as number);
      const miss = 1 - sigmoid(z);
      for (let i = 0; i < theta.length; i++) grad[i] = (grad[i] as number) + miss * (diff[i] as number);
    }
    for (let i = 0; i < theta.length; i++) {
      const pull = options.prior * ((theta[i] as number) - (prior[i] as number));
      theta[i] = (theta[i] as number) + options.learningRate * ((grad[i] as number) / pairs.length - pull);
    }
  }
  return theta;
}

/** Coefficients as weights of a score: none negative, summing to 1 (a ranking ignores the scale). */
function asWeights(theta: Float64Array): Weights {
  const positive = Array.from(theta, (t) => Math.max(0, t));
  const total = positive.reduce((s, t) => s + t, 0);
  return Object.fromEntries(
    CRITERIA.map((c, i) => [c, total > 0 ? (positive[i] as number) / total : WEIGHTS[c]]),
  ) as Weights;
}

export function train(decisions: readonly DecisionRecord[], options: TrainOptions = {}): LearnedModel {
  const o: Required<TrainOptions> = {
    minRegionPairs: 40,
    prior: 0.02,
    epochs: 300,
    learningRate: 2,
    notInterestedFactor: 0.7,
    ...options,
  };
  const pairs = pairsOf(decisions);
  const prior = Float64Array.from(CRITERIA, (c) => WEIGHTS[c] * PRIOR_SCALE);
  const globalTheta = fit(pairs, prior, o);
  const byRegion = new Map<string, Pair[]>();
  for (const p of pairs) byRegion.set(p.region, [...(byRegion.get(p.region) ?? []), p]);
  const regions = new Map<string, Weights>();
  const counts = new Map<string, number>();
  for (const [region, own] of byRegion) {
    counts.set(region, own.length);
    if (own.length >= o.minRegionPairs) regions.set(region, asWeights(fit(own, globalTheta, o)));
  }
  const disinterest = new Map<string, Map<string, number>>();
  for (const d of decisions) {
    if (d.reason !== 'not-interested' || !d.organisationId) continue;
    const kinds = disinterest.get(d.organisationId) ?? new Map<string, number>();
    kinds.set(d.pairKind, Math.max(MIN_FACTOR, (kinds.get(d.pairKind) ?? 1) * o.notInterestedFactor));
    disinterest.set(d.organisationId, kinds);
  }
  return { global: asWeights(globalTheta), regions, pairs: counts, globalPairs: pairs.length, disinterest };
}

export const weightsFor = (model: LearnedModel, region: string): Weights =>
  model.regions.get(region) ?? model.global;

export function learnedScore(weights: Weights, features: PartValues): number {
  let score = 0;
  for (const c of CRITERIA) score += weights[c] * features[c];
  return score;
}
