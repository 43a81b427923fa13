import { type PartnershipSnapshot, Topics } from '@mutirao/contracts';
import { eventually } from '@mutirao/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrganisation, aPerson } from './fixtures';
import { type Harness, startNotifications, WEB_URL } from './harness';

/** The follow-up's `report-due` event, as the service reads it off Kafka, into mails and the in-app list. */
let h: Harness;
const beneficiary = anOrganisation({
  id: 'org-b',
  name: 'Cooperativa de Nampula',
  country: 'MZ',
  languages: ['pt'],
});
const provider = anOrganisation({ id: 'org-p', name: 'Energía Solidaria', country: 'BO', languages: ['es'] });
const ana = aPerson({ id: 'ana', email: 'ana@report.example', name: 'Ana', organisationId: 'org-b' });
const omar = aPerson({
  id: 'omar',
  email: 'omar@report.example',
  name: 'Omar',
  organisationId: 'org-p',
  language: 'fr',
});

const agreedAt = new Date(Date.now() - 92 * 86_400_000);
const partnership: PartnershipSnapshot = {
  id: 'prop-7',
  revision: 2,
  updatedAt: new Date().toISOString(),
  needId: 'need-7',
  offerIds: ['offer-7'],
  parties: [
    { organisationId: 'org-b', role: 'beneficiary', country: 'MZ' },
    { organisationId: 'org-p', role: 'provider', country: 'BO' },
  ],
  triad: false,
  modality: 'south-south',
  needType: 'technology',
  sectors: ['23231'],
  sdgs: [7],
  agreedAt: agreedAt.toISOString(),
  startDate: agreedAt.toISOString().slice(0, 10),
  status: 'ongoing',
  reportPeriods: [3, 6, 12],
  filed: [{ organisationId: 'org-b', period: 3 }],
};

beforeAll(async () => {
  h = await startNotifications();
  await h.organisation(beneficiary);
  await h.organisation(provider);
  await h.person(ana);
  await h.person(omar);
  await h.known(['ana', 'omar'], ['org-b', 'org-p']);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('a report due on a partnership', () => {
  it('mails the members of the party that has not filed, in their language, and lists it in the app', async () => {
    await h.send(Topics.partnership, 'org.mutirao.followup.partnership.report-due', partnership.id, {
      partnership,
      period: 3,
      dueAt: new Date().toISOString(),
      organisationIds: ['org-p'],
    });
    const [mail] = await eventually(async () => {
      const m = await h.mailpit.to(omar.email);
      return m.length > 0 && m;
    });
    expect(mail?.Subject).toBe('Votre rapport à 3 mois sur un partenariat est attendu');
    const full = await h.mailpit.client.message(mail?.ID ?? '');
    expect(full.Text).toContain('Cooperativa de Nampula');
    expect(full.Text).toContain(`${WEB_URL}/#/partnerships?id=prop-7`);

    const item = async (sub: string, org: string) => {
      const token = await h.token({ sub, org, roles: ['member'] });
      const r = await request(h.service.app).get('/notifications').set('authorization', `Bearer ${token}`);
      return r.body.items.filter((i: { kind: string }) => i.kind === 'report-due');
    };
    expect(await item('omar', 'org-p')).toEqual([
      expect.objectContaining({
        title: 'Votre rapport à 3 mois sur un partenariat est attendu',
        read: false,
      }),
    ]);
    // The beneficiary filed its report: the same event told its members nothing.
    expect(await item('ana', 'org-b')).toEqual([]);
  });
});
