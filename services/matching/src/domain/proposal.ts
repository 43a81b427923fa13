import type { ProposalQuestion, ProposalSnapshot, ProposalStatus, RejectionReason } from '@mutirao/contracts';
import { conflict, forbidden, invalid } from '@mutirao/kernel';

/**
 * The review-and-consent state machine of a proposal: pure functions that return the next state
 * and the event type to emit. A command the state does not allow is refused with a `DomainError`
 * (`forbidden`, `conflict`), as the exchange's `decide` does; the HTTP layer alone turns its kind
 * into a status. The system's own reactions (`expire`, `rerank`) are not refused: they return
 * nothing when there is nothing to change.
 *
 *   proposed ─┬─ approved ── accepted (some parties) ── agreed (all parties)
 *             ├─ rejected                      └─ declined (any party)
 *             └─ info-requested ── info-provided ── (reviewed again, or asked again)
 *   any open state ── expired (an offer or the need stopped being matchable)
 */
export type ProposalEvent =
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'info-requested'
  | 'info-provided'
  | 'accepted'
  | 'declined'
  | 'agreed'
  | 'expired';

/** The next state of a proposal and the event that tells the other services. */
export interface Transition {
  next: ProposalSnapshot;
  event: ProposalEvent;
}

const OPEN: readonly ProposalStatus[] = [
  'proposed',
  'approved',
  'info-requested',
  'info-provided',
  'accepted',
];

/** The statuses in which a proposal awaits a coordinator's decision (or a party's answer to one). */
export const UNDER_REVIEW: readonly ProposalStatus[] = ['proposed', 'info-requested', 'info-provided'];
export const isOpen = (s: ProposalStatus): boolean => OPEN.includes(s);

/** Every organisation that must consent: the need's, then each offer's, once each. */
export const partiesOf = (p: ProposalSnapshot): string[] => [
  ...new Set([p.needOrganisationId, ...p.offerOrganisationIds]),
];

/** Parties see a proposal only once a coordinator approved it. */
export const visibleToParties = (s: ProposalStatus): boolean =>
  s === 'approved' || s === 'accepted' || s === 'declined' || s === 'agreed';

function next(p: ProposalSnapshot, now: Date, change: Partial<ProposalSnapshot>): ProposalSnapshot {
  return { ...p, ...change, revision: p.revision + 1, updatedAt: now.toISOString() };
}

export interface ReviewCommand {
  decision: 'approved' | 'rejected' | 'info-requested';
  by: string;
  reason?: RejectionReason;
  note?: string;
  /** The party a question is for (info-requested): the need's organisation unless said. */
  to?: string;
}

/**
 * A coordinator's decision; refused (`conflict`) unless the proposal awaits one. Asking for
 * information needs the question (`note`) and puts it on the proposal's questions, for one party.
 */
export function review(p: ProposalSnapshot, cmd: ReviewCommand, now: Date): Transition {
  if (!UNDER_REVIEW.includes(p.status)) {
    throw conflict(
      `The proposal is ${p.status}; only proposed, info-requested or info-provided ones are reviewed.`,
    );
  }
  if (cmd.decision === 'rejected' && !cmd.reason) throw conflict('A rejection needs a reason code.');
  if (cmd.to !== undefined && cmd.decision !== 'info-requested')
    throw invalid('only a question (info-requested) is addressed to a party', 'to');
  let questions = p.questions;
  if (cmd.decision === 'info-requested') {
    const question = cmd.note?.trim() ?? '';
    if (question === '') throw invalid('write the question the party is to answer', 'note');
    const to = cmd.to ?? p.needOrganisationId;
    if (!partiesOf(p).includes(to)) throw invalid('not a party to this proposal', 'to');
    questions = [...(p.questions ?? []), { question, to, by: cmd.by, at: now.toISOString() }];
  }
  const review = {
    decision: cmd.decision,
    by: cmd.by,
    at: now.toISOString(),
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    ...(cmd.note ? { note: cmd.note } : {}),
  };
  return {
    next: next(p, now, { status: cmd.decision, review, ...(questions ? { questions } : {}) }),
    event: cmd.decision,
  };
}

/** The question still waiting for its answer, if any: the last one, while info-requested. */
export function openQuestion(p: ProposalSnapshot): ProposalQuestion | undefined {
  if (p.status !== 'info-requested') return undefined;
  const last = p.questions?.at(-1);
  return last && !last.answer ? last : undefined;
}

/** Whether an organisation was asked a question on the proposal (it may then see it). */
export const wasAsked = (p: ProposalSnapshot, organisationId: string): boolean =>
  (p.questions ?? []).some((q) => q.to === organisationId);

/**
 * The asked party's answer to the open question: refused (`forbidden`) to any other organisation,
 * (`conflict`) when no question waits, (`invalid`, at `text`) when empty. The proposal goes back
 * to the coordinators (info-provided) with the answer beside the question.
 */
export function inform(
  p: ProposalSnapshot,
  organisationId: string,
  by: string,
  text: string,
  now: Date,
): Transition {
  const open = openQuestion(p);
  if (!wasAsked(p, organisationId) || (open && open.to !== organisationId))
    throw forbidden('The question was not asked of your organisation.');
  if (!open) throw conflict(`The proposal is ${p.status}; no question awaits your answer.`);
  const answer = text.trim();
  if (answer === '') throw invalid('write your answer', 'text');
  const questions = (p.questions ?? []).map((q) =>
    q === open ? { ...q, answer: { text: answer, by, at: now.toISOString() } } : q,
  );
  return { next: next(p, now, { status: 'info-provided', questions }), event: 'info-provided' };
}

/**
 * A party's answer: refused (`forbidden`) to an organisation that is not a party, and
 * (`conflict`) unless the proposal is approved and the party has not answered yet.
 */
export function respond(
  p: ProposalSnapshot,
  organisationId: string,
  answer: 'accept' | 'decline',
  now: Date,
): Transition {
  if (!partiesOf(p).includes(organisationId)) {
    throw forbidden('Your organisation is not a party to this proposal.');
  }
  if (p.status !== 'approved' && p.status !== 'accepted') {
    throw conflict(`The proposal is ${p.status}; parties answer approved proposals only.`);
  }
  if (p.consents[organisationId]) {
    throw conflict(`Your organisation already ${p.consents[organisationId]} this proposal.`);
  }
  if (answer === 'decline') {
    return {
      next: next(p, now, { status: 'declined', consents: { ...p.consents, [organisationId]: 'declined' } }),
      event: 'declined',
    };
  }
  const consents = { ...p.consents, [organisationId]: 'accepted' as const };
  const all = partiesOf(p).every((org) => consents[org] === 'accepted');
  return {
    next: next(p, now, { status: all ? 'agreed' : 'accepted', consents }),
    event: all ? 'agreed' : 'accepted',
  };
}

/**
 * An offer or the need stopped being matchable: open proposals expire; decided ones stay
 * (nothing to change: undefined).
 */
export function expire(p: ProposalSnapshot, now: Date): Transition | undefined {
  if (!isOpen(p.status)) return undefined;
  return { next: next(p, now, { status: 'expired' }), event: 'expired' };
}

/**
 * A better offer arrived, or one left: an unreviewed proposal takes its new place in the need's
 * ranking. Reviewed ones keep theirs: a coordinator has already looked at them. Undefined when
 * there is nothing to change (reviewed, or the same place).
 */
export function rerank(p: ProposalSnapshot, rank: number, score: number, now: Date): Transition | undefined {
  if (p.status !== 'proposed') return undefined;
  if (p.rank === rank && p.score === score) return undefined;
  return { next: next(p, now, { rank, score }), event: 'proposed' };
}
