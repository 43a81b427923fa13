import type { Modality, NeedType } from '@mutirao/contracts';
import { CRITERIA, type PartValues, WEIGHTS } from '../score';
import type { CriterionName, Proposal } from '../types';

/**
 * A decision someone took on a proposal, kept to learn from: a coordinator's review or a party's
 * answer, with its reason code and the proposal's features (the values of the score's criteria).
 */
export interface DecisionRecord {
  readonly proposalId: string;
  readonly needId: string;
  readonly kind: 'review' | 'consent';
  readonly decision: 'approved' | 'rejected' | 'accepted' | 'declined';
  readonly reason?: DecisionReason;
  /** The deciding party's organisation, for a consent decision. */
  readonly organisationId?: string;
  /** The M49 region of the need's country, lower-cased. */
  readonly region: string;
  /** What kind of pair it was (see `pairKind`): a party's "not interested" is about that kind. */
  readonly pairKind: string;
  readonly features: PartValues;
  readonly at: string;
}

/**
 * Reasons a decision may give. Those naming a criterion of the score (`wrong-sector` …) shift that
 * criterion's weight; `not-interested` from a party lowers the pair's kind for that party.
 */
export type DecisionReason =
  | 'wrong-sector'
  | 'too-far'
  | 'off-topic'
  | 'no-shared-goal'
  | 'amount-mismatch'
  | 'not-a-priority'
  | 'not-interested'
  | 'poor-fit'
  | 'other';

export const REASON_CRITERION: Readonly<Partial<Record<DecisionReason, CriterionName>>> = {
  'wrong-sector': 'sector',
  'too-far': 'geography',
  'off-topic': 'text',
  'no-shared-goal': 'sdg',
  'amount-mismatch': 'amount',
  'not-a-priority': 'priority',
};

export const positive = (d: DecisionRecord) => d.decision === 'approved' || d.decision === 'accepted';

/** A need's type and the partnership's modality: what a party can be "not interested" in. */
export function pairKind(needType: NeedType, modality: Modality): string {
  return `${needType}/${modality}`;
}

/**
 * The proposal's value on each criterion, its roles folded together: a triad's criteria carry the
 * provider's and the funder's shares in their weights, so Σ WEIGHTS[c] · features[c] is its score.
 */
export function proposalFeatures(proposal: Pick<Proposal, 'explanation'>): PartValues {
  const features = Object.fromEntries(CRITERIA.map((c) => [c, 0])) as PartValues;
  for (const c of proposal.explanation.criteria) features[c.name] += (c.weight / WEIGHTS[c.name]) * c.value;
  return features;
}
