import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { anOrganisation } from './factories';
import { type Change, CRITERIA, type Organisation, type Outcome } from './organisation';
import { decline, recordCriterion, revoke, unmetCriteria, verify } from './verification';

const at = new Date('2026-03-01T09:00:00Z');
const change = (o: Outcome): Change => {
  if (typeof o !== 'object' || !('next' in o)) throw new Error(`expected a change, got ${JSON.stringify(o)}`);
  return o;
};
/** The refusal `f` throws (a step either changes the organisation or is refused). */
const refusal = (f: () => unknown): DomainError => {
  try {
    f();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};
const allMet = (o: Organisation = anOrganisation()) =>
  CRITERIA.reduce(
    (org, criterion) => change(recordCriterion(org, { criterion, met: true, note: 'ok' }, 'c', at)).next,
    o,
  );

describe('recording the ILO criteria', () => {
  it('records one criterion at a time, replacing an earlier record, without a public event', () => {
    let c = change(
      recordCriterion(
        anOrganisation(),
        { criterion: 'autonomy-independence', met: false, note: 'a' },
        'c',
        at,
      ),
    );
    c = change(
      recordCriterion(c.next, { criterion: 'autonomy-independence', met: true, note: 'b' }, 'c', at),
    );
    expect(c.event).toBeUndefined();
    expect(c.next.revision).toBe(1);
    expect(c.next.version).toBe(3);
    expect(c.next.verification.criteria).toEqual([
      { criterion: 'autonomy-independence', met: true, note: 'b', by: 'c', at },
    ]);
  });

  it('does not apply to partners, nor to an organisation already verified', () => {
    const partner = anOrganisation({ kind: 'financier', sseForm: undefined });
    expect(
      refusal(() =>
        recordCriterion(partner, { criterion: 'people-over-capital', met: true, note: '' }, 'c', at),
      ).kind,
    ).toBe('invalid');
    const done = change(verify(allMet(), '', 'c', at)).next;
    expect(
      refusal(() => recordCriterion(done, { criterion: 'people-over-capital', met: true, note: '' }, 'c', at))
        .kind,
    ).toBe('conflict');
  });
});

describe('deciding', () => {
  it('verifies an SSE entity only when all five criteria are met', () => {
    const partial = change(
      recordCriterion(
        anOrganisation(),
        { criterion: 'voluntary-cooperation', met: false, note: 'x' },
        'c',
        at,
      ),
    ).next;
    expect(unmetCriteria(partial)).toContain('voluntary-cooperation (not met)');
    expect(unmetCriteria(partial)).toContain('people-over-capital (not assessed)');
    const refused = refusal(() => verify(partial, '', 'c', at));
    expect(refused.kind).toBe('conflict');
    const ok = change(verify(allMet(), 'all good', 'c', at));
    expect(ok.event).toBe('org.mutirao.profiles.organisation.verified');
    expect(ok.next).toMatchObject({
      revision: 2,
      verification: { status: 'verified', decision: { note: 'all good' } },
    });
  });

  it('verifies a partner as a real partner with a note, without the criteria', () => {
    const partner = anOrganisation({ kind: 'financier', sseForm: undefined });
    expect(refusal(() => verify(partner, '  ', 'c', at)).kind).toBe('invalid');
    expect(
      change(verify(partner, 'a registered microfinance institution', 'c', at)).next.verification.status,
    ).toBe('verified');
  });

  it('declines only pending organisations, as an updated event', () => {
    const d = change(decline(anOrganisation(), 'no democratic governance', 'c', at));
    expect(d.event).toBe('org.mutirao.profiles.organisation.updated');
    expect(d.next.verification.status).toBe('declined');
    expect(refusal(() => decline(d.next, 'again', 'c', at)).kind).toBe('conflict');
  });

  it('revokes only a verification, and a revoked organisation can be verified again', () => {
    expect(refusal(() => revoke(anOrganisation(), 'x', 'c', at)).kind).toBe('conflict');
    const v = change(verify(allMet(), '', 'c', at)).next;
    const r = change(revoke(v, 'ceased to be member-owned', 'c', at));
    expect(r.event).toBe('org.mutirao.profiles.organisation.verification-revoked');
    expect(r.next.revision).toBe(v.revision + 1);
    expect(change(verify(r.next, 'fixed', 'c', at)).next.verification.status).toBe('verified');
  });
});
