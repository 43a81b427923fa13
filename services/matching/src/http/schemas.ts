import {
  CallRound as CallRoundSchema,
  DeclineReason,
  Modality,
  NeedType,
  ProposalSnapshot,
  ProposalStatus,
  RejectionReason,
} from '@mutirao/contracts';
import { KnownRegion } from '@mutirao/reference-data';
import { z } from 'zod';

/** A proposal as every answer carries it: the snapshot its events carry. */
export const Proposal = ProposalSnapshot.meta({ id: 'Proposal' });

/** A proposal in a list: with when it was made (the age order). */
export const ListedProposal = ProposalSnapshot.extend({ createdAt: z.iso.datetime() }).meta({
  id: 'ListedProposal',
});

export const ProposalPage = z
  .object({ items: z.array(ListedProposal), nextCursor: z.string().nullable() })
  .meta({ id: 'ProposalPage' });

export const ProposalList = z.object({ items: z.array(ListedProposal) }).meta({ id: 'ProposalList' });

export const Progress = z
  .object({
    caughtUp: z.boolean(),
    eventsWaiting: z.number().int().nonnegative(),
    needsWaiting: z.number().int().nonnegative(),
  })
  .meta({ id: 'Progress' });

export const IdParam = z.strictObject({ id: z.string().min(1).max(200) });
export const OfferIdParam = z.strictObject({ offerId: z.string().min(1).max(200) });
export const CallRound = CallRoundSchema.meta({ id: 'CallRound' });

/** `a,b,c`: one or more proposal statuses. */
const Statuses = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(ProposalStatus).min(1));

export const QueueQuery = z.strictObject({
  status: Statuses.optional().meta({
    description: `Comma-separated statuses (${ProposalStatus.options.join(', ')}); proposed, info-requested and info-provided by default.`,
  }),
  region: KnownRegion.optional(),
  modality: Modality.optional(),
  type: NeedType.optional(),
  round: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: "A call's round id: its proposals only (a batch to review)." }),
  sort: z.enum(['score', 'age']).default('score'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ReviewBody = z
  .strictObject({
    decision: z.enum(['approved', 'rejected', 'info-requested']),
    reason: RejectionReason.optional(),
    note: z.string().trim().max(2000).optional().meta({
      description: 'A note on the decision; for info-requested, the question (required).',
    }),
    to: z.string().min(1).max(200).optional().meta({
      description:
        "info-requested only: the party asked (an organisation id); the need's organisation by default.",
    }),
  })
  .refine((b) => b.decision !== 'rejected' || b.reason, {
    message: 'a rejection needs a reason code',
    path: ['reason'],
  })
  .refine((b) => b.decision !== 'info-requested' || (b.note ?? '') !== '', {
    message: 'write the question the party is to answer',
    path: ['note'],
  });

/** Why a party declines, if it says. */
export const DeclineBody = z.strictObject({ reason: DeclineReason.optional() });

/** A party's answer to a coordinator's question. */
export const InformBody = z.strictObject({
  text: z.string().trim().min(1, 'write your answer').max(4000),
});
