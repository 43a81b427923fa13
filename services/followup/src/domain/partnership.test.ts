import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { anAgreedProposal, aPairing, someIndicators } from '../../test/factories';
import { decide, dueAt, missing, nextReminder, overdue, partiesOf, record } from './partnership';
import type { Partnership } from './types';

const now = new Date('2026-01-15T10:00:00Z');
const triad = () => record(anAgreedProposal(), { now, reportPeriods: [12, 3, 6] });
const file = (p: Partnership, organisationId: string, period: number, at = now) =>
  decide(
    p,
    {
      type: 'file-report',
      organisationId,
      period,
      by: 'ana',
      report: { indicators: someIndicators(), story: 'It went well.', sdgTargets: ['7.1'] },
    },
    at,
  );

describe('a partnership', () => {
  it('gives a triad three roles, a financing pairing a funder, any other pairing a provider', () => {
    expect(partiesOf(anAgreedProposal()).map((x) => [x.organisationId, x.role])).toEqual([
      ['org-gw', 'beneficiary'],
      ['org-rw', 'provider'],
      ['org-no', 'funder'],
    ]);
    expect(partiesOf(aPairing()).map((x) => x.role)).toEqual(['beneficiary', 'provider']);
    expect(partiesOf(aPairing({ needType: 'financing' })).map((x) => x.role)).toEqual([
      'beneficiary',
      'funder',
    ]);
    const p = triad();
    expect(p).toMatchObject({
      triad: true,
      status: 'ongoing',
      startDate: '2026-01-15',
      reportPeriods: [3, 6, 12],
    });
  });

  it('falls due that many calendar months after the agreement, at the end of a shorter month', () => {
    expect(dueAt({ agreedAt: new Date('2026-01-15T10:00:00Z') }, 3).toISOString()).toBe(
      '2026-04-15T10:00:00.000Z',
    );
    expect(dueAt({ agreedAt: new Date('2026-08-31T00:00:00Z') }, 6).toISOString()).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('keeps one report per party and period, amended in place; refuses other periods and non-parties', () => {
    let p = triad();
    p = file(p, 'org-gw', 3)?.next as Partnership;
    const amended = file(p, 'org-gw', 3, new Date('2026-05-01T00:00:00Z'));
    expect(amended?.event).toBe('report-filed');
    expect(amended?.next.reports).toHaveLength(1);
    expect(amended?.next.reports[0]?.filedAt).toEqual(now);
    expect(() => file(p, 'org-gw', 4)).toThrow(DomainError);
    expect(() => file(p, 'org-pe', 3)).toThrow(/Only the parties/);
    expect(missing(amended?.next as Partnership, 3)).toEqual(['org-rw', 'org-no']);
  });

  it('lists the reports past due and the grace days; a partnership that did not start expects none', () => {
    const p = file(triad(), 'org-gw', 3)?.next as Partnership;
    const late = overdue(p, new Date('2026-05-01T00:00:00Z'), 14);
    expect(late.map((l) => `${l.organisationId}@${l.period}`)).toEqual(['org-rw@3', 'org-no@3']);
    expect(overdue(p, new Date('2026-04-20T00:00:00Z'), 14)).toEqual([]);
    const unstarted = decide(triad(), { type: 'update', status: 'not-started' }, now)?.next as Partnership;
    expect(overdue(unstarted, new Date('2030-01-01T00:00:00Z'))).toEqual([]);
    expect(nextReminder(unstarted)).toBeUndefined();
  });

  it('reminds each period once, and only those who have not filed', () => {
    const p = triad();
    expect(nextReminder(p)?.period).toBe(3);
    const r = decide(p, { type: 'remind', period: 3 }, now);
    expect(r?.event).toBe('report-due');
    expect(decide(r?.next as Partnership, { type: 'remind', period: 3 }, now)).toBeUndefined();
    expect(nextReminder(r?.next as Partnership)?.period).toBe(6);
  });

  it('moves between statuses as the parties say, but a partnership with reports did start', () => {
    const p = file(triad(), 'org-gw', 3)?.next as Partnership;
    expect(() => decide(p, { type: 'update', status: 'not-started' }, now)).toThrow(/did start/);
    const done = decide(p, { type: 'update', status: 'completed' }, now);
    expect(done?.next.revision).toBe(p.revision + 1);
    expect(() => decide(done?.next as Partnership, { type: 'update', status: 'ended-early' }, now)).toThrow(
      /reopen/,
    );
    expect(decide(p, { type: 'update', status: 'ongoing' }, now)).toBeUndefined();
  });
});
