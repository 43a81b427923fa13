import { describe, expect, it } from 'vitest';
import { anAgreedProposal, aPairing, someIndicators } from '../../test/factories';
import { impact, impactCsv } from './impact';
import { decide, record } from './partnership';
import type { Partnership } from './types';

const jan = new Date('2026-01-15T10:00:00Z');
const may = new Date('2026-05-02T00:00:00Z');
const regions: Record<string, string> = { GW: 'Africa', PE: 'Americas' };
const order = {
  needTypes: [
    'market-access',
    'technology',
    'financing',
    'capacity-building',
    'knowledge-exchange',
    'supply-chain',
  ],
  modalities: ['south-south', 'triangular', 'north-south'],
};

const filed = (p: Partnership, org: string, trained: number): Partnership =>
  decide(
    p,
    {
      type: 'file-report',
      organisationId: org,
      period: 3,
      by: 'x',
      report: { indicators: someIndicators({ peopleTrained: trained }), story: 'ok', sdgTargets: [] },
    },
    may,
  )?.next as Partnership;

describe('the public impact figures', () => {
  const triad = filed(
    filed(
      record(anAgreedProposal(), { now: jan, reportPeriods: [3], need: { sectors: [], sdgs: [7, 8] } }),
      'org-rw',
      30,
    ),
    'org-gw',
    12,
  );
  const pair = filed(
    record(aPairing({ needCountry: 'PE', needOrganisationId: 'org-pe', needType: 'market-access' }), {
      now: jan,
      reportPeriods: [3],
      need: { sectors: [], sdgs: [8] },
    }),
    'org-rw',
    5,
  );
  const figures = impact([triad, pair], (c) => regions[c], order, may);

  it('counts partnerships and reports, and takes the beneficiary’s figure of a period over the others', () => {
    expect(figures.totals).toMatchObject({ partnerships: 2, triads: 1, reports: 3, peopleTrained: 12 + 5 });
    expect(figures.byRegion.map((f) => [f.key, f.partnerships, f.peopleTrained])).toEqual([
      ['Africa', 1, 12],
      ['Americas', 1, 5],
    ]);
    expect(figures.byModality.map((f) => [f.key, f.partnerships])).toEqual([
      ['south-south', 1],
      ['triangular', 1],
      ['north-south', 0],
    ]);
    expect(figures.byResourceType.find((f) => f.key === 'technology')?.partnerships).toBe(1);
    expect(figures.bySdg.map((f) => [f.key, f.partnerships])).toEqual([
      ['7', 1],
      ['8', 2],
    ]);
    expect(figures.byQuarter.map((f) => [f.key, f.partnerships, f.reports, f.peopleTrained])).toEqual([
      ['2026-Q1', 2, 0, 0],
      ['2026-Q2', 0, 3, 17],
    ]);
  });

  it('says the same as CSV, one row per group', () => {
    const csv = impactCsv(figures).split('\r\n');
    expect(csv[0]).toBe(
      'dimension,key,partnerships,triads,reports,peopleTrained,membersReached,jobsCreated,marketsGained,technologiesAdopted',
    );
    expect(csv).toContain('totals,all,2,1,3,17,280,6,2,4');
    expect(csv).toContain('byRegion,Africa,1,1,2,12,140,3,1,2');
  });
});
