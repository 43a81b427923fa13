/**
 * Steps on the running system (`startSystem`), through the web server as people take them: the
 * public sample imported, proposals approved by the admin and accepted by a member of every
 * party, each party's report filed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, exportFile, importFile, waitForMatching } from '@mutirao/cli';
import { REPO_ROOT } from '@mutirao/infra';
import { eventually, type RunningSystem, type TestEnv } from '@mutirao/testing';
import { aReport } from './factories';

const PASSWORD = 'a long enough password';

export interface Proposal {
  id: string;
  need: string;
  offers: string[];
  rank: number;
  status: string;
}

export class SystemSteps {
  readonly admin: Client;
  private adminToken?: string;

  constructor(
    readonly system: RunningSystem,
    private readonly env: TestEnv,
  ) {
    this.admin = new Client(system.webUrl, system.admin);
  }

  async call<T>(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; text: string }> {
    const res = await fetch(`${this.system.webUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json')
      ? (JSON.parse(text) as T)
      : (undefined as T);
    return { status: res.status, body: json, text };
  }

  async signIn(email: string, password: string): Promise<string> {
    const r = await this.call<{ token: string }>('POST', '/api/profiles/sessions', undefined, {
      email,
      password,
    });
    return r.body.token;
  }

  async adminSession(): Promise<string> {
    this.adminToken ??= await this.signIn(this.system.admin.email, this.system.admin.password);
    return this.adminToken;
  }

  /** A member of the organisation, invited by the admin, who signs in. */
  async memberOf(orgId: string): Promise<string> {
    const email = `${this.env.unique('m')}@${orgId.slice(0, 8)}.example`;
    const inv = await this.admin.call<{ token: string }>(
      'POST',
      `/api/profiles/organisations/${orgId}/invitations`,
      {
        email,
      },
    );
    await this.call('POST', `/api/profiles/invitations/${inv.token}/accept`, undefined, {
      name: email,
      email,
      password: PASSWORD,
    });
    return this.signIn(email, PASSWORD);
  }

  /** Imports the public sample and waits for matching; returns its proposals. */
  async sampleProposals(): Promise<Proposal[]> {
    const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'sample.exchange.json'), 'utf8'));
    await importFile(this.admin, sample, true);
    await waitForMatching(this.admin, 120_000);
    return (await exportFile(this.admin)).proposals as Proposal[];
  }

  /** Approves the proposal and has a member of every party accept it; their tokens by organisation. */
  async agree(p: Proposal): Promise<Map<string, string>> {
    const admin = await this.adminSession();
    const full = (
      await this.call<{ needOrganisationId: string; offerOrganisationIds: string[] }>(
        'GET',
        `/api/matching/proposals/${p.id}`,
        admin,
      )
    ).body;
    const review = await this.call('POST', `/api/matching/proposals/${p.id}/review`, admin, {
      decision: 'approved',
    });
    if (review.status !== 200) throw new Error(`review of ${p.id}: ${review.status} ${review.text}`);
    const members = new Map<string, string>();
    for (const org of [full.needOrganisationId, ...full.offerOrganisationIds]) {
      const token = await this.memberOf(org);
      members.set(org, token);
      const r = await this.call('POST', `/api/matching/proposals/${p.id}/accept`, token);
      if (r.status !== 200) throw new Error(`accept of ${p.id} by ${org}: ${r.status} ${r.text}`);
    }
    return members;
  }

  /** Waits until the follow-up has recorded the partnership of an agreed proposal. */
  async partnership<T = { id: string; status: string; parties: { role: string }[] }>(
    id: string,
    token: string,
  ): Promise<T> {
    return eventually(
      async () => {
        const r = await this.call<T>('GET', `/api/followup/partnerships/${id}`, token);
        return r.status === 200 ? r.body : undefined;
      },
      { what: `partnership ${id}`, timeoutMs: 30_000 },
    );
  }

  /** Every party files its report for the period; `indicators` vary the figures by party. */
  async fileReports(id: string, members: Map<string, string>, period = 3): Promise<void> {
    let i = 0;
    for (const [org, token] of members) {
      i++;
      const body = aReport({
        indicators: { ...aReport().indicators, peopleTrained: 10 * i, membersReached: 100 + i },
      });
      const r = await this.call('PUT', `/api/followup/partnerships/${id}/reports/${period}`, token, body);
      if (r.status !== 200) throw new Error(`report of ${org} on ${id}: ${r.status} ${r.text}`);
    }
  }
}
