import { z } from 'zod';
import { CallReason } from './proposal-events';
import { OfferCall } from './snapshots';
import { CountryCode } from './vocab';

/**
 * Events of matching's calls on `mutirao.matching.call.v1`, keyed by the call's offer id.
 *
 * - `solved`: a call closed (its closing time passed, or a coordinator asked) and matching assigned
 *   its capacity across every eligible need at once: the round, with one proposal per chosen need
 *   (each on the proposal topic as usual, tagged with the round id) and the needs left out with why.
 */
const RoundNeed = z.object({
  needId: z.string().min(1),
  needOrganisationId: z.string().min(1),
  needCountry: CountryCode,
  title: z.string(),
  score: z.number().min(0).max(1),
  reason: CallReason,
});

export const CallRound = z.object({
  id: z.string().min(1),
  offerId: z.string().min(1),
  offerOrganisationId: z.string().min(1),
  offerTitle: z.string(),
  /** The call's terms when it was solved. */
  call: OfferCall,
  at: z.iso.datetime({ offset: true }),
  /** `closing`: its closing time passed; `coordinator`: a coordinator (or the admin) asked. */
  trigger: z.enum(['closing', 'coordinator']),
  /** Needs that passed every hard rule for the call's offer. */
  eligible: z.number().int().nonnegative(),
  chosen: z.array(RoundNeed.extend({ proposalId: z.string().min(1) })),
  leftOut: z.array(RoundNeed),
  /** Σ score of the chosen needs, and the solver's proved bound on it. */
  objective: z.number(),
  bound: z.number(),
  /** With the fairness option `lowestFirst`: the lowest score the chosen needs were held to. */
  floor: z.number().optional(),
  /** Σ amount of the chosen needs in the budget's currency. */
  budgetUsed: z.number().optional(),
  solverMillis: z.number().nonnegative(),
});
export type CallRound = z.infer<typeof CallRound>;

export const CallEventType = z.enum(['org.mutirao.matching.call.solved']);
export type CallEventType = z.infer<typeof CallEventType>;

export const CallEventData = z.object({ round: CallRound });
export type CallEventData = z.infer<typeof CallEventData>;

export const CallEventSchemas: Record<CallEventType, z.ZodType<CallEventData>> = {
  'org.mutirao.matching.call.solved': CallEventData,
};
