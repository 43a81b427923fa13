import type {
  Modality,
  NeedSnapshot,
  OfferSnapshot,
  OrganisationSnapshot,
  Sentence,
} from '@mutirao/contracts';

/** R1–R8 of issue 5, the "never again" rule and the rules that shape a triad. */
export type RuleId =
  | 'R1'
  | 'R2'
  | 'R3'
  | 'R4'
  | 'R5'
  | 'R6'
  | 'R7'
  | 'R8'
  | 'not-rejected'
  | 'funds-alone'
  | 'triad-provider'
  | 'triad-funder'
  | 'triad-partners';

export interface RuleVerdict {
  readonly rule: RuleId;
  readonly ok: boolean;
  /** Plain words a coordinator understands, in English: `sentence` written out. */
  readonly reason: string;
  readonly sentence: Sentence;
}

/** A need N of organisation A next to an offer O of organisation B, at the time `now`. */
export interface Pair {
  readonly need: NeedSnapshot;
  readonly needOrg: OrganisationSnapshot;
  readonly offer: OfferSnapshot;
  readonly offerOrg: OrganisationSnapshot;
  readonly now: Date;
}

/** The part an offer plays in a proposal. */
export type Role = 'offer' | 'provider' | 'funder';

export type CriterionName = 'sector' | 'sdg' | 'text' | 'geography' | 'amount' | 'priority';

export interface ExplainedRule {
  readonly rule: RuleId;
  readonly ok: boolean;
  /** In English, after "Provider: " or "Funder: " in a triad. */
  readonly text: string;
  readonly sentence: Sentence;
  readonly offerId: string;
  readonly role: Role;
}

export interface Criterion {
  readonly name: CriterionName;
  /** Share of the proposal's score this part carries; the weights of a proposal sum to 1. */
  readonly weight: number;
  /** 0–1. The score is the sum of weight × value over the criteria. */
  readonly value: number;
  readonly text: string;
  readonly sentence: Sentence;
  readonly offerId: string;
  readonly role: Role;
}

export interface Explanation {
  readonly rules: readonly ExplainedRule[];
  readonly criteria: readonly Criterion[];
  /** In English: `summarySentences` written out. */
  readonly summary: string;
  readonly summarySentences: readonly Sentence[];
}

export interface Proposal {
  readonly needId: string;
  /** One offer, or [provider, funder] for a triad. */
  readonly offerIds: readonly string[];
  readonly modality: Modality;
  /** 0–1: the sum of weight × value over the explanation's criteria. */
  readonly score: number;
  /** 1 is the best proposal for the need. */
  readonly rank: number;
  readonly explanation: Explanation;
}

/** What every way of matching needs besides the candidates. */
export interface MatchOptions {
  readonly now: Date;
  /** Keys (see `proposalKey`) of proposals a coordinator rejected. */
  readonly rejected?: ReadonlySet<string>;
  /** Proposals per need; 3 unless said otherwise. */
  readonly limit?: number;
}

export type OrganisationLookup = (id: string) => OrganisationSnapshot | undefined;
