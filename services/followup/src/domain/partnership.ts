import type { Money, PartnershipSnapshot, ProposalSnapshot } from '@mutirao/contracts';
import { conflict, DomainError, forbidden } from '@mutirao/kernel';
import type { Actor, Comment, Indicators, Partnership, PartnershipStatus, Party, Report } from './types';

/** What the need says, when the follow-up service has read it. */
export interface NeedDetails {
  sectors: string[];
  sdgs: number[];
  amount?: Money;
}

/** The parties of an agreed proposal with their roles: beneficiary, provider, and a triad's funder. */
export function partiesOf(p: ProposalSnapshot, countries: ReadonlyMap<string, string> = new Map()): Party[] {
  const withCountry = (organisationId: string, role: Party['role'], fallback?: string): Party => {
    const country = countries.get(organisationId) ?? fallback;
    return { organisationId, role, ...(country ? { country } : {}) };
  };
  const [first, second] = p.offerOrganisationIds;
  const parties = [withCountry(p.needOrganisationId, 'beneficiary', p.needCountry)];
  if (first === undefined) return parties;
  if (second !== undefined)
    return [...parties, withCountry(first, 'provider'), withCountry(second, 'funder')];
  // A pairing that answers a financing need is a funder's; any other, a provider's.
  return [...parties, withCountry(first, p.needType === 'financing' ? 'funder' : 'provider')];
}

/** The day of a date in UTC, as `YYYY-MM-DD`. */
export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** A new partnership from an agreed proposal. */
export function record(
  p: ProposalSnapshot,
  opts: { now: Date; reportPeriods: number[]; need?: NeedDetails; countries?: ReadonlyMap<string, string> },
): Partnership {
  const agreedAt = new Date(p.updatedAt);
  return {
    id: p.id,
    revision: 1,
    needId: p.needId,
    offerIds: [...p.offerIds],
    parties: partiesOf(p, opts.countries),
    triad: p.offerIds.length === 2,
    modality: p.modality,
    needType: p.needType,
    country: p.needCountry,
    sectors: opts.need?.sectors ?? [],
    sdgs: opts.need?.sdgs ?? [],
    ...(opts.need?.amount ? { amount: opts.need.amount } : {}),
    detailsKnown: opts.need !== undefined,
    agreedAt,
    startDate: dayOf(agreedAt),
    status: 'ongoing',
    reportPeriods: [...opts.reportPeriods].sort((a, b) => a - b),
    reports: [],
    comments: [],
    reminded: [],
    createdAt: opts.now,
    updatedAt: opts.now,
  };
}

/** The date a period's reports are due: that many calendar months after the agreement (UTC). */
export function dueAt(p: Pick<Partnership, 'agreedAt'>, period: number): Date {
  const d = new Date(p.agreedAt);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + period);
  // 31 August + 6 months is the last day of February, not 3 March.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** A partnership that did not start expects no reports. */
export const expectsReports = (p: Pick<Partnership, 'status'>): boolean => p.status !== 'not-started';

/** The parties whose report for `period` is missing. */
export function missing(p: Pick<Partnership, 'parties' | 'reports'>, period: number): string[] {
  return p.parties
    .map((x) => x.organisationId)
    .filter((org) => !p.reports.some((r) => r.organisationId === org && r.period === period));
}

/** The reports due by `at` and not filed, with when each fell due. */
export function overdue(
  p: Partnership,
  at: Date,
  graceDays = 0,
): { organisationId: string; period: number; dueAt: Date }[] {
  if (!expectsReports(p)) return [];
  const out: { organisationId: string; period: number; dueAt: Date }[] = [];
  for (const period of p.reportPeriods) {
    const due = dueAt(p, period);
    if (due.getTime() + graceDays * 86_400_000 > at.getTime()) continue;
    for (const organisationId of missing(p, period)) out.push({ organisationId, period, dueAt: due });
  }
  return out;
}

/** The next period whose reminder is still to be published, and when. */
export function nextReminder(p: Partnership): { period: number; dueAt: Date } | undefined {
  if (!expectsReports(p)) return undefined;
  for (const period of p.reportPeriods) {
    if (p.reminded.includes(period)) continue;
    return { period, dueAt: dueAt(p, period) };
  }
  return undefined;
}

export const isParty = (p: Pick<Partnership, 'parties'>, org: string | undefined): boolean =>
  org !== undefined && p.parties.some((x) => x.organisationId === org);

/** Commands the parties and the coordinator give. */
export type Command =
  | { type: 'update'; status?: PartnershipStatus; startDate?: string; amount?: Money | null }
  | {
      type: 'file-report';
      organisationId: string;
      period: number;
      by: string;
      report: Omit<Report, 'organisationId' | 'period' | 'by' | 'filedAt' | 'updatedAt'>;
    }
  | { type: 'comment'; comment: Omit<Comment, 'at'> }
  | { type: 'remind'; period: number }
  | { type: 'details'; need: NeedDetails };

/** What a command changes; `event` names the public event it publishes, if any. */
export interface Change {
  next: Partnership;
  event?: 'updated' | 'report-filed' | 'report-due';
}

const CLOSED: readonly PartnershipStatus[] = ['completed', 'ended-early', 'not-started'];

/**
 * The rules of a partnership. Access (who is a party, who coordinates) is checked by the use
 * case before; these are the rules of the state.
 */
export function decide(p: Partnership, c: Command, now: Date): Change | undefined {
  switch (c.type) {
    case 'update': {
      if (c.status !== undefined && c.status !== p.status) {
        if (CLOSED.includes(p.status) && c.status !== 'ongoing')
          throw conflict(`The partnership is ${p.status}; reopen it (ongoing) before closing it otherwise.`);
        if (c.status === 'not-started' && p.reports.length > 0)
          throw new DomainError('conflict', 'Reports were filed: the partnership did start.', {
            path: 'status',
          });
      }
      const next: Partnership = {
        ...p,
        ...(c.status !== undefined ? { status: c.status } : {}),
        ...(c.startDate !== undefined ? { startDate: c.startDate } : {}),
        updatedAt: now,
      };
      if (c.amount === null) delete next.amount;
      else if (c.amount !== undefined) next.amount = c.amount;
      const same =
        next.status === p.status &&
        next.startDate === p.startDate &&
        JSON.stringify(next.amount) === JSON.stringify(p.amount);
      if (same) return undefined;
      return { next: { ...next, revision: p.revision + 1 }, event: 'updated' };
    }
    case 'file-report': {
      if (!p.reportPeriods.includes(c.period))
        throw new DomainError(
          'invalid',
          `Reports are due at ${p.reportPeriods.join(', ')} months; not at ${c.period}.`,
          { path: 'period' },
        );
      if (!expectsReports(p))
        throw conflict('The partnership did not start: set its status to ongoing before reporting.');
      if (!isParty(p, c.organisationId)) throw forbidden('Only the parties report on a partnership.');
      const earlier = p.reports.find((r) => r.organisationId === c.organisationId && r.period === c.period);
      const report: Report = {
        ...c.report,
        organisationId: c.organisationId,
        period: c.period,
        by: c.by,
        filedAt: earlier?.filedAt ?? now,
        updatedAt: now,
      };
      const reports = [...p.reports.filter((r) => r !== earlier), report].sort(
        (a, b) => a.period - b.period || a.organisationId.localeCompare(b.organisationId),
      );
      return { next: { ...p, reports, revision: p.revision + 1, updatedAt: now }, event: 'report-filed' };
    }
    case 'comment': {
      if (
        c.comment.about &&
        !p.reports.some(
          (r) => r.organisationId === c.comment.about?.organisationId && r.period === c.comment.about?.period,
        )
      )
        throw new DomainError('invalid', 'No such report on this partnership.', { path: 'about' });
      // Comments are the coordinator's notes: they change no public fact, so no revision and no event.
      return { next: { ...p, comments: [...p.comments, { ...c.comment, at: now }], updatedAt: now } };
    }
    case 'remind': {
      if (p.reminded.includes(c.period)) return undefined;
      const reminded = [...p.reminded, c.period].sort((a, b) => a - b);
      const nobody = missing(p, c.period).length === 0 || !expectsReports(p);
      return {
        next: { ...p, reminded, updatedAt: now },
        ...(nobody ? {} : { event: 'report-due' as const }),
      };
    }
    case 'details': {
      if (p.detailsKnown) return undefined;
      const next: Partnership = {
        ...p,
        sectors: c.need.sectors,
        sdgs: c.need.sdgs,
        ...(p.amount === undefined && c.need.amount ? { amount: c.need.amount } : {}),
        detailsKnown: true,
        revision: p.revision + 1,
        updatedAt: now,
      };
      return { next, event: 'updated' };
    }
  }
}

/** The public snapshot events carry. */
export function snapshot(p: Partnership): PartnershipSnapshot {
  return {
    id: p.id,
    revision: p.revision,
    updatedAt: p.updatedAt.toISOString(),
    needId: p.needId,
    offerIds: p.offerIds,
    parties: p.parties,
    triad: p.triad,
    modality: p.modality,
    needType: p.needType,
    sectors: p.sectors,
    sdgs: p.sdgs,
    ...(p.amount ? { amount: p.amount } : {}),
    agreedAt: p.agreedAt.toISOString(),
    startDate: p.startDate,
    status: p.status,
    reportPeriods: p.reportPeriods,
    filed: p.reports.map((r) => ({ organisationId: r.organisationId, period: r.period })),
  };
}

export type { Actor, Indicators };
