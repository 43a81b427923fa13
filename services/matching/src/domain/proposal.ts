import type { ProposalSnapshot, ProposalStatus, RejectionReason } from '@mutirao/contracts';

/**
 * The review-and-consent state machine of a proposal: pure `decide` functions that return the
 * next state and the event type to emit, or a refusal saying why.
 *
 *   proposed ─┬─ approved ── accepted (some parties) ── agreed (all parties)
 *             ├─ rejected                      └─ declined (any party)
 *             └─ info-requested ── (reviewed again)
 *   any open state ── expired (an offer or the need stopped being matchable)
 */
export type ProposalEvent =
  | 'proposed'
  | 'approved'
  | 'rejected'
  | 'info-requested'
  | 'accepted'
  | 'declined'
  | 'agreed'
  | 'expired';

export type Decision =
  | { ok: true; next: ProposalSnapshot; event: ProposalEvent }
  | { ok: false; status: 403 | 409; reason: string };

const OPEN: readonly ProposalStatus[] = ['proposed', 'approved', 'info-requested', 'accepted'];
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
}

export function review(p: ProposalSnapshot, cmd: ReviewCommand, now: Date): Decision {
  if (p.status !== 'proposed' && p.status !== 'info-requested') {
    return {
      ok: false,
      status: 409,
      reason: `The proposal is ${p.status}; only proposed or info-requested ones are reviewed.`,
    };
  }
  if (cmd.decision === 'rejected' && !cmd.reason) {
    return { ok: false, status: 409, reason: 'A rejection needs a reason code.' };
  }
  const review = {
    decision: cmd.decision,
    by: cmd.by,
    at: now.toISOString(),
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    ...(cmd.note ? { note: cmd.note } : {}),
  };
  return { ok: true, next: next(p, now, { status: cmd.decision, review }), event: cmd.decision };
}

export function respond(
  p: ProposalSnapshot,
  organisationId: string,
  answer: 'accept' | 'decline',
  now: Date,
): Decision {
  if (!partiesOf(p).includes(organisationId)) {
    return { ok: false, status: 403, reason: 'Your organisation is not a party to this proposal.' };
  }
  if (p.status !== 'approved' && p.status !== 'accepted') {
    return {
      ok: false,
      status: 409,
      reason: `The proposal is ${p.status}; parties answer approved proposals only.`,
    };
  }
  if (p.consents[organisationId]) {
    return {
      ok: false,
      status: 409,
      reason: `Your organisation already ${p.consents[organisationId]} this proposal.`,
    };
  }
  if (answer === 'decline') {
    return {
      ok: true,
      next: next(p, now, { status: 'declined', consents: { ...p.consents, [organisationId]: 'declined' } }),
      event: 'declined',
    };
  }
  const consents = { ...p.consents, [organisationId]: 'accepted' as const };
  const all = partiesOf(p).every((org) => consents[org] === 'accepted');
  return {
    ok: true,
    next: next(p, now, { status: all ? 'agreed' : 'accepted', consents }),
    event: all ? 'agreed' : 'accepted',
  };
}

/** An offer or the need stopped being matchable: open proposals expire; decided ones stay. */
export function expire(p: ProposalSnapshot, now: Date): Decision {
  if (!isOpen(p.status)) return { ok: false, status: 409, reason: `The proposal is already ${p.status}.` };
  return { ok: true, next: next(p, now, { status: 'expired' }), event: 'expired' };
}

/**
 * A better offer arrived, or one left: an unreviewed proposal takes its new place in the need's
 * ranking. Reviewed ones keep theirs: a coordinator has already looked at them.
 */
export function rerank(p: ProposalSnapshot, rank: number, score: number, now: Date): Decision {
  if (p.status !== 'proposed')
    return { ok: false, status: 409, reason: `The proposal is already ${p.status}.` };
  if (p.rank === rank && p.score === score) return { ok: false, status: 409, reason: 'Nothing changed.' };
  return { ok: true, next: next(p, now, { rank, score }), event: 'proposed' };
}
