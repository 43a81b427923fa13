import { Topics } from '@mutirao/contracts';
import { makeEvent } from '@mutirao/messaging';
import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/domain/schedule';
import { anOrganisation, aPerson, aProposal } from './fixtures';
import { type Harness, startNotifications, WEB_URL } from './harness';

/**
 * The service against real Kafka, FerretDB and Mailpit: events in, mails read back through
 * Mailpit's API, the in-app list over HTTP.
 */
let h: Harness;
const needOrg = anOrganisation({
  id: 'org-need',
  name: 'Cooperativa de Nampula',
  country: 'MZ',
  languages: ['pt'],
});
const offerOrg = anOrganisation({
  id: 'org-offer',
  name: 'Energía Solidaria',
  country: 'BO',
  languages: ['es'],
});
const ana = aPerson({ id: 'ana', email: 'ana@nampula.example', name: 'Ana', organisationId: 'org-need' });
const omar = aPerson({
  id: 'omar',
  email: 'omar@solidaria.example',
  name: 'Omar',
  organisationId: 'org-offer',
  language: 'fr',
});
const proposal = aProposal({
  id: 'prop-1',
  needOrganisationId: 'org-need',
  offerOrganisationIds: ['org-offer'],
});

const subjects = async (address: string) => (await h.mailpit.to(address)).map((m) => m.Subject).sort();

beforeAll(async () => {
  h = await startNotifications();
  await h.organisation(needOrg);
  await h.organisation(offerOrg);
  await h.person(ana);
  await h.person(omar);
  await h.known(['ana', 'omar'], ['org-need', 'org-offer']);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('a proposal approved', () => {
  const approved = makeEvent({
    type: 'org.mutirao.matching.proposal.approved',
    source: 'test',
    subject: proposal.id,
    data: {
      proposal: { ...proposal, review: { decision: 'approved', by: 'c', at: new Date().toISOString() } },
    },
  });

  it('mails each party’s member once, in their language, with the link to the proposal; the in-app list shows it unread', async () => {
    await h.raw(Topics.proposal, approved);
    const [toAna] = await eventually(async () => {
      const m = await h.mailpit.to(ana.email);
      return m.length > 0 && m;
    });
    const [toOmar] = await eventually(async () => {
      const m = await h.mailpit.to(omar.email);
      return m.length > 0 && m;
    });
    expect(toAna?.Subject).toBe('Uma proposta de parceria aguarda a sua resposta');
    expect(toOmar?.Subject).toBe('Une proposition de partenariat attend votre réponse');
    const mail = await h.mailpit.client.message(toAna?.ID ?? '');
    expect(mail.Text).toContain(`${WEB_URL}/#/proposals?id=prop-1`);
    expect(mail.HTML).toContain(`href="${WEB_URL}/#/proposals?id=prop-1"`);
    expect(mail.Text).toContain('Energía Solidaria');
    expect(mail.ListUnsubscribe.HeaderPost).toBe('List-Unsubscribe=One-Click');
    expect(mail.ListUnsubscribe.Links[0]).toMatch(`${WEB_URL}/api/notifications/unsubscribe/`);
    expect(mail.MessageID).toMatch(/^[0-9a-f]{40}@mutirao\.test$/);

    const token = await h.token({ sub: 'ana', org: 'org-need', roles: ['member'] });
    const list = await request(h.service.app).get('/notifications').set('authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    expect(list.body.unreadCount).toBe(1);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        kind: 'proposal-approved',
        title: 'Uma proposta de parceria aguarda a sua resposta',
        link: `${WEB_URL}/#/proposals?id=prop-1`,
        read: false,
      }),
    ]);
    const read = await request(h.service.app)
      .post(`/notifications/${encodeURIComponent(list.body.items[0].id)}/read`)
      .set('authorization', `Bearer ${token}`)
      .send({});
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body.read).toBe(true);
    const omarToken = await h.token({ sub: 'omar', org: 'org-offer', roles: ['member'] });
    // Another person's item is not theirs to mark.
    const foreign = await request(h.service.app)
      .post(`/notifications/${encodeURIComponent(list.body.items[0].id)}/read`)
      .set('authorization', `Bearer ${omarToken}`)
      .send({});
    expect(foreign.status).toBe(404);
  });

  it('sends nothing twice when the event comes again', async () => {
    await h.raw(Topics.proposal, approved);
    // A later event on the same topic and key: once its mails are in, the redelivery was handled.
    await h.proposal({ ...proposal, revision: 3, status: 'declined' }, 'declined');
    await eventually(async () => (await h.mailpit.to(omar.email)).length === 2, {
      what: 'the declined mail',
    });
    expect(await subjects(ana.email)).toEqual([
      'Uma proposta de parceria aguarda a sua resposta',
      'Uma proposta de parceria foi recusada',
    ]);
    expect(await subjects(omar.email)).toEqual([
      'Une proposition de partenariat a été déclinée',
      'Une proposition de partenariat attend votre réponse',
    ]);
  });
});

describe('an SMTP server down for a while', () => {
  it('delivers once after retries, when it is back', async () => {
    await h.mailpit.stop();
    await h.organisation(
      { ...needOrg, revision: 2, verification: 'verified' },
      'org.mutirao.profiles.organisation.verified',
    );
    await eventually(
      async () =>
        (await h.service.repos.deliveries.c.findOne({ kind: 'organisation-verified' }))?.waitingForServer,
      { what: 'the mail failed, waiting for the server' },
    );
    // A few probes of the server fail meanwhile (every 200 ms, then 400, 800, 1000).
    await new Promise((r) => setTimeout(r, 2_500));
    await h.mailpit.start();
    await eventually(
      async () => (await subjects(ana.email)).includes('Cooperativa de Nampula está verificada em Mutirão'),
      {
        what: 'the mail after the outage',
      },
    );
    // Marked sent straight after the server's answer (a moment after Mailpit shows it).
    await eventually(
      async () =>
        (await h.service.repos.deliveries.c.findOne({ kind: 'organisation-verified' }))?.status === 'sent',
      { what: 'the delivery marked sent' },
    );
    expect((await h.mailpit.to(ana.email)).filter((m) => m.Subject.includes('verificada'))).toHaveLength(1);
  });
});

describe('reminders of a proposal awaiting an answer', () => {
  const p2 = aProposal({ id: 'prop-2', needOrganisationId: 'org-need', offerOrganisationIds: ['org-offer'] });
  const reminders = async (address: string) =>
    (await h.mailpit.to(address)).filter((m) => /^(Lembrete|Rappel)/.test(m.Subject));

  it('fire at 3 and 7 days by the service’s clock, stop for the party that answered, and survive a restart without repeating', async () => {
    await h.proposal(
      { ...p2, review: { decision: 'approved', by: 'c', at: h.now().toISOString() } },
      'approved',
    );
    await eventually(async () => (await h.mailpit.to(omar.email)).length >= 3, { what: 'the approval mail' });
    expect(await reminders(ana.email)).toEqual([]);

    h.advance(3 * DAY_MS + 60_000);
    await eventually(
      async () => (await reminders(ana.email)).length === 1 && (await reminders(omar.email)).length === 1,
      {
        what: 'the 3-day reminders',
      },
    );
    const mail = await h.mailpit.client.message((await reminders(omar.email))[0]?.ID ?? '');
    expect(mail.Text).toContain('depuis 3 jours');

    // Omar's organisation answers; then the service restarts, and the 7th day passes while it is down.
    await h.proposal(
      { ...p2, revision: 3, status: 'accepted', consents: { 'org-offer': 'accepted' } },
      'accepted',
    );
    await eventually(
      async () =>
        (await h.service.repos.schedules.c.findOne({ _id: 'proposal-reminder:prop-2:org-offer:7' }))
          ?.status === 'cancelled',
      { what: 'the offer party’s 7-day reminder cancelled' },
    );
    await h.service.stop();
    h.advance(4 * DAY_MS);
    await h.restart();
    await eventually(async () => (await reminders(ana.email)).length === 2, { what: 'the 7-day reminder' });
    const texts = await Promise.all(
      (await reminders(ana.email)).map(async (m) => (await h.mailpit.client.message(m.ID)).Text),
    );
    expect(texts.filter((t) => t.includes('há 3 dias'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('há 7 dias'))).toHaveLength(1);
    expect(await reminders(omar.email)).toHaveLength(1);
    const fired = await h.service.repos.schedules.c
      .find({ subject: 'prop-2' }, { projection: { status: 1 } })
      .sort({ _id: 1 })
      .toArray();
    expect(fired.map((s) => [s._id, s.status])).toEqual([
      ['proposal-reminder:prop-2:org-need:3', 'fired'],
      ['proposal-reminder:prop-2:org-need:7', 'fired'],
      ['proposal-reminder:prop-2:org-offer:3', 'fired'],
      ['proposal-reminder:prop-2:org-offer:7', 'cancelled'],
    ]);
  });
});

describe('unsubscribe from the link alone', () => {
  it('switches that kind off for that person, with no sign-in; a forged link is a 404', async () => {
    const mail = await h.mailpit.client.message(
      (await h.mailpit.to(ana.email)).find((m) => m.Subject.startsWith('Uma proposta de parceria aguarda'))
        ?.ID ?? '',
    );
    const link = mail.ListUnsubscribe.Links[0] ?? '';
    const path = link.replace(`${WEB_URL}/api/notifications`, '');
    const page = await request(h.service.app).get(path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('propostas que aguardam a sua resposta');
    // Only looking at the page changed nothing.
    const anaToken = await h.token({ sub: 'ana', org: 'org-need', roles: ['member'] });
    const before = await request(h.service.app)
      .get('/preferences')
      .set('authorization', `Bearer ${anaToken}`);
    expect(before.body.kinds['proposal-approved']).toBe('mail');

    const oneClick = await request(h.service.app).post(path).type('form').send('List-Unsubscribe=One-Click');
    expect(oneClick.status).toBe(200);
    const after = await request(h.service.app).get('/preferences').set('authorization', `Bearer ${anaToken}`);
    expect(after.body.kinds['proposal-approved']).toBe('off');
    expect(after.body.kinds['proposal-agreed']).toBe('mail');

    const forged = `${path.slice(0, -4)}${path.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await request(h.service.app).post(forged)).status).toBe(404);
    expect((await request(h.service.app).get(forged)).status).toBe(404);

    // The next approval reaches Omar, and not Ana.
    const p3 = aProposal({
      id: 'prop-3',
      needOrganisationId: 'org-need',
      offerOrganisationIds: ['org-offer'],
    });
    const omarBefore = (await h.mailpit.to(omar.email)).length;
    const anaBefore = (await h.mailpit.to(ana.email)).length;
    await h.proposal(
      { ...p3, review: { decision: 'approved', by: 'c', at: h.now().toISOString() } },
      'approved',
    );
    await eventually(async () => (await h.mailpit.to(omar.email)).length === omarBefore + 1, {
      what: 'Omar’s mail',
    });
    expect((await h.mailpit.to(ana.email)).length).toBe(anaBefore);
  });
});

describe('the daily digest', () => {
  it('gathers a person’s items of the day in one mail at the digest hour', async () => {
    const omarToken = await h.token({ sub: 'omar', org: 'org-offer', roles: ['member'] });
    const put = await request(h.service.app)
      .put('/preferences')
      .set('authorization', `Bearer ${omarToken}`)
      .send({ kinds: { 'proposal-agreed': 'digest', 'proposal-declined': 'digest' } });
    expect(put.status).toBe(200);
    expect(put.body.kinds['proposal-agreed']).toBe('digest');
    const bad = await request(h.service.app)
      .put('/preferences')
      .set('authorization', `Bearer ${omarToken}`)
      .send({ kinds: { 'proposal-agreed': 'sometimes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('kinds.proposal-agreed');

    const before = (await h.mailpit.to(omar.email)).length;
    for (const id of ['prop-4', 'prop-5'])
      await h.proposal(
        aProposal({
          id,
          revision: 5,
          status: id === 'prop-4' ? 'agreed' : 'declined',
          needOrganisationId: 'org-need',
          offerOrganisationIds: ['org-offer'],
        }),
        id === 'prop-4' ? 'agreed' : 'declined',
      );
    await eventually(
      async () =>
        (await h.service.repos.inbox.c.countDocuments({ personId: 'omar', digestPending: true })) === 2,
      {
        what: 'two items kept for the digest',
      },
    );
    h.advance(DAY_MS);
    await eventually(async () => (await h.mailpit.to(omar.email)).length === before + 1, {
      what: 'the digest',
    });
    const digest = (await h.mailpit.to(omar.email)).find((m) => m.Subject.includes('nouveautés'));
    expect(digest?.Subject).toBe('2 nouveautés sur Mutirão');
    const text = (await h.mailpit.client.message(digest?.ID ?? '')).Text;
    expect(text).toContain('Partenariat conclu avec Cooperativa de Nampula');
    expect(text).toContain('Une proposition de partenariat a été déclinée');
  });
});

describe('a person whose own event is read after their organisation’s', () => {
  it('tells them what their organisation was told since they joined, once, and nothing from before', async () => {
    const run = Date.now().toString(36);
    const lateOrg = anOrganisation({
      id: 'org-late',
      name: 'Cooperativa Tardia',
      country: 'MZ',
      languages: ['pt'],
    });
    const partnerOrg = anOrganisation({ id: 'org-late-partner', name: 'Solar Partners', languages: ['en'] });
    const oto = aPerson({
      id: 'oto',
      email: `oto-${run}@partners.example`,
      name: 'Oto',
      organisationId: 'org-late-partner',
    });
    await h.organisation(lateOrg);
    await h.organisation(partnerOrg);
    await h.person(oto);
    await h.known(['oto'], ['org-late', 'org-late-partner']);
    // Times by the service's clock, which earlier tests moved on by days.
    const at = (offsetMs = 0) => new Date(h.now().getTime() + offsetMs).toISOString();
    const approve = (id: string) =>
      h.raw(Topics.proposal, {
        ...makeEvent({
          type: 'org.mutirao.matching.proposal.approved',
          source: 'test',
          subject: id,
          data: {
            proposal: aProposal({
              id,
              needOrganisationId: 'org-late',
              offerOrganisationIds: ['org-late-partner'],
              updatedAt: at(),
              // Reviewed now: its reminders are days away.
              review: { decision: 'approved', by: 'coord-1', at: at() },
            }),
          },
        }),
        time: at(),
      });
    const mailsTo = (address: string, n: number) =>
      eventually(async () => {
        const m = await h.mailpit.to(address);
        return m.length >= n && m;
      });

    // Handled before Lia is known: only the partner's member is told at first.
    await approve('prop-late-1');
    await mailsTo(oto.email, 1);
    const lia = aPerson({
      id: 'lia',
      email: `lia-${run}@tardia.example`,
      name: 'Lia',
      organisationId: 'org-late',
      updatedAt: at(-60_000),
    });
    await h.person(lia);
    const [toLia] = await mailsTo(lia.email, 1);
    expect(toLia?.Subject).toBe('Uma proposta de parceria aguarda a sua resposta');
    expect((await h.mailpit.client.message(toLia?.ID ?? '')).Text).toContain('#/proposals?id=prop-late-1');

    // Leo joins after that approval: he is told of the next one only.
    const leo = aPerson({
      id: 'leo',
      email: `leo-${run}@tardia.example`,
      name: 'Leo',
      organisationId: 'org-late',
      updatedAt: at(1_000),
    });
    await h.person(leo);
    await h.known(['leo']);
    await new Promise((r) => setTimeout(r, 1_100));
    await approve('prop-late-2');
    await mailsTo(lia.email, 2);
    const toLeo = await mailsTo(leo.email, 1);
    expect(toLeo).toHaveLength(1);
    expect((await h.mailpit.client.message(toLeo[0]?.ID ?? '')).Text).toContain('#/proposals?id=prop-late-2');
    // Lia's person event again (a redelivery) tells her nothing twice.
    await h.person(lia);
    await approve('prop-late-3');
    await mailsTo(lia.email, 3);
    expect((await h.mailpit.to(lia.email)).length).toBe(3);
  });
});

describe('a batch of posting events', () => {
  it('writes its schedules together, and a withdrawal in the same batch cancels them', async () => {
    const at = h.now().toISOString();
    const snapshot = {
      id: 'need-batch',
      revision: 1,
      updatedAt: at,
      organisationId: 'org-need',
      type: 'financing' as const,
      title: 'Cold storage',
      description: '',
      language: 'pt',
      workingLanguages: ['pt'],
      sectors: [],
      sdgs: [],
      fundingRequired: true,
      countriesOfInterest: [],
      expiresAt: new Date(h.now().getTime() + 60 * DAY_MS).toISOString(),
      status: 'open' as const,
    };
    const kept = { ...snapshot, id: 'need-kept' };
    await h.service.ingest([
      { topic: 'need', id: 'e-1', type: 'org.mutirao.exchange.need.published', time: at, need: snapshot },
      { topic: 'need', id: 'e-2', type: 'org.mutirao.exchange.need.published', time: at, need: kept },
      {
        topic: 'need',
        id: 'e-3',
        type: 'org.mutirao.exchange.need.withdrawn',
        time: at,
        need: { ...snapshot, revision: 2, status: 'withdrawn' },
      },
    ]);
    const statuses = async (subject: string) =>
      (await h.service.repos.schedules.c.find({ subject }).toArray())
        .map((s) => `${s.kind}:${s.status}`)
        .sort();
    expect(await statuses('need-batch')).toEqual(['need-unanswered:cancelled', 'posting-expiring:cancelled']);
    expect(await statuses('need-kept')).toEqual(['need-unanswered:due', 'posting-expiring:due']);
  });
});
