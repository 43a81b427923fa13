import { aNeedSnapshot, anOrganisationSnapshot, eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anAgreedProposal, aPairing, aReport } from '../test/factories';
import { type Harness, startFollowup } from '../test/harness';
import { activitiesOf, codeProblems, schemaErrors } from '../test/iati-checks';

const agreedAt = new Date();
const inDays = (n: number) => new Date(agreedAt.getTime() + n * 86_400_000);
// The clock the service sees; tests move it past due dates.
let clock = agreedAt;
let h: Harness;
let gw: string; // member of the beneficiary
let rw: string; // member of the provider
let pe: string; // member of an organisation party to another partnership only
let coordinator: string; // Western Africa
let elsewhere: string; // a coordinator of South America

const api = () => request(h.followup.app);
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const triad = anAgreedProposal({ id: 'p-triad', updatedAt: agreedAt.toISOString() });
const other = aPairing({
  id: 'p-other',
  needId: 'need-pe',
  needOrganisationId: 'org-pe',
  needCountry: 'PE',
  updatedAt: agreedAt.toISOString(),
  consents: { 'org-pe': 'accepted', 'org-rw': 'accepted' },
});

beforeAll(async () => {
  h = await startFollowup({ now: () => clock });
  gw = await h.token({ sub: 'ana', org: 'org-gw', roles: ['member'] });
  rw = await h.token({ sub: 'jean', org: 'org-rw', roles: ['member'] });
  pe = await h.token({ sub: 'eve', org: 'org-pe', roles: ['member'] });
  coordinator = await h.token({ sub: 'kofi', roles: ['coordinator'], regions: ['Western Africa'] });
  elsewhere = await h.token({ sub: 'rosa', roles: ['coordinator'], regions: ['South America'] });
  for (const [id, country, kind] of [
    ['org-gw', 'GW', 'sse-entity'],
    ['org-rw', 'RW', 'technology-provider'],
    ['org-no', 'NO', 'financier'],
    ['org-pe', 'PE', 'sse-entity'],
  ] as const)
    await h.publishOrganisation(anOrganisationSnapshot({ id, country, kind, name: `Organisation ${id}` }));
  await h.publishNeed(
    aNeedSnapshot({
      id: 'need-1',
      organisationId: 'org-gw',
      title: 'Mini-rede solar para o mercado de Bolama',
      sectors: ['23231'],
      sdgs: [7, 8],
      amount: { value: 50_000, currency: 'USD' },
    }),
  );
  await h.known('needs', 'need-1');
  await h.known('organisations', 'org-no');
  await h.publishAgreed(triad);
  await h.publishAgreed(other);
  await h.recorded('p-triad');
  await h.recorded('p-other');
});
afterAll(async () => {
  await h?.stop();
});

describe('a partnership from an agreed proposal', () => {
  it('is recorded once, with the roles, the need’s sectors, SDGs and amount, and published', async () => {
    await h.publishAgreed(triad); // a replay changes nothing
    const res = await api().get('/partnerships/p-triad').set(auth(gw));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      triad: true,
      modality: 'triangular',
      country: 'GW',
      sectors: ['23231'],
      sdgs: [7, 8],
      amount: { value: 50_000, currency: 'USD' },
      status: 'ongoing',
      revision: 1,
      needTitle: 'Mini-rede solar para o mercado de Bolama',
    });
    expect(res.body.parties.map((x: { role: string; name: string }) => `${x.role}:${x.name}`)).toEqual([
      'beneficiary:Organisation org-gw',
      'provider:Organisation org-rw',
      'funder:Organisation org-no',
    ]);
    expect(res.body.reportPeriods.map((r: { period: number }) => r.period)).toEqual([3, 6, 12]);
    await eventually(() => h.eventsOf('p-triad').some((e) => e.type.endsWith('.recorded')));
  });

  it('takes the need’s details when they arrive after the agreement', async () => {
    await h.publishAgreed(aPairing({ id: 'p-late', needId: 'need-late', updatedAt: agreedAt.toISOString() }));
    expect((await h.recorded('p-late')).sectors).toEqual([]);
    await h.publishNeed(
      aNeedSnapshot({ id: 'need-late', organisationId: 'org-gw', sectors: ['31120'], sdgs: [2] }),
    );
    const p = await eventually(async () => {
      const s = (await h.followup.repo.get('p-late'))?.partnership;
      return s?.detailsKnown ? s : undefined;
    });
    expect(p).toMatchObject({ sectors: ['31120'], sdgs: [2], revision: 2 });
  });
});

describe('outcome reports', () => {
  it('a party files its report; the partners and the region’s coordinator read it', async () => {
    const res = await api().put('/partnerships/p-triad/reports/3').set(auth(gw)).send(aReport());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      organisationId: 'org-gw',
      period: 3,
      by: 'ana',
      sdgTargets: ['7.1', '8.3'],
    });
    const seenBy = async (t: string) => (await api().get('/partnerships/p-triad').set(auth(t))).body.reports;
    expect(await seenBy(rw)).toHaveLength(1);
    expect((await seenBy(coordinator))[0].story).toMatch(/solar mini-grid/);
    await eventually(() => h.eventsOf('p-triad').some((e) => e.type.endsWith('.report-filed')));
  });

  it('refuses a missing or invalid field with the field named, and stores nothing', async () => {
    const before = await h.followup.repo.get('p-triad');
    const cases: [string, unknown, string][] = [
      ['story missing', aReport({ story: undefined }), 'story'],
      [
        'count missing',
        aReport({ indicators: { ...aReport().indicators, jobsCreated: undefined } }),
        'indicators.jobsCreated',
      ],
      [
        'negative count',
        aReport({ indicators: { ...aReport().indicators, peopleTrained: -1 } }),
        'indicators.peopleTrained',
      ],
      ['unknown SDG target', aReport({ sdgTargets: ['7.1', '8.99'] }), 'sdgTargets.1'],
      [
        'unknown currency',
        aReport({ indicators: { ...aReport().indicators, revenueGained: { value: 5, currency: 'XXY' } } }),
        'indicators.revenueGained.currency',
      ],
      ['unknown field', aReport({ mood: 'good' }), '(body)'],
    ];
    for (const [what, body, path] of cases) {
      const res = await api()
        .put('/partnerships/p-triad/reports/6')
        .set(auth(gw))
        .send(body as object);
      expect(res.status, what).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        what,
      ).toContain(path);
    }
    const offPeriod = await api().put('/partnerships/p-triad/reports/4').set(auth(gw)).send(aReport());
    expect(offPeriod.status).toBe(400);
    expect(offPeriod.body.errors).toEqual([{ path: 'period', message: expect.stringMatching(/3, 6, 12/) }]);
    const after = await h.followup.repo.get('p-triad');
    expect(after?.version).toBe(before?.version);
    expect(after?.partnership.reports).toEqual(before?.partnership.reports);
  });

  it('a party of another partnership can neither read nor write its reports', async () => {
    expect((await api().get('/partnerships/p-triad').set(auth(pe))).status).toBe(404);
    const write = await api().put('/partnerships/p-triad/reports/3').set(auth(pe)).send(aReport());
    expect(write.status).toBe(404);
    const forged = await api()
      .put('/partnerships/p-triad/reports/3?organisationId=org-gw')
      .set(auth(pe))
      .send(aReport());
    expect(forged.status).toBe(404);
    const list = await api().get('/partnerships').set(auth(pe));
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(['p-other']);
    // A partner cannot file in another party's name either.
    const asOther = await api()
      .put('/partnerships/p-triad/reports/3?organisationId=org-gw')
      .set(auth(rw))
      .send(aReport());
    expect(asOther.status).toBe(403);
    const stored = await h.followup.repo.get('p-triad');
    expect(stored?.partnership.reports.map((r) => `${r.organisationId}@${r.period}:${r.by}`)).toEqual([
      'org-gw@3:ana',
    ]);
  });

  it('the region’s coordinator comments; another region’s cannot see it', async () => {
    const res = await api()
      .post('/partnerships/p-triad/comments')
      .set(auth(coordinator))
      .send({
        text: 'Good start; please add the training dates.',
        about: { organisationId: 'org-gw', period: 3 },
      });
    expect(res.status).toBe(201);
    expect(res.body.comments).toEqual([
      expect.objectContaining({ by: 'kofi', text: expect.stringMatching(/training/) }),
    ]);
    expect((await api().get('/partnerships/p-triad').set(auth(elsewhere))).status).toBe(404);
    expect(
      (await api().post('/partnerships/p-triad/comments').set(auth(elsewhere)).send({ text: 'x' })).status,
    ).toBe(404);
    expect(
      (await api().post('/partnerships/p-triad/comments').set(auth(gw)).send({ text: 'x' })).status,
    ).toBe(403);
  });

  it('lists late reports for the coordinator and publishes one reminder per period for the parties missing', async () => {
    clock = inDays(95);
    expect((await api().get('/partnerships/late').set(auth(coordinator))).body.items).toEqual([]);
    await h.followup.reminders.run();
    const due = await eventually(() => h.eventsOf('p-triad').find((e) => e.type.endsWith('.report-due')));
    expect(due.data).toMatchObject({ period: 3, organisationIds: ['org-rw', 'org-no'] });
    clock = inDays(92 + 15);
    const late = await api().get('/partnerships/late').set(auth(coordinator));
    expect(late.status).toBe(200);
    const triadLate = late.body.items.filter((l: { partnershipId: string }) => l.partnershipId === 'p-triad');
    expect(
      triadLate.map((l: { organisationId: string; period: number }) => `${l.organisationId}@${l.period}`),
    ).toEqual(['org-rw@3', 'org-no@3']);
    expect(triadLate[0]).toMatchObject({ organisationName: 'Organisation org-rw', country: 'GW' });
    // 92 + 15 days after the agreement, three calendar months (89 to 92 days) after it fell due.
    expect(triadLate[0].daysLate).toBeGreaterThanOrEqual(15);
    // The other region's partnership is not in this queue.
    expect(late.body.items.map((l: { partnershipId: string }) => l.partnershipId)).not.toContain('p-other');
    expect((await api().get('/partnerships/late').set(auth(gw))).status).toBe(403);
    await h.followup.reminders.run();
    expect(h.eventsOf('p-triad').filter((e) => e.type.endsWith('.report-due'))).toHaveLength(1);
  });

  it('the parties change the status; others may not', async () => {
    const done = await api().patch('/partnerships/p-triad').set(auth(rw)).send({ status: 'completed' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    expect(
      (await api().patch('/partnerships/p-triad').set(auth(coordinator)).send({ status: 'ongoing' })).status,
    ).toBe(403);
    const bad = await api().patch('/partnerships/p-triad').set(auth(rw)).send({ status: 'paused' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('status');
    await eventually(() => h.eventsOf('p-triad').some((e) => e.type.endsWith('.updated')));
  });
});

describe('the IATI export', () => {
  it('gives the coordinator a valid 2.03 document of its region, with the identifiers organisations gave', async () => {
    const funder = await h.token({ sub: 'nils', org: 'org-no', roles: ['member'] });
    const bad = await api()
      .put('/organisations/org-no/iati-identifier')
      .set(auth(funder))
      .send({ identifier: 'norway' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('identifier');
    expect(
      (
        await api()
          .put('/organisations/org-gw/iati-identifier')
          .set(auth(funder))
          .send({ identifier: 'NO-BRC-1' })
      ).status,
    ).toBe(403);
    const ok = await api()
      .put('/organisations/org-no/iati-identifier')
      .set(auth(funder))
      .send({ identifier: 'NO-BRC-971277882' });
    expect(ok.status).toBe(200);

    const res = await api().get('/iati').query({ region: 'Western Africa' }).set(auth(coordinator));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/xml/);
    const xml = res.text;
    expect(await schemaErrors(xml)).toEqual([]);
    expect(codeProblems(xml)).toEqual([]);
    const ids = activitiesOf(xml).map((a) => a['iati-identifier']);
    expect(ids).toEqual(expect.arrayContaining(['XI-IATI-MUTIRAO-p-triad', 'XI-IATI-MUTIRAO-p-late']));
    expect(ids).not.toContain('XI-IATI-MUTIRAO-p-other');
    const t = activitiesOf(xml).find((a) => a['iati-identifier'].endsWith('p-triad'));
    expect(t?.['participating-org'].find((o) => o.role === '1')?.ref).toBe('NO-BRC-971277882');
    expect((await api().get('/iati').query({ region: 'South America' }).set(auth(coordinator))).status).toBe(
      403,
    );
    expect((await api().get('/iati').set(auth(gw))).status).toBe(403);
    const future = await api().get('/iati').query({ from: '2099-01-01' }).set(auth(coordinator));
    expect(future.status).toBe(404);
  });
});
