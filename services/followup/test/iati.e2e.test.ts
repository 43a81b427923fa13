/**
 * The whole system as `npm start` runs it: the public sample imported, a triad and a pairing
 * approved and accepted by every party, each party's report filed through the web server, and the
 * IATI export checked against the 2.03 schema and the codelists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, exportFile, importFile, waitForMatching } from '@mutirao/cli';
import { REPO_ROOT } from '@mutirao/infra';
import { eventually, type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReport } from './factories';
import { activitiesOf, codeProblems, schemaErrors } from './iati-checks';

const env = testEnv();
const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'sample.exchange.json'), 'utf8'));
const PASSWORD = 'a long enough password';

let system: RunningSystem;
let admin: Client;
let adminToken: string;

beforeAll(async () => {
  system = await startSystem(env);
  admin = new Client(system.webUrl, system.admin);
  adminToken = await signIn(system.admin.email, system.admin.password);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function call<T>(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(`${system.webUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as T) : (undefined as T);
  return { status: res.status, body: json, text };
}

async function signIn(email: string, password: string): Promise<string> {
  const s = await fetch(`${system.webUrl}/api/profiles/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return ((await s.json()) as { token: string }).token;
}

/** A member of the organisation, invited by the admin, who signs in. */
async function memberOf(orgId: string): Promise<string> {
  const email = `${env.unique('m')}@${orgId.slice(0, 8)}.example`;
  const inv = await admin.call<{ token: string }>(
    'POST',
    `/api/profiles/organisations/${orgId}/invitations`,
    { email },
  );
  await fetch(`${system.webUrl}/api/profiles/invitations/${inv.token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: email, email, password: PASSWORD }),
  });
  return signIn(email, PASSWORD);
}

interface Proposal {
  id: string;
  need: string;
  offers: string[];
  rank: number;
  status: string;
}
interface FullProposal {
  id: string;
  needOrganisationId: string;
  offerOrganisationIds: string[];
}

/** Approves the proposal and has every party accept it; returns each party's member token by organisation id. */
async function agree(p: Proposal): Promise<Map<string, string>> {
  const full = (await call<FullProposal>('GET', `/api/matching/proposals/${p.id}`, adminToken)).body;
  expect(
    (await call('POST', `/api/matching/proposals/${p.id}/review`, adminToken, { decision: 'approved' }))
      .status,
  ).toBe(200);
  const members = new Map<string, string>();
  for (const org of [full.needOrganisationId, ...full.offerOrganisationIds]) {
    const token = await memberOf(org);
    members.set(org, token);
    const r = await call<{ status: string }>('POST', `/api/matching/proposals/${p.id}/accept`, token);
    expect(r.status, `accept by ${org}`).toBe(200);
  }
  return members;
}

describe('after the agreement, on the running system', () => {
  let triad: Proposal;
  let pairing: Proposal;

  it('records a partnership for an agreed triad and an agreed pairing', async () => {
    await importFile(admin, sample, true);
    await waitForMatching(admin, 120_000);
    const proposals = (await exportFile(admin)).proposals as Proposal[];
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
      const members = await agree(p);
      const member = [...members.values()][0] as string;
      const partnership = await eventually(
        async () => {
          const r = await call<{ id: string; status: string; parties: { role: string }[] }>(
            'GET',
            `/api/followup/partnerships/${p.id}`,
            member,
          );
          return r.status === 200 ? r.body : undefined;
        },
        { what: `partnership ${p.id}`, timeoutMs: 30_000 },
      );
      expect(partnership.status).toBe('ongoing');
      expect(partnership.parties).toHaveLength(p.offers.length + 1);
      // Every party files its 3-month report.
      for (const [org, token] of members) {
        const r = await call('PUT', `/api/followup/partnerships/${p.id}/reports/3`, token, aReport());
        expect(r.status, `report by ${org}`).toBe(200);
      }
      const after = await call<{ reportPeriods: { period: number; missing: string[] }[] }>(
        'GET',
        `/api/followup/partnerships/${p.id}`,
        member,
      );
      expect(after.body.reportPeriods[0]).toMatchObject({ period: 3, missing: [] });
    }
  });

  it('exports them as IATI 2.03: valid against the schema, every code in its codelist, collaboration-type 8 for the triad only', async () => {
    const res = await call('GET', '/api/followup/iati', adminToken);
    expect(res.status).toBe(200);
    const xml = res.text;
    expect(await schemaErrors(xml)).toEqual([]);
    expect(codeProblems(xml)).toEqual([]);
    const activities = activitiesOf(xml);
    const t = activities.find((a) => a['iati-identifier'].endsWith(`-${triad.id}`));
    const p = activities.find((a) => a['iati-identifier'].endsWith(`-${pairing.id}`));
    expect(t?.['collaboration-type']).toEqual({ code: '8' });
    expect(t?.['participating-org'].map((o) => o.role)).toEqual(['1', '4', '4']);
    expect(t?.['recipient-country']).toEqual([{ code: 'GW', percentage: '100' }]);
    expect(t?.result?.length).toBeGreaterThan(0);
    expect(t?.tag?.some((x) => x.vocabulary === '3' && x.code === '7.1')).toBe(true);
    expect(p).toBeDefined();
    expect(p?.['collaboration-type']).toBeUndefined();
  });
});
