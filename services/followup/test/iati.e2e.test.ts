/**
 * The whole system as `npm start` runs it: the public sample imported, a triad and a pairing
 * approved and accepted by every party, each party's report filed through the web server, and the
 * IATI export checked against the 2.03 schema and the codelists.
 */
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitiesOf, codeProblems, schemaErrors } from './iati-checks';
import { type Proposal, SystemSteps } from './system-steps';

const env = testEnv();
let system: RunningSystem;
let steps: SystemSteps;

beforeAll(async () => {
  system = await startSystem(env);
  steps = new SystemSteps(system, env);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

describe('after the agreement, on the running system', () => {
  let triad: Proposal;
  let pairing: Proposal;

  it('records a partnership for an agreed triad and an agreed pairing, and every party reports', async () => {
    const proposals = await steps.sampleProposals();
    const t = proposals.find(
      (x) => x.need === 'need-gw-solar-mercado' && x.offers.length === 2 && x.status !== 'expired',
    );
    const pr = proposals.find(
      (x) => x.need === 'need-tg-irrigation-goutte' && x.rank === 1 && x.offers.length === 1,
    );
    if (!t || !pr) throw new Error('the sample has no triad or no pairing proposal');
    triad = t;
    pairing = pr;
    for (const p of [triad, pairing]) {
      const members = await steps.agree(p);
      const member = [...members.values()][0] as string;
      const partnership = await steps.partnership(p.id, member);
      expect(partnership.status).toBe('ongoing');
      expect(partnership.parties).toHaveLength(p.offers.length + 1);
      await steps.fileReports(p.id, members);
      const after = await steps.partnership<{ reportPeriods: { period: number; missing: string[] }[] }>(
        p.id,
        member,
      );
      expect(after.reportPeriods[0]).toMatchObject({ period: 3, missing: [] });
    }
  });

  it('exports them as IATI 2.03: valid against the schema, every code in its codelist, collaboration-type 8 for the triad only', async () => {
    const res = await steps.call('GET', '/api/followup/iati', await steps.adminSession());
    expect(res.status).toBe(200);
    const xml = res.text;
    expect(await schemaErrors(xml)).toEqual([]);
    expect(codeProblems(xml)).toEqual([]);
    const activities = activitiesOf(xml);
    const t = activities.find((a) => a['iati-identifier'].endsWith(`-${triad.id}`));
    const p = activities.find((a) => a['iati-identifier'].endsWith(`-${pairing.id}`));
    expect(t?.['collaboration-type']).toEqual({ code: '8' });
    // Funding (the funder), implementing (the provider, then the beneficiary, whose country is the recipient's).
    expect(t?.['participating-org'].map((o) => o.role)).toEqual(['1', '4', '4']);
    expect(t?.['recipient-country']).toEqual([{ code: 'GW', percentage: '100' }]);
    expect(t?.result?.length).toBeGreaterThan(0);
    expect(t?.tag?.some((x) => x.vocabulary === '3' && x.code === '7.1')).toBe(true);
    expect(p).toBeDefined();
    expect(p?.['collaboration-type']).toBeUndefined();
  });
});
