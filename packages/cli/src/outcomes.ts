import type { NeedType, ProposalSnapshot } from '@mutirao/contracts';
import { mulberry32 } from '@mutirao/kernel';
import { sdgTargets } from '@mutirao/reference-data';
import { ApiError, type Client } from './client';

/**
 * Demo partnerships and their outcome reports, made on a running system the way people make them:
 * the admin approves top-ranked proposals, a member of every party (invited by the admin, mails
 * going to the system's SMTP server) accepts, and the follow-up service records the partnership;
 * then every party's report is filed (by the admin in the party's name) with figures that fit the
 * need type, and a few partnerships are marked completed, ended early or not started. The reports
 * are filed at once, so the figures all fall in the quarter of the run. Deterministic choices from
 * a seed; proposals the system refuses (expired meanwhile, capacity taken) are skipped.
 */
export interface OutcomeSummary {
  approved: number;
  agreed: number;
  reports: number;
}

const PASSWORD = 'demo partner password';

async function anonymous<T>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError(res.status, json as ApiError['body'], `${method} ${path}`);
  return json as T;
}

/** Figures a party of such a partnership plausibly reports for one period. */
export function demoIndicators(type: NeedType, rnd: () => number, scale = 1) {
  const n = (lo: number, hi: number) => Math.round((lo + rnd() * (hi - lo)) * scale);
  const focus: Record<NeedType, Partial<Record<string, [number, number]>>> = {
    'capacity-building': { peopleTrained: [15, 80], membersReached: [40, 300] },
    'knowledge-exchange': { peopleTrained: [5, 30], membersReached: [20, 150] },
    technology: { technologiesAdopted: [1, 4], peopleTrained: [4, 20], membersReached: [30, 200] },
    'market-access': { marketsGained: [1, 5], jobsCreated: [2, 12], membersReached: [50, 400] },
    'supply-chain': { marketsGained: [1, 3], jobsCreated: [1, 8], membersReached: [30, 250] },
    financing: { jobsCreated: [2, 15], membersReached: [40, 350] },
  };
  const f = focus[type];
  const pick = (k: string, lo: number, hi: number) => {
    const r = f[k];
    return r ? n(r[0], r[1]) : n(lo, hi);
  };
  return {
    peopleTrained: pick('peopleTrained', 0, 6),
    membersReached: pick('membersReached', 10, 60),
    jobsCreated: pick('jobsCreated', 0, 3),
    marketsGained: pick('marketsGained', 0, 1),
    technologiesAdopted: pick('technologiesAdopted', 0, 1),
  };
}

const STORIES: Record<NeedType, string> = {
  'capacity-building':
    'Members followed the training cycle and now run the sessions for new members themselves.',
  'knowledge-exchange':
    'The exchange visits were held; the practices seen are being tried in two member groups.',
  technology: 'The equipment is installed and maintained by trained members; daily output has gone up.',
  'market-access': 'The cooperative signed its first supply agreements and sells through the new channel.',
  'supply-chain': 'Deliveries now follow a shared schedule; losses between harvest and sale have gone down.',
  financing:
    'The first tranche was paid out and spent on the planned working capital; repayments are on time.',
};

export async function demoOutcomes(
  admin: Client,
  opts: { count?: number; seed?: number; log?: (line: string) => void } = {},
): Promise<OutcomeSummary> {
  const log = opts.log ?? (() => undefined);
  const rnd = mulberry32(opts.seed ?? 2026);
  const { items } = await admin.call<{ items: ProposalSnapshot[] }>('GET', '/api/matching/export/proposals');
  const open = items.filter((p) => p.status === 'proposed' && p.rank === 1);
  // Triads first (the triangular ones are the rarer and the ones IATI marks), then pairings, each shuffled.
  const shuffled = (l: ProposalSnapshot[]) =>
    l
      .map((p) => [rnd(), p] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, p]) => p);
  const count = opts.count ?? 40;
  const triads = shuffled(open.filter((p) => p.offerIds.length === 2)).slice(0, Math.ceil(count / 3));
  const chosen = [...triads, ...shuffled(open.filter((p) => p.offerIds.length === 1))].slice(0, count);
  // One need, one partnership: the others of its need expire once it is matched.
  const byNeed = new Map(chosen.map((p) => [p.needId, p]));

  const summary: OutcomeSummary = { approved: 0, agreed: 0, reports: 0 };
  const members = new Map<string, string>();
  const memberOf = async (org: string): Promise<string> => {
    const held = members.get(org);
    if (held) return held;
    const email = `demo-${org.slice(-12).toLowerCase()}@partners.mutirao.localhost`;
    const inv = await admin.call<{ token: string }>(
      'POST',
      `/api/profiles/organisations/${org}/invitations`,
      { email },
    );
    await anonymous(admin.baseUrl, 'POST', `/api/profiles/invitations/${inv.token}/accept`, {
      name: `Demo member ${org.slice(-6)}`,
      email,
      password: PASSWORD,
    });
    const s = await anonymous<{ token: string }>(admin.baseUrl, 'POST', '/api/profiles/sessions', {
      email,
      password: PASSWORD,
    });
    members.set(org, s.token);
    return s.token;
  };

  const agreed: ProposalSnapshot[] = [];
  for (const p of byNeed.values()) {
    try {
      await admin.call('POST', `/api/matching/proposals/${p.id}/review`, { decision: 'approved' });
      summary.approved++;
      for (const org of [p.needOrganisationId, ...p.offerOrganisationIds])
        await anonymous(
          admin.baseUrl,
          'POST',
          `/api/matching/proposals/${p.id}/accept`,
          {},
          await memberOf(org),
        );
      agreed.push(p);
      summary.agreed++;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      log(`skipped proposal ${p.id}: ${err.message}`);
    }
  }
  log(`${summary.agreed} partnerships agreed; waiting for the follow-up service to record them…`);

  const deadline = Date.now() + 60_000;
  const recorded = new Set<string>();
  while (recorded.size < agreed.length && Date.now() < deadline) {
    const list = await admin.call<{ items: { id: string }[] }>('GET', '/api/followup/partnerships');
    for (const x of list.items) recorded.add(x.id);
    if (recorded.size < agreed.length) await new Promise((r) => setTimeout(r, 500));
  }

  for (const [i, p] of agreed.entries()) {
    if (!recorded.has(p.id)) continue;
    const view = await admin.call<{ sdgs: number[]; reportPeriods: { period: number }[] }>(
      'GET',
      `/api/followup/partnerships/${p.id}`,
    );
    // One in ten did not start; the others report at their first period, two in five at their second too.
    if (i % 10 === 9) {
      await admin.call('PATCH', `/api/followup/partnerships/${p.id}`, { status: 'not-started' });
      continue;
    }
    const periods = view.reportPeriods.map((r) => r.period).slice(0, i % 5 < 2 ? 2 : 1);
    const targets = sdgTargets()
      .filter((t) => view.sdgs.includes(t.goal))
      .map((t) => t.code);
    for (const [k, period] of periods.entries())
      for (const org of [p.needOrganisationId, ...p.offerOrganisationIds]) {
        const indicators = demoIndicators(p.needType, rnd, k + 1);
        const amount = p.needType === 'financing' && org === p.offerOrganisationIds.at(-1);
        await admin.call(
          'PUT',
          `/api/followup/partnerships/${p.id}/reports/${period}?organisationId=${org}`,
          {
            indicators: {
              ...indicators,
              ...(amount
                ? { amountDisbursed: { value: Math.round(5_000 + rnd() * 45_000), currency: 'USD' } }
                : {}),
            },
            story: STORIES[p.needType],
            sdgTargets: targets.filter(() => rnd() < 0.4).slice(0, 3),
          },
        );
        summary.reports++;
      }
    const status = i % 11 === 5 ? 'ended-early' : i % 7 === 3 ? 'completed' : undefined;
    if (status) await admin.call('PATCH', `/api/followup/partnerships/${p.id}`, { status });
  }
  log(`${summary.reports} outcome reports filed.`);
  return summary;
}
