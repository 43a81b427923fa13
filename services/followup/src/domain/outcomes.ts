import type { Indicators, Partnership, Report } from './types';

/** The counting indicators, in the order pages and files list them. */
export const COUNTS = [
  'peopleTrained',
  'membersReached',
  'jobsCreated',
  'marketsGained',
  'technologiesAdopted',
] as const;
export type Count = (typeof COUNTS)[number];

/**
 * The report that stands for a period: the beneficiary's when it filed one (what changed for the
 * SSE entity), else, for each figure, the largest another party gave. Reports are never summed:
 * every party reports on the same work.
 */
export function periodFigure(
  p: Pick<Partnership, 'parties' | 'reports'>,
  period: number,
  key: Count,
): number | undefined {
  const filed = p.reports.filter((r) => r.period === period);
  if (filed.length === 0) return undefined;
  const own = filed.find((r) => r.organisationId === beneficiaryOf(p));
  return own ? own.indicators[key] : Math.max(...filed.map((r) => r.indicators[key]));
}

/** The report whose date places a period's figures in time: the beneficiary's, else the first filed. */
export function periodReport(
  p: Pick<Partnership, 'parties' | 'reports'>,
  period: number,
): Report | undefined {
  const filed = p.reports.filter((r) => r.period === period);
  return filed.find((r) => r.organisationId === beneficiaryOf(p)) ?? filed[0];
}

const beneficiaryOf = (p: Pick<Partnership, 'parties'>) =>
  p.parties.find((x) => x.role === 'beneficiary')?.organisationId;

export type { Indicators };
