import { CRITERIA, WEIGHTS } from '../score';
import type { CriterionName, Proposal } from '../types';
import { proposalFeatures } from './decisions';
import { type LearnedModel, learnedScore, weightsFor } from './model';

/** What the model did to a proposal's place, for its explanation (worded by the web app). */
export interface LearningNote {
  readonly code: 'learning.region' | 'learning.global' | 'learning.not-interested';
  readonly params: Readonly<Record<string, number | string>>;
  /** The criteria whose weight moved most, from the engine's weight to the learnt one. */
  readonly shifts?: readonly { criterion: CriterionName; from: number; to: number }[];
}

export interface LearnedProposal extends Proposal {
  /** The engine's score re-weighted by the model (and lowered by a party's disinterest). */
  readonly learnedScore: number;
  /** Its rank before learning. */
  readonly engineRank: number;
  readonly learning: readonly LearningNote[];
}

export interface RerankContext {
  readonly model: LearnedModel;
  /** The need's M49 region. */
  readonly region: string;
  /** The organisations taking part (need's and offers'), whose disinterest counts. */
  readonly parties: (p: Proposal) => readonly string[];
  readonly kind: (p: Proposal) => string;
  readonly limit?: number;
}

/** A shift of less than this is not worth telling a coordinator. */
const NOTABLE_SHIFT = 0.02;

/**
 * The engine's proposals for one need (ask it for more than three), put in the model's order and cut
 * to `limit`. Only an order: every proposal returned is one the engine made, so every hard rule it
 * passed still holds, and nothing rejected can come back.
 */
export function rerank(proposals: readonly Proposal[], ctx: RerankContext): LearnedProposal[] {
  const weights = weightsFor(ctx.model, ctx.region);
  const regional = ctx.model.regions.has(ctx.region);
  const shifts = CRITERIA.map((criterion) => ({
    criterion,
    from: WEIGHTS[criterion],
    to: weights[criterion],
  }))
    .filter((s) => Math.abs(s.to - s.from) >= NOTABLE_SHIFT)
    .sort((a, b) => Math.abs(b.to - b.from) - Math.abs(a.to - a.from))
    .slice(0, 2);
  const modelNote: LearningNote = regional
    ? {
        code: 'learning.region',
        params: { region: ctx.region, pairs: ctx.model.pairs.get(ctx.region) ?? 0 },
        shifts,
      }
    : { code: 'learning.global', params: { pairs: ctx.model.globalPairs }, shifts };
  const scored = proposals.map((p) => {
    const notes: LearningNote[] = shifts.length ? [modelNote] : [];
    let factor = 1;
    for (const organisationId of ctx.parties(p)) {
      const kind = ctx.kind(p);
      const f = ctx.model.disinterest.get(organisationId)?.get(kind);
      if (f === undefined) continue;
      factor *= f;
      notes.push({ code: 'learning.not-interested', params: { organisationId, kind, factor: f } });
    }
    return {
      ...p,
      learnedScore: learnedScore(weights, proposalFeatures(p)) * factor,
      engineRank: p.rank,
      learning: notes,
    };
  });
  scored.sort((a, b) => b.learnedScore - a.learnedScore || a.engineRank - b.engineRank);
  return scored.slice(0, ctx.limit ?? 3).map((p, i) => ({ ...p, rank: i + 1 }));
}
