import { z } from 'zod';
import { DeclineReason, ProposalSnapshot, RejectionReason, ReviewDecision } from './proposal-events';

/**
 * Commands of matching's HTTP operations, from the instance that received the request to the one
 * that owns the proposal's need (the command topic is keyed by need id and partitioned like the
 * need topic), and the outcome back to the sender (the reply topic, keyed by the sender). Internal
 * to the matching service: no other service reads or writes them.
 */

/** The caller as the receiving instance verified it: the owner applies the same access rules. */
export const CommandCaller = z.object({
  sub: z.string().min(1),
  org: z.string().min(1).optional(),
  roles: z.array(z.enum(['member', 'coordinator', 'admin'])).min(1),
  regions: z.array(z.string()),
});

const Routed = {
  /** Unique per command; the reply names it. */
  commandId: z.string().min(1),
  /** The sending instance: the reply's key, and how it knows the reply is its own. */
  replyTo: z.string().min(1),
  needId: z.string().min(1),
  proposalId: z.string().min(1),
  caller: CommandCaller,
};

export const ReviewCommandData = z.object({
  ...Routed,
  decision: ReviewDecision,
  reason: RejectionReason.optional(),
  note: z.string().optional(),
  /** The party asked, for a question (info-requested). */
  to: z.string().optional(),
});
export type ReviewCommandData = z.infer<typeof ReviewCommandData>;

export const AnswerCommandData = z.object({
  ...Routed,
  answer: z.enum(['accept', 'decline']),
  /** Why a party declined, when it said. */
  reason: DeclineReason.optional(),
});
export type AnswerCommandData = z.infer<typeof AnswerCommandData>;

/** A party's answer to a coordinator's question. */
export const InformCommandData = z.object({ ...Routed, text: z.string().min(1) });
export type InformCommandData = z.infer<typeof InformCommandData>;

/** What became of a command: the proposal as saved, or the refusal in the kernel's words. */
export const CommandReplyData = z.object({
  commandId: z.string().min(1),
  replyTo: z.string().min(1),
  outcome: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), proposal: ProposalSnapshot }),
    z.object({
      ok: z.literal(false),
      kind: z.enum([
        'invalid',
        'unauthorized',
        'forbidden',
        'not-found',
        'conflict',
        'gone',
        'too-many-requests',
        'unavailable',
        /** The owner failed for a reason of its own (a 500 where the request was made). */
        'internal',
      ]),
      message: z.string(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })),
      retryAfterSeconds: z.number().optional(),
    }),
  ]),
});
export type CommandReplyData = z.infer<typeof CommandReplyData>;

export const CommandEventType = z.enum([
  'org.mutirao.matching.command.review',
  'org.mutirao.matching.command.answer',
  'org.mutirao.matching.command.inform',
]);
export type CommandEventType = z.infer<typeof CommandEventType>;

export const CommandEventSchemas = {
  'org.mutirao.matching.command.review': ReviewCommandData,
  'org.mutirao.matching.command.answer': AnswerCommandData,
  'org.mutirao.matching.command.inform': InformCommandData,
} as const satisfies Record<CommandEventType, z.ZodType>;

export const ReplyEventType = z.enum(['org.mutirao.matching.command.replied']);
export type ReplyEventType = z.infer<typeof ReplyEventType>;

export const ReplyEventSchemas = {
  'org.mutirao.matching.command.replied': CommandReplyData,
} as const satisfies Record<ReplyEventType, z.ZodType>;
