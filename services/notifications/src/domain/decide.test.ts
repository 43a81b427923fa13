import { ProposalEventSchemas } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { aDirectory, anOrganisation, aPerson, aProposal, T0 } from '../../test/fixtures';
import { membersTold } from '../usecases/ingest';
import { decide, fire, type Incoming, PROPOSAL_EVENTS_READ } from './decide';
import { languageOf } from './language';

const orgNeed = anOrganisation({
  id: 'org-need',
  name: 'Cooperativa de Nampula',
  country: 'MZ',
  languages: ['pt', 'en'],
});
const orgOffer = anOrganisation({
  id: 'org-offer',
  name: 'Solar Sans Frontières',
  country: 'SN',
  languages: ['sw', 'fr'],
});
const ana = aPerson({ id: 'ana', organisationId: 'org-need', email: 'ana@coop.example' });
const omar = aPerson({
  id: 'omar',
  organisationId: 'org-offer',
  email: 'omar@solar.example',
  language: 'es',
});
const gone = aPerson({ id: 'gone', organisationId: 'org-offer', email: 'gone@solar.example', active: false });
const coord = aPerson({
  id: 'coord',
  organisationId: undefined,
  roles: ['coordinator'],
  regions: ['Sub-Saharan Africa'],
  email: 'coord@ilo.example',
  language: 'fr',
});
const asiaCoord = aPerson({
  id: 'asia',
  organisationId: undefined,
  roles: ['coordinator'],
  regions: ['Asia'],
  email: 'a@ilo.example',
});
const dir = aDirectory([ana, omar, gone, coord, asiaCoord], [orgNeed, orgOffer]);

const proposalEvent = (type: string, over = {}): Incoming => ({
  topic: 'proposal',
  id: `ev-${type}`,
  type: `org.mutirao.matching.proposal.${type}`,
  time: T0.toISOString(),
  proposal: aProposal(over),
});

describe('who is told of a proposal', () => {
  it('approved: each party’s active members, in their language, with the others named, and reminders at 3 and 7 days', () => {
    const plan = decide(dir, proposalEvent('approved'), T0);
    expect(plan.notices.map((n) => [n.key, n.email, n.language, n.kind])).toEqual([
      ['ev-approved:ana', 'ana@coop.example', 'pt', 'proposal-approved'],
      ['ev-approved:omar', 'omar@solar.example', 'es', 'proposal-approved'],
    ]);
    expect(plan.notices[0]?.facts.parties).toEqual(['Solar Sans Frontières']);
    expect(plan.notices[1]?.facts.parties).toEqual(['Cooperativa de Nampula']);
    expect(plan.notices[0]?.link).toBe('/#/proposals?id=proposal-1');
    expect(plan.notices[0]?.route).toEqual({ mail: true, inApp: true, digest: false });
    expect(plan.schedule.map((s) => [s.key, s.dueAt.toISOString()])).toEqual([
      ['proposal-reminder:proposal-1:org-need:3', '2026-03-05T10:00:00.000Z'],
      ['proposal-reminder:proposal-1:org-need:7', '2026-03-09T10:00:00.000Z'],
      ['proposal-reminder:proposal-1:org-offer:3', '2026-03-05T10:00:00.000Z'],
      ['proposal-reminder:proposal-1:org-offer:7', '2026-03-09T10:00:00.000Z'],
    ]);
    expect(plan.cancel).toEqual([{ subject: 'need-1', kinds: ['need-unanswered'] }]);
  });

  it('accepted by one party: that party’s reminders stop, the other’s go on', () => {
    const plan = decide(
      dir,
      proposalEvent('accepted', { status: 'accepted', consents: { 'org-offer': 'accepted' } }),
      T0,
    );
    expect(plan.notices).toEqual([]);
    expect(plan.cancel).toEqual([
      { subject: 'proposal-1', kinds: ['proposal-reminder'], scope: 'org-offer' },
    ]);
  });

  it('agreed, declined: every party told, reminders stop', () => {
    for (const t of ['agreed', 'declined']) {
      const plan = decide(dir, proposalEvent(t, { status: t }), T0);
      expect(plan.notices.map((n) => [n.personId, n.kind])).toEqual([
        ['ana', `proposal-${t}`],
        ['omar', `proposal-${t}`],
      ]);
      expect(plan.cancel).toEqual([{ subject: 'proposal-1', kinds: ['proposal-reminder'] }]);
    }
  });

  it('expired: told only when the parties had seen it (approved)', () => {
    expect(decide(dir, proposalEvent('expired', { status: 'expired' }), T0).notices).toHaveLength(2);
    expect(
      decide(dir, proposalEvent('expired', { status: 'expired', review: undefined }), T0).notices,
    ).toEqual([]);
  });

  it('info requested: the need’s organisation, with the question', () => {
    const plan = decide(
      dir,
      proposalEvent('info-requested', {
        status: 'info-requested',
        review: { decision: 'info-requested', by: 'c', at: T0.toISOString(), note: 'What is the budget?' },
      }),
      T0,
    );
    expect(plan.notices.map((n) => [n.personId, n.facts.note])).toEqual([['ana', 'What is the budget?']]);
  });

  it('info requested of another party: that party only, with the question', () => {
    const plan = decide(
      dir,
      proposalEvent('info-requested', {
        status: 'info-requested',
        questions: [{ question: 'When can you start?', to: 'org-offer', by: 'c', at: T0.toISOString() }],
      }),
      T0,
    );
    expect(plan.notices.map((n) => [n.personId, n.facts.note])).toEqual([['omar', 'When can you start?']]);
  });

  it('info provided: the coordinators of the need’s region, the answer with the question', () => {
    const plan = decide(
      dir,
      proposalEvent('info-provided', {
        status: 'info-provided',
        questions: [
          {
            question: 'What is the budget?',
            to: 'org-need',
            by: 'c',
            at: T0.toISOString(),
            answer: { text: 'About 12 000 USD.', by: 'ana', at: T0.toISOString() },
          },
        ],
      }),
      T0,
    );
    expect(plan.notices.map((n) => [n.personId, n.kind, n.link])).toEqual([
      ['coord', 'proposal-info-provided', '/#/review'],
    ]);
    expect(plan.notices[0]?.facts).toMatchObject({
      parties: ['Cooperativa de Nampula'],
      note: 'What is the budget?',
      answer: 'About 12 000 USD.',
    });
  });

  it('a preference decides the channel; off tells nothing', () => {
    const prefs = aDirectory([ana, omar], [orgNeed, orgOffer], {
      ana: { 'proposal-approved': 'digest' },
      omar: { 'proposal-approved': 'off' },
    });
    const plan = decide(prefs, proposalEvent('approved'), T0);
    expect(plan.notices.map((n) => [n.personId, n.route])).toEqual([
      ['ana', { mail: false, inApp: true, digest: true }],
    ]);
  });
});

describe('organisations', () => {
  const orgEvent = (
    type: string,
    verification: 'verified' | 'declined' | 'revoked' | 'pending',
  ): Incoming => ({
    topic: 'organisation',
    id: `org-${type}-${verification}`,
    type: `org.mutirao.profiles.organisation.${type}`,
    time: T0.toISOString(),
    organisation: { ...orgNeed, verification },
  });

  it('verified, declined (an update to declined) and revoked reach the members; other updates nobody', () => {
    expect(decide(dir, orgEvent('verified', 'verified'), T0).notices.map((n) => n.kind)).toEqual([
      'organisation-verified',
    ]);
    expect(decide(dir, orgEvent('updated', 'declined'), T0).notices.map((n) => n.kind)).toEqual([
      'organisation-declined',
    ]);
    expect(decide(dir, orgEvent('verification-revoked', 'revoked'), T0).notices.map((n) => n.kind)).toEqual([
      'organisation-revoked',
    ]);
    expect(decide(dir, orgEvent('updated', 'verified'), T0).notices).toEqual([]);
    expect(decide(dir, orgEvent('registered', 'pending'), T0).notices).toEqual([]);
  });
});

describe('postings', () => {
  const need = (type: string, over: Record<string, unknown> = {}): Incoming => ({
    topic: 'need',
    id: `need-${type}`,
    type: `org.mutirao.exchange.need.${type}`,
    time: T0.toISOString(),
    need: {
      id: 'need-1',
      revision: 1,
      updatedAt: T0.toISOString(),
      organisationId: 'org-need',
      type: 'financing',
      title: 'Solar mini-grid',
      description: '',
      language: 'pt',
      workingLanguages: ['pt'],
      sectors: [],
      sdgs: [],
      fundingRequired: true,
      countriesOfInterest: [],
      expiresAt: '2026-05-01T00:00:00.000Z',
      status: 'open',
      ...over,
    },
  });

  it('published: an expiry notice 7 days before, once per expiry, and the 30-day unanswered check', () => {
    const plan = decide(dir, need('published'), T0);
    expect(plan.schedule.map((s) => [s.key, s.dueAt.toISOString()])).toEqual([
      ['posting-expiring:need-1:2026-05-01T00:00:00.000Z', '2026-04-24T00:00:00.000Z'],
      [`need-unanswered:need-1:${T0.toISOString()}`, '2026-04-01T10:00:00.000Z'],
    ]);
    // A first revision has nothing scheduled before it; a later one replaces what was.
    expect(plan.cancel).toEqual([]);
    expect(decide(dir, need('published', { revision: 3 }), T0).cancel).toContainEqual({
      subject: 'need-1',
      kinds: ['posting-expiring'],
      exceptKey: 'posting-expiring:need-1:2026-05-01T00:00:00.000Z',
    });
  });

  it('renewed to a later expiry: the old notice goes, a new one comes; less than 7 days left: none', () => {
    const renewed = decide(dir, need('updated', { expiresAt: '2026-08-01T00:00:00.000Z' }), T0);
    expect(renewed.schedule.map((s) => s.key)).toEqual(['posting-expiring:need-1:2026-08-01T00:00:00.000Z']);
    expect(decide(dir, need('updated', { expiresAt: '2026-03-05T00:00:00.000Z' }), T0).schedule).toEqual([]);
  });

  it('expired: the owner’s members told; closed or withdrawn: reminders cancelled', () => {
    const plan = decide(dir, need('expired', { status: 'expired', revision: 2 }), T0);
    expect(plan.notices.map((n) => [n.personId, n.kind, n.facts.title])).toEqual([
      ['ana', 'posting-expired', 'Solar mini-grid'],
    ]);
    expect(plan.cancel).toEqual([{ subject: 'need-1', kinds: ['posting-expiring', 'need-unanswered'] }]);
    expect(decide(dir, need('withdrawn', { status: 'withdrawn', revision: 2 }), T0).cancel).toEqual([
      { subject: 'need-1', kinds: ['posting-expiring', 'need-unanswered'] },
    ]);
  });

  it('unanswered for 30 days: the coordinators whose regions hold the country, in their language', () => {
    const s = decide(dir, need('published'), T0).schedule[1];
    if (!s) throw new Error('no schedule');
    const notices = fire(dir, s, s.dueAt);
    expect(notices.map((n) => [n.key, n.personId, n.language, n.facts.country, n.facts.days])).toEqual([
      [`${s.key}:coord`, 'coord', 'fr', 'MZ', 30],
    ]);
  });
});

describe('access mails', () => {
  it('an invitation goes to the address, with no account, in the event’s language; its text is secret', () => {
    const plan = decide(
      dir,
      {
        topic: 'access',
        id: 'acc-1',
        type: 'org.mutirao.profiles.access.invitation-created',
        time: T0.toISOString(),
        invitation: {
          id: 'inv-1',
          email: 'new@coop.example',
          organisationId: 'org-need',
          organisationName: 'Cooperativa de Nampula',
          invitedBy: 'ana',
          language: 'pt',
          token: 'a-one-time-token-of-32-chars-xxxx',
          expiresAt: '2026-03-09T10:00:00.000Z',
        },
      },
      T0,
    );
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toMatchObject({
      key: 'invitation:inv-1',
      email: 'new@coop.example',
      language: 'pt',
      secret: true,
      route: { mail: true, inApp: false, digest: false },
      link: '/#/invitation?token=a-one-time-token-of-32-chars-xxxx',
    });
    expect(plan.notices[0]?.personId).toBeUndefined();
  });

  it('a coordinator’s invitation, from the admin to no organisation, is mailed as one to coordinate', () => {
    const plan = decide(
      dir,
      {
        topic: 'access',
        id: 'acc-2',
        type: 'org.mutirao.profiles.access.invitation-created',
        time: T0.toISOString(),
        invitation: {
          id: 'inv-2',
          email: 'awa@network.example',
          role: 'coordinator',
          regions: ['Western Africa'],
          invitedBy: 'Admin',
          language: 'fr',
          token: 'a-one-time-token-of-32-chars-yyyy',
          expiresAt: '2026-03-09T10:00:00.000Z',
        },
      },
      T0,
    );
    expect(plan.notices).toHaveLength(1);
    expect(plan.notices[0]).toMatchObject({
      key: 'invitation:inv-2',
      kind: 'coordinator-invitation',
      email: 'awa@network.example',
      language: 'fr',
      secret: true,
      route: { mail: true, inApp: false, digest: false },
      link: '/#/invitation?token=a-one-time-token-of-32-chars-yyyy',
    });
    expect(plan.notices[0]?.facts).not.toHaveProperty('organisation');
  });

  it('a revoked invitation is mailed to nobody', () => {
    const plan = decide(
      dir,
      {
        topic: 'access',
        id: 'acc-3',
        type: 'org.mutirao.profiles.access.invitation-revoked',
        time: T0.toISOString(),
      },
      T0,
    );
    expect(plan.notices).toHaveLength(0);
  });
});

describe('reminders of a proposal', () => {
  it('name the days waited and reach the party’s members', () => {
    const plan = decide(dir, proposalEvent('approved'), T0);
    const third = plan.schedule.find((s) => s.key.endsWith('org-offer:3'));
    if (!third) throw new Error('no reminder');
    const notices = fire(dir, third, third.dueAt);
    expect(notices.map((n) => [n.key, n.personId, n.kind, n.facts.days])).toEqual([
      ['proposal-reminder:proposal-1:org-offer:3:omar', 'omar', 'proposal-reminder', 3],
    ]);
  });
});

describe('the language of a mail', () => {
  it('is the person’s, else the organisation’s first working language with templates, else English', () => {
    expect(languageOf({ language: 'fr' }, { languages: ['pt'] })).toBe('fr');
    expect(languageOf({}, { languages: ['pt', 'en'] })).toBe('pt');
    expect(languageOf({}, { languages: ['sw', 'fr'] })).toBe('fr');
    expect(languageOf({ language: 'sw' }, { languages: ['ar'] })).toBe('en');
    expect(languageOf({})).toBe('en');
  });
});

describe('reports due on a partnership', () => {
  const partnership = {
    id: 'proposal-1',
    revision: 3,
    updatedAt: T0.toISOString(),
    needId: 'need-1',
    offerIds: ['offer-1'],
    parties: [
      { organisationId: 'org-need', role: 'beneficiary' as const },
      { organisationId: 'org-offer', role: 'provider' as const },
    ],
    triad: false,
    modality: 'south-south' as const,
    needType: 'technology' as const,
    sectors: [],
    sdgs: [7],
    agreedAt: T0.toISOString(),
    startDate: T0.toISOString().slice(0, 10),
    status: 'ongoing' as const,
    reportPeriods: [3, 6, 12],
    filed: [{ organisationId: 'org-need', period: 3 }],
  };
  const due = (type: string): Incoming => ({
    topic: 'partnership',
    id: `ev-${type}`,
    type: `org.mutirao.followup.partnership.${type}`,
    time: T0.toISOString(),
    due: { partnership, period: 3, dueAt: T0.toISOString(), organisationIds: ['org-offer'] },
  });

  it('reminds the members of the parties that have not filed, naming the others and the months', () => {
    const plan = decide(dir, due('report-due'), T0);
    expect(plan.notices.map((n) => [n.key, n.email, n.kind])).toEqual([
      ['ev-report-due:omar', 'omar@solar.example', 'report-due'],
    ]);
    expect(plan.notices[0]?.facts).toMatchObject({ parties: ['Cooperativa de Nampula'], months: 3 });
    expect(plan.notices[0]?.link).toBe('/#/partnerships?id=proposal-1');
  });

  it('tells nobody of the other partnership events', () => {
    const recorded: Incoming = {
      topic: 'partnership',
      id: 'ev-recorded',
      type: 'org.mutirao.followup.partnership.recorded',
      time: T0.toISOString(),
    };
    expect(decide(dir, recorded, T0).notices).toEqual([]);
    // A report-due whose data did not come is no reminder either.
    expect(
      decide(dir, { ...recorded, type: 'org.mutirao.followup.partnership.report-due' }, T0).notices,
    ).toEqual([]);
  });
});

describe('the proposal events the consumer skips unread', () => {
  const skipped = Object.keys(ProposalEventSchemas)
    .map((type) => type.replace('org.mutirao.matching.proposal.', ''))
    .filter((short) => !(PROPOSAL_EVENTS_READ as readonly string[]).includes(short));

  it('are the new proposals, which nobody is told of until a coordinator approves one', () => {
    expect(skipped).toEqual(['proposed']);
  });

  // If a decision comes to act on one of them, this fails until PROPOSAL_EVENTS_READ names it
  // (otherwise the consumer would go on dropping it unread).
  it.each(skipped)('%s: decides nothing and tells no member, whatever the proposal', (short) => {
    const states = [
      {},
      { status: 'proposed' as const, review: undefined },
      {
        status: 'rejected' as const,
        review: { decision: 'rejected' as const, by: 'coord-1', at: T0.toISOString() },
      },
      { questions: [{ question: 'Which season?', to: 'org-need', at: T0.toISOString() }] },
    ];
    for (const over of states) {
      const e = proposalEvent(short, over);
      expect(decide(dir, e, T0)).toEqual({ notices: [], schedule: [], cancel: [] });
      expect(membersTold(e)).toEqual([]);
    }
  });
});
