import { conflict, DomainError } from '@mutirao/kernel';
import { type Change, CRITERIA, type Criterion, changed, type Organisation } from './organisation';

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
