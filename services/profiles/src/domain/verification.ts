import { conflict, DomainError, forbidden, invalid } from '@mutirao/kernel';
import {
  type Change,
  CRITERIA,
  type Criterion,
  changed,
  type Organisation,
  type VerificationQuestion,
} from './organisation';

/**
 * SSE verification after the ILO 2022 resolution: a coordinator records the five criteria one by
 * one, then verifies (all five met) or declines; a verification may later be revoked. Partners
 * (every kind but `sse-entity`) are not SSE entities: they are verified as real partners with a
 * note, without the criteria. Each step either changes the organisation or is refused: it throws a
 * `DomainError` (`invalid` or `conflict`).
 */
export function recordCriterion(
  org: Organisation,
  c: { criterion: Criterion; met: boolean; note: string },
  by: string,
  at: Date,
): Change {
  if (org.kind !== 'sse-entity')
    throw new DomainError(
      'invalid',
      `The ILO SSE criteria apply to SSE entities; a ${org.kind} is verified with a note.`,
    );
  if (org.verification.status === 'verified')
    throw conflict('The organisation is verified; revoke first to reassess it.');
  const criteria = [
    ...org.verification.criteria.filter((r) => r.criterion !== c.criterion),
    { ...c, by, at },
  ].sort((a, b) => CRITERIA.indexOf(a.criterion) - CRITERIA.indexOf(b.criterion));
  return changed(org, { verification: { ...org.verification, criteria } }, at);
}

/** Which criteria stand in the way of verifying, with why; empty when all five are met. */
export function unmetCriteria(org: Organisation): string[] {
  return CRITERIA.flatMap((name) => {
    const r = org.verification.criteria.find((x) => x.criterion === name);
    if (!r) return [`${name} (not assessed)`];
    return r.met ? [] : [`${name} (not met)`];
  });
}

export function verify(org: Organisation, note: string, by: string, at: Date): Change {
  if (org.verification.status === 'verified') throw conflict('The organisation is already verified.');
  if (org.kind === 'sse-entity') {
    const unmet = unmetCriteria(org);
    if (unmet.length > 0)
      throw conflict(
        `An SSE entity is verified only when all five ILO criteria are met: ${unmet.join(', ')}.`,
      );
  } else if (note.trim() === '') {
    throw new DomainError('invalid', 'note: say why this is a real partner (required for partners)');
  }
  return decide(org, 'verified', note, by, at, 'org.mutirao.profiles.organisation.verified');
}

export function decline(org: Organisation, note: string, by: string, at: Date): Change {
  if (org.verification.status !== 'pending')
    throw conflict(`Only a pending organisation can be declined; this one is ${org.verification.status}.`);
  // Declining changes the public status, so it is an `updated` event (no type of its own).
  return decide(org, 'declined', note, by, at, 'org.mutirao.profiles.organisation.updated');
}

export function revoke(org: Organisation, note: string, by: string, at: Date): Change {
  if (org.verification.status !== 'verified')
    throw conflict(`Only a verified organisation can be revoked; this one is ${org.verification.status}.`);
  return decide(org, 'revoked', note, by, at, 'org.mutirao.profiles.organisation.verification-revoked');
}

function decide(
  org: Organisation,
  status: 'verified' | 'declined' | 'revoked',
  note: string,
  by: string,
  at: Date,
  event: Parameters<typeof changed>[3],
): Change {
  const verification = { ...org.verification, status, decision: { status, note, by, at } };
  return changed(org, { verification }, at, event);
}

/**
 * The question waiting for the organisation's answer, if any: the last one asked, unanswered,
 * while the organisation is pending.
 */
export function openQuestion(org: Organisation): VerificationQuestion | undefined {
  if (org.verification.status !== 'pending') return undefined;
  const last = org.verification.questions?.at(-1);
  return last && !last.answer ? last : undefined;
}

/**
 * A coordinator asks the organisation for information before deciding: pending organisations
 * only (`conflict`), with words (`invalid`, at `question`). The questions are review notes: no
 * public event, the organisation stays in the queue.
 */
export function askForInformation(org: Organisation, question: string, by: string, at: Date): Change {
  if (org.verification.status !== 'pending')
    throw conflict(`Questions are asked during the review; this organisation is ${org.verification.status}.`);
  const text = question.trim();
  if (text === '') throw invalid('write the question the organisation is to answer', 'question');
  const questions = [...(org.verification.questions ?? []), { question: text, by, at }];
  return changed(org, { verification: { ...org.verification, questions } }, at);
}

/**
 * The organisation answers the open question (`conflict` when none waits, `invalid` at `text`
 * when empty); the answer goes beside it, for the coordinators of its region.
 */
export function answerQuestion(
  org: Organisation,
  member: { id: string; org?: string | undefined },
  text: string,
  at: Date,
): Change {
  if (member.org !== org.id)
    throw forbidden('Only members of the organisation answer its review’s questions.');
  const open = openQuestion(org);
  if (!open) throw conflict('No question awaits your answer.');
  const answer = text.trim();
  if (answer === '') throw invalid('write your answer', 'text');
  const questions = (org.verification.questions ?? []).map((q) =>
    q === open ? { ...q, answer: { text: answer, by: member.id, at } } : q,
  );
  return changed(org, { verification: { ...org.verification, questions } }, at);
}
