/**
 * The whole system as a newcomer runs it: start, import the public sample through the CLI's
 * code, wait, export; then one proposal through review and consent to an agreed partnership,
 * seen by the exchange as a matched need and one less unit of capacity.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, exportFile, InvalidFile, importFile, waitForMatching } from '@mutirao/cli';
import { REPO_ROOT } from '@mutirao/infra';
import { eventually, Mailpit, type RunningSystem, startSystem, testEnv, toQuery } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const env = testEnv();
const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'sample.exchange.json'), 'utf8'));
const labels = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'sample.labels.json'), 'utf8')) as {
  needs: Record<string, { best: string[][] }>;
  silent: string[];
};

let system: RunningSystem;
let admin: Client;
type Exported = Awaited<ReturnType<typeof exportFile>>;
type ExportedProposal = {
  id: string;
  need: string;
  offers: string[];
  rank: number;
  status: string;
  score: number;
};
let exported: Exported;

beforeAll(async () => {
  system = await startSystem(env);
  admin = new Client(system.webUrl, system.admin);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function api<T>(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${system.webUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function memberOf(orgId: string, email: string): Promise<string> {
  const inv = await admin.call<{ token: string }>(
    'POST',
    `/api/profiles/organisations/${orgId}/invitations`,
    { email },
  );
  await fetch(`${system.webUrl}/api/profiles/invitations/${inv.token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: email, email, password: 'a long enough password' }),
  });
  const s = await fetch(`${system.webUrl}/api/profiles/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough password' }),
  });
  return ((await s.json()) as { token: string }).token;
}

describe('the exchange file against the running system', () => {
  it('rejects a malformed file with all its problems listed, and stores nothing', async () => {
    const bad = structuredClone(sample);
    bad.format = 'mutirao.exchange/v9';
    bad.organisations[0].country = 'ZZ';
    bad.needs[0].organisation = 'org-nobody';
    bad.offers[1].ref = bad.offers[0].ref;
    bad.offers[2].capacity = 'many';
    const err = await importFile(admin, bad, true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidFile);
    const paths = (err as InvalidFile).problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.format',
        '$.organisations[0].country',
        '$.needs[0].organisation',
        '$.offers[1].ref',
        '$.offers[2].capacity',
      ]),
    );
    const now = await exportFile(admin);
    expect([now.organisations.length, now.needs.length, now.offers.length]).toEqual([0, 0, 0]);
  });

  it('imports the public sample, and a second import changes nothing', async () => {
    const first = await importFile(admin, sample, true);
    expect(first.organisations.created).toBe(sample.organisations.length);
    expect(first.needs.created).toBe(sample.needs.length);
    expect(first.offers.created).toBe(sample.offers.length);
    const second = await importFile(admin, sample, true);
    expect(second).toEqual({
      organisations: { created: 0, updated: 0, unchanged: sample.organisations.length },
      needs: { created: 0, updated: 0, unchanged: sample.needs.length },
      offers: { created: 0, updated: 0, unchanged: sample.offers.length },
    });
  });

  it('waits for matching, then exports the labelled best answers ranked first', async () => {
    await waitForMatching(admin, 120_000);
    exported = await exportFile(admin);
    expect(exported.organisations.map((o) => o.ref).sort()).toEqual(
      sample.organisations.map((o: { ref: string }) => o.ref).sort(),
    );
    const proposals = exported.proposals as ExportedProposal[];
    const live = proposals.filter((p) => p.status !== 'expired');
    for (const [need, label] of Object.entries(labels.needs)) {
      const first = live.find((p) => p.need === need && p.rank === 1);
      expect(first?.offers, `best answer for ${need}`).toBeDefined();
      expect(
        label.best.map((b) => b.join('+')),
        need,
      ).toContain(first?.offers.join('+'));
      expect(live.filter((p) => p.need === need).length).toBeLessThanOrEqual(3);
    }
    for (const need of labels.silent)
      expect(
        live.filter((p) => p.need === need),
        need,
      ).toEqual([]);
    // Each proposal's explanation keeps its structured form and the English sentences beside it.
    const explained = exported.proposals[0]?.explanation;
    expect(explained?.summary).toMatch(/proposal, score/);
    expect(explained?.summarySentences?.[0]?.code).toMatch(/^summary\./);
    for (const r of explained?.rules ?? [])
      expect(r.sentence?.code.startsWith(`${r.rule}.`), r.rule).toBe(true);
    // Export is the same format: it validates as an import would (proposals aside).
    const again = await importFile(admin, { ...exported, proposals: undefined }, true);
    expect(again.organisations.created + again.needs.created + again.offers.created).toBe(0);
  });
});

describe('review and consent across the services', () => {
  it('approves, both parties accept, the need is matched and the offer loses one unit of capacity', async () => {
    const proposals = exported.proposals as ExportedProposal[];
    const p = proposals.find((x) => x.need === 'need-tg-irrigation-goutte' && x.rank === 1);
    if (!p) throw new Error('no proposal for need-tg-irrigation-goutte');
    const token = await (async () => {
      const s = await fetch(`${system.webUrl}/api/profiles/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(system.admin),
      });
      return ((await s.json()) as { token: string }).token;
    })();
    const full = await api<{
      needId: string;
      offerIds: string[];
      needOrganisationId: string;
      offerOrganisationIds: string[];
    }>('GET', `/api/matching/proposals/${p.id}`, token);
    expect(full.status).toBe(200);
    const offerId = full.body.offerIds[0] as string;
    const before = await api<{ capacity: number }>('GET', `/api/exchange/offers/${offerId}`, token);

    const approved = await api('POST', `/api/matching/proposals/${p.id}/review`, token, {
      decision: 'approved',
    });
    expect(approved.status).toBe(200);
    const a = await memberOf(full.body.needOrganisationId, `need-${env.unique('m')}@coop.example`);
    const b = await memberOf(
      full.body.offerOrganisationIds[0] as string,
      `offer-${env.unique('m')}@bank.example`,
    );
    const contactBefore = await api<{ contact?: unknown }>(
      'GET',
      `/api/profiles/organisations/${full.body.offerOrganisationIds[0]}`,
      a,
    );
    expect(contactBefore.body.contact).toBeUndefined();

    expect((await api('POST', `/api/matching/proposals/${p.id}/accept`, a)).status).toBe(200);
    const agreed = await api<{ status: string }>('POST', `/api/matching/proposals/${p.id}/accept`, b);
    expect(agreed.body.status).toBe('agreed');

    const need = await eventually(
      async () => {
        const n = await api<{ status: string }>('GET', `/api/exchange/needs/${full.body.needId}`, token);
        return n.body.status === 'matched' ? n.body : undefined;
      },
      { what: 'the need to be matched', timeoutMs: 30_000 },
    );
    expect(need.status).toBe('matched');
    const after = await api<{ capacity: number }>('GET', `/api/exchange/offers/${offerId}`, token);
    expect(after.body.capacity).toBe(before.body.capacity - 1);
    const contactAfter = await eventually(
      async () =>
        (
          await api<{ contact?: { email: string } }>(
            'GET',
            `/api/profiles/organisations/${full.body.offerOrganisationIds[0]}`,
            a,
          )
        ).body.contact,
      { what: 'the partner contact after agreement', timeoutMs: 30_000 },
    );
    expect(contactAfter.email).toMatch(/@/);
  });
});

describe('notifications on the real system', () => {
  const PASSWORD = 'a long enough password';
  /** A JSON call through the web server; fails with the problem's text on any non-2xx answer. */
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${system.webUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const signIn = async (email: string, password = PASSWORD) =>
    (await call<{ token: string }>('POST', '/api/profiles/sessions', undefined, { email, password })).token;
  /** An organisation and its first member, registered as anyone would, then verified by the admin. */
  const registerVerified = async (
    admin: string,
    organisation: Record<string, unknown>,
    member: { email: string; language?: string },
  ): Promise<string> => {
    const { organisation: created } = await call<{ organisation: { id: string } }>(
      'POST',
      '/api/profiles/organisations/register',
      undefined,
      { organisation, member: { name: `Member ${member.email}`, password: PASSWORD, ...member } },
    );
    const base = `/api/profiles/organisations/${created.id}/verification`;
    if (organisation.kind === 'sse-entity')
      for (const criterion of [
        'social-or-public-purpose',
        'voluntary-cooperation',
        'democratic-governance',
        'autonomy-independence',
        'people-over-capital',
      ])
        await call('PUT', `${base}/criteria/${criterion}`, admin, {
          met: true,
          note: 'Seen in the statutes.',
        });
    await call('POST', `${base}/verify`, admin, { note: 'Known to the regional network.' });
    return created.id;
  };

  it('mails each party’s member once, in their own language, a link to the approved proposal, and lists it unread', async () => {
    const t0 = Date.now();
    const mailpit = new Mailpit(env.mailpitUrl);
    const admin = await signIn(system.admin.email, system.admin.password);
    const coordinator = `coordinator-${env.unique('n')}@network.example`;
    await call('POST', '/api/profiles/coordinators', admin, {
      name: 'Coordinator of Eastern Africa',
      email: coordinator,
      password: PASSWORD,
      regions: ['Eastern Africa'],
    });
    // The cooperative's member chose Portuguese; the partner's member chose nothing, and its
    // organisation works in French first.
    const coopMember = `pescadoras-${env.unique('m')}@angoche.example`;
    const partnerMember = `peche-${env.unique('m')}@saint-louis.example`;
    const [coopId, partnerId] = await Promise.all([
      registerVerified(
        admin,
        {
          name: `Cooperativa de Pescadoras de Angoche ${env.unique('c')}`,
          kind: 'sse-entity',
          sseForm: 'cooperative',
          country: 'MZ',
          languages: ['pt', 'en'],
          sectors: ['31320'],
          description: 'Women who fish and smoke fish on the coast of Nampula.',
          contact: { email: `contacto-${env.unique('c')}@angoche.example` },
        },
        { email: coopMember, language: 'pt' },
      ),
      registerVerified(
        admin,
        {
          name: `Pêche Solidaire de Saint-Louis ${env.unique('p')}`,
          kind: 'technology-provider',
          country: 'SN',
          languages: ['fr', 'pt'],
          sectors: ['31320'],
          description: 'Improved fish-smoking ovens, built and taught by artisans.',
          contact: { email: `contact-${env.unique('p')}@saint-louis.example` },
        },
        { email: partnerMember },
      ),
    ]);

    const [coop, partner, coord] = await Promise.all([
      signIn(coopMember),
      signIn(partnerMember),
      signIn(coordinator),
    ]);
    const common = {
      description: 'Ovens that smoke fish with half the wood, and training for those who build them.',
      language: 'pt',
      workingLanguages: ['pt', 'fr'],
      sectors: ['31320'],
      sdgs: [14],
      expiresAt: new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10),
    };
    await call('POST', '/api/exchange/needs', coop, {
      ...common,
      type: 'capacity-building',
      title: 'Fornos melhorados para fumar peixe',
    });
    await call('POST', '/api/exchange/offers', partner, {
      ...common,
      language: 'fr',
      types: ['capacity-building'],
      instrument: 'technical-assistance',
      title: 'Fours améliorés de fumage du poisson',
      modalities: ['south-south'],
      capacity: 2,
    });
    type Queued = { id: string; needOrganisationId: string; offerOrganisationIds: string[] };
    const proposal = await eventually(
      async () =>
        (await call<{ items: Queued[] }>('GET', '/api/matching/proposals', coord)).items.find(
          (p) => p.needOrganisationId === coopId && p.offerOrganisationIds.includes(partnerId),
        ),
      { what: 'matching to propose the pairing to the coordinator', timeoutMs: 30_000, intervalMs: 250 },
    );
    await call('POST', `/api/matching/proposals/${proposal.id}/review`, coord, { decision: 'approved' });

    // Each member: one mail about it, in their language, whose one link opens the proposal in the web app.
    const expected = [
      { email: coopMember, token: coop, subject: 'Uma proposta de parceria aguarda a sua resposta' },
      {
        email: partnerMember,
        token: partner,
        subject: 'Une proposition de partenariat attend votre réponse',
      },
    ];
    const link = `${system.webUrl}/#/proposals?id=${proposal.id}`;
    for (const { email, token, subject } of expected) {
      const about = async () => {
        const found = (await mailpit.search(toQuery(email), { limit: 50 })).messages;
        const mails = await Promise.all(found.map((m) => mailpit.message(m.ID)));
        return mails.filter((m) => m.Text.includes(`?id=${proposal.id}`));
      };
      const [mail] = await eventually(async () => ((await about()).length > 0 ? about() : undefined), {
        what: `the approval's mail to ${email}`,
        timeoutMs: 30_000,
        intervalMs: 250,
      });
      expect(mail?.Subject, email).toBe(subject);
      expect(mail?.To.map((t) => t.Address)).toEqual([email]);
      const hrefs = [...(mail?.HTML ?? '').matchAll(/href="([^"]+)"/g)]
        .map((m) => (m[1] ?? '').replaceAll('&amp;', '&'))
        .filter((h) => !h.includes('/unsubscribe/') && !h.includes('tab=preferences'));
      expect(hrefs, email).toEqual([link]);
      const url = new URL(hrefs[0] ?? '');
      expect(url.origin).toBe(system.webUrl);
      expect(url.hash).toBe(`#/proposals?id=${proposal.id}`);
      expect((await fetch(new URL(url.pathname, system.webUrl))).status).toBe(200);
      expect(mail?.Text).toContain(link);
      // In the app too, unread, with the same link.
      const list = await call<{
        items: { kind: string; link: string; read: boolean }[];
        unreadCount: number;
      }>('GET', '/api/notifications/notifications', token);
      expect(list.items.filter((i) => i.link === link)).toEqual([
        expect.objectContaining({ kind: 'proposal-approved', read: false }),
      ]);
      expect(list.unreadCount).toBeGreaterThanOrEqual(1);
    }
    // Exactly one: nothing else about the proposal came meanwhile.
    await new Promise((r) => setTimeout(r, 2_000));
    for (const { email } of expected) {
      const found = (await mailpit.search(toQuery(email), { limit: 50 })).messages;
      const mails = await Promise.all(found.map((m) => mailpit.message(m.ID)));
      expect(mails.filter((m) => m.Text.includes(`?id=${proposal.id}`)).map((m) => m.Subject)).toHaveLength(
        1,
      );
    }
    console.log(`notifications on the real system: ${Math.round((Date.now() - t0) / 1000)} s`);
  }, 90_000);
});
