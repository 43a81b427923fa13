import { COUNTS, type Count, periodFigure, periodReport } from './outcomes';
import type { Partnership } from './types';

/** One group's public figures: counts and sums only, never a name, a story or an amount. */
export type Figures = { key: string; partnerships: number; triads: number; reports: number } & Record<
  Count,
  number
>;

export interface Impact {
  generatedAt: string;
  totals: Figures;
  /** By the M49 region of the beneficiary's country. */
  byRegion: Figures[];
  /** By resource type: the need's type (market access, technology, financing, …). */
  byResourceType: Figures[];
  /** By SDG of the need: a partnership counts under each of its goals. */
  bySdg: Figures[];
  byModality: Figures[];
  /** By quarter (`2026-Q1`): partnerships agreed, and reports filed with their figures, in it. */
  byQuarter: Figures[];
}

const blank = (key: string): Figures => ({
  key,
  partnerships: 0,
  triads: 0,
  reports: 0,
  ...(Object.fromEntries(COUNTS.map((c) => [c, 0])) as Record<Count, number>),
});

export const quarterOf = (d: Date): string => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

/** What each partnership adds: itself, its reports, and the figure of each period reported. */
function contribution(p: Partnership) {
  const periods = [...new Set(p.reports.map((r) => r.period))];
  return {
    sums: Object.fromEntries(
      COUNTS.map((c) => [c, periods.reduce((s, period) => s + (periodFigure(p, period, c) ?? 0), 0)]),
    ) as Record<Count, number>,
    periods: periods.map((period) => ({
      at: periodReport(p, period)?.filedAt ?? p.agreedAt,
      figures: Object.fromEntries(COUNTS.map((c) => [c, periodFigure(p, period, c) ?? 0])) as Record<
        Count,
        number
      >,
    })),
  };
}

/**
 * The public figures of the partnerships: agreed partnerships and reported outcomes by region,
 * resource type, SDG, modality and quarter. `regionOf` gives a country's M49 region.
 */
export function impact(
  list: readonly Partnership[],
  regionOf: (country: string) => string | undefined,
  order: { needTypes: readonly string[]; modalities: readonly string[] },
  now: Date,
): Impact {
  const totals = blank('all');
  const groups = {
    byRegion: new Map<string, Figures>(),
    byResourceType: new Map<string, Figures>(order.needTypes.map((k) => [k, blank(k)])),
    bySdg: new Map<string, Figures>(),
    byModality: new Map<string, Figures>(order.modalities.map((k) => [k, blank(k)])),
    byQuarter: new Map<string, Figures>(),
  };
  const into = (map: Map<string, Figures>, key: string) => {
    const held = map.get(key);
    if (held) return held;
    const f = blank(key);
    map.set(key, f);
    return f;
  };
  const add = (f: Figures, p: Partnership, sums: Record<Count, number>) => {
    f.partnerships++;
    if (p.triad) f.triads++;
    f.reports += p.reports.length;
    for (const c of COUNTS) f[c] += sums[c];
  };
  for (const p of list) {
    const { sums, periods } = contribution(p);
    add(totals, p, sums);
    add(into(groups.byRegion, regionOf(p.country) ?? 'unknown'), p, sums);
    add(into(groups.byResourceType, p.needType), p, sums);
    add(into(groups.byModality, p.modality), p, sums);
    for (const g of new Set(p.sdgs)) add(into(groups.bySdg, String(g)), p, sums);
    const agreed = into(groups.byQuarter, quarterOf(p.agreedAt));
    agreed.partnerships++;
    if (p.triad) agreed.triads++;
    for (const r of p.reports) into(groups.byQuarter, quarterOf(r.filedAt)).reports++;
    for (const period of periods) {
      const q = into(groups.byQuarter, quarterOf(period.at));
      for (const c of COUNTS) q[c] += period.figures[c];
    }
  }
  const sorted = (m: Map<string, Figures>, cmp: (a: string, b: string) => number) =>
    [...m.values()].sort((a, b) => cmp(a.key, b.key));
  return {
    generatedAt: now.toISOString(),
    totals,
    byRegion: sorted(groups.byRegion, (a, b) => a.localeCompare(b)),
    byResourceType: [...groups.byResourceType.values()],
    bySdg: sorted(groups.bySdg, (a, b) => Number(a) - Number(b)),
    byModality: [...groups.byModality.values()],
    byQuarter: sorted(groups.byQuarter, (a, b) => a.localeCompare(b)),
  };
}

const DIMENSIONS = ['totals', 'byRegion', 'byResourceType', 'bySdg', 'byModality', 'byQuarter'] as const;
const COLUMNS = ['partnerships', 'triads', 'reports', ...COUNTS] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const field = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The same figures as CSV: one row per group, `dimension,key,` then the columns. */
export function impactCsv(i: Impact): string {
  const rows = [['dimension', 'key', ...COLUMNS].join(',')];
  for (const d of DIMENSIONS) {
    const list = d === 'totals' ? [i.totals] : i[d];
    for (const f of list) rows.push([d, f.key, ...COLUMNS.map((c) => String(f[c]))].map(field).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
