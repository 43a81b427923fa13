import type { Money } from '@mutirao/contracts';

/**
 * A call: an offer with a limited capacity (places, a budget in its currency, or both) assigned all at
 * once when it closes, rather than to whichever need came first.
 */
export interface CallTerms {
  /** How many needs the call can take. */
  readonly places?: number;
  /** The total the call can give, in its currency; each chosen need takes its requested amount. */
  readonly budget?: Money;
  readonly fairness?: Fairness;
}

export interface Fairness {
  /**
   * Raise the lowest score among the chosen needs first (maximin), choosing as many needs as the
   * plain optimum does; then the largest total with that floor.
   */
  readonly lowestFirst?: boolean;
  /** At most this many chosen needs from one country. */
  readonly countryCap?: number;
}

/** An eligible need (every hard rule passed) with its score for the call's offer. */
export interface CallCandidate {
  readonly needId: string;
  /** 0–1, the engine's score of the pair. */
  readonly score: number;
  /** The need's organisation's country (ISO 3166 alpha-2), for the per-country cap. */
  readonly country: string;
  /** What the need asks for; a budget call can only choose needs that state an amount. */
  readonly amount?: Money;
  /** When the need applied (ISO 8601): the order a first-come allocation would follow. */
  readonly appliedAt?: string;
}

export type ChosenCode = 'call.chosen.top' | 'call.chosen.over-higher';
export type LeftOutCode =
  | 'call.left-out.places'
  | 'call.left-out.budget'
  | 'call.left-out.country-cap'
  | 'call.left-out.below-floor'
  | 'call.left-out.trade-off'
  | 'call.left-out.no-amount'
  | 'call.left-out.no-rate'
  | 'call.left-out.solver-gap';

/** A structured reason: a code the web app words in each language, with the numbers it needs. */
export interface CallReason<C extends string> {
  readonly code: C;
  readonly params: Readonly<Record<string, number | string>>;
}

export interface Placed {
  readonly needId: string;
  readonly score: number;
  /** 1 for the highest-scored candidate (ties by need id). */
  readonly rank: number;
  /** The requested amount in the call's currency, for a budget call. */
  readonly amount?: number;
}

export interface ChosenNeed extends Placed {
  readonly reason: CallReason<ChosenCode>;
}

export interface LeftOutNeed extends Placed {
  readonly reason: CallReason<LeftOutCode>;
}

export interface CallAssignment {
  readonly chosen: readonly ChosenNeed[];
  readonly leftOut: readonly LeftOutNeed[];
  /** Σ score over the chosen needs. */
  readonly objective: number;
  /** The solver's proved upper bound on that sum under the same constraints (and the same floor). */
  readonly bound: number;
  /** With `lowestFirst`: the lowest score the chosen needs were held to. */
  readonly floor?: number;
  /** Σ amount over the chosen needs, in the call's currency. */
  readonly budgetUsed?: number;
  /** Time spent in the solver, all stages. */
  readonly solverMillis: number;
}
