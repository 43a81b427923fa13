import { z } from 'zod';
import { Sentence } from './explanation';
import { CountryCode, Modality, NeedType, ProposalStatus } from './vocab';

/**
 * One line of a proposal's explanation: a hard rule checked, or a part of the score. `text` is the
 * line in English; `sentence` the same as a code with its parameters, for readers in other
 * languages (absent from proposals stored before it existed).
 */
/** Which offer of the proposal a line is about, and the part it plays (a triad has two). */
const About = { offerId: z.string().optional(), role: z.enum(['offer', 'provider', 'funder']).optional() };
export const ExplanationRule = z.object({
  rule: z.string(),
  ok: z.boolean(),
  text: z.string(),
  sentence: Sentence.optional(),
  ...About,
});
export const ExplanationCriterion = z.object({
  name: z.string(),
  weight: z.number(),
  value: z.number(),
  text: z.string(),
  sentence: Sentence.optional(),
  ...About,
});
export const Explanation = z.object({
  /** In English. */
  summary: z.string(),
  /** The summary's sentences as codes with their parameters (absent from older proposals). */
  summarySentences: z.array(Sentence).optional(),
  rules: z.array(ExplanationRule),
  criteria: z.array(ExplanationCriterion),
});
export type Explanation = z.infer<typeof Explanation>;

export const ReviewDecision = z.enum(['approved', 'rejected', 'info-requested']);
/**
 * Why a coordinator rejected a proposal. The codes that name a criterion of the score
 * (`wrong-sector`: sector, `too-far`: geography, `off-topic`: the descriptions, `no-shared-goal`:
 * SDGs, `amount-mismatch`: amount, `not-a-priority`: priority countries) teach matching's ranking
 * model to weigh that criterion more.
 */
export const RejectionReason = z.enum([
  'not-eligible',
  'poor-fit',
  'duplicate',
  'capacity',
  'party-unsuitable',
  'wrong-sector',
  'too-far',
  'off-topic',
  'no-shared-goal',
  'amount-mismatch',
  'not-a-priority',
  'other',
]);
/** Why a party declined: `not-interested` lowers that kind of pairing for that party. */
export const DeclineReason = z.enum(['not-interested', 'poor-fit', 'other']);
export type DeclineReason = z.infer<typeof DeclineReason>;
export type RejectionReason = z.infer<typeof RejectionReason>;

/**
 * A coordinator's question on a proposal, to one party (the need's organisation unless said
 * otherwise), and that party's answer once given. The questions stay on the proposal, oldest first.
 */
export const ProposalQuestion = z.object({
  question: z.string().min(1),
  /** The organisation asked: one of the parties. */
  to: z.string().min(1),
  /** The coordinator's account id. */
  by: z.string(),
  at: z.iso.datetime({ offset: true }),
  answer: z
    .object({
      text: z.string().min(1),
      /** The member's account id. */
      by: z.string(),
      at: z.iso.datetime({ offset: true }),
    })
    .optional(),
});
export type ProposalQuestion = z.infer<typeof ProposalQuestion>;

/**
 * Why a call's round chose a need (on the proposal) or left it out (on the round): the solver's
 * structured reason as a sentence code with its parameters, and the same in English.
 */
export const CallReason = z.object({
  sentence: Sentence,
  text: z.string(),
  /** 1 for the highest-scored eligible need of the call. */
  rank: z.number().int().positive(),
});
export type CallReason = z.infer<typeof CallReason>;

export const ProposalSnapshot = z.object({
  id: z.string().min(1),
  revision: z.number().int().positive(),
  updatedAt: z.iso.datetime({ offset: true }),
  needId: z.string().min(1),
  /** One offer, or two for a triad: provider first, funder second. */
  offerIds: z.array(z.string().min(1)).min(1).max(2),
  /** The need's organisation, then each offer's, in the order of `offerIds`. */
  needOrganisationId: z.string().min(1),
  offerOrganisationIds: z.array(z.string().min(1)).min(1).max(2),
  needType: NeedType,
  needCountry: CountryCode,
  modality: Modality,
  score: z.number().min(0).max(1),
  rank: z.number().int().positive(),
  status: ProposalStatus,
  explanation: Explanation,
  review: z
    .object({
      decision: ReviewDecision,
      by: z.string(),
      at: z.iso.datetime({ offset: true }),
      reason: RejectionReason.optional(),
      note: z.string().optional(),
    })
    .optional(),
  /** Each party's answer, by organisation id. */
  consents: z.record(z.string(), z.enum(['accepted', 'declined'])),
  /** The questions coordinators asked and the parties' answers, oldest first; absent when none. */
  questions: z.array(ProposalQuestion).optional(),
  /**
   * A call's proposal: the round that chose it (reviewed as a batch), the call's offer and why it
   * was chosen. Absent on proposals made pair by pair.
   */
  round: z.object({ id: z.string().min(1), offerId: z.string().min(1), reason: CallReason }).optional(),
});
export type ProposalSnapshot = z.infer<typeof ProposalSnapshot>;

export const ProposalEventType = z.enum([
  'org.mutirao.matching.proposal.proposed',
  'org.mutirao.matching.proposal.approved',
  'org.mutirao.matching.proposal.rejected',
  'org.mutirao.matching.proposal.info-requested',
  'org.mutirao.matching.proposal.info-provided',
  'org.mutirao.matching.proposal.accepted',
  'org.mutirao.matching.proposal.declined',
  'org.mutirao.matching.proposal.agreed',
  'org.mutirao.matching.proposal.expired',
]);
export type ProposalEventType = z.infer<typeof ProposalEventType>;

export const ProposalEventData = z.object({ proposal: ProposalSnapshot });
export type ProposalEventData = z.infer<typeof ProposalEventData>;

export const ProposalEventSchemas: Record<ProposalEventType, z.ZodType<ProposalEventData>> = {
  'org.mutirao.matching.proposal.proposed': ProposalEventData,
  'org.mutirao.matching.proposal.approved': ProposalEventData,
  'org.mutirao.matching.proposal.rejected': ProposalEventData,
  'org.mutirao.matching.proposal.info-requested': ProposalEventData,
  'org.mutirao.matching.proposal.info-provided': ProposalEventData,
  'org.mutirao.matching.proposal.accepted': ProposalEventData,
  'org.mutirao.matching.proposal.declined': ProposalEventData,
  'org.mutirao.matching.proposal.agreed': ProposalEventData,
  'org.mutirao.matching.proposal.expired': ProposalEventData,
};
