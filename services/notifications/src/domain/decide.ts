import type {
  InvitationCreated,
  NeedSnapshot,
  OfferSnapshot,
  OrganisationSnapshot,
  PasswordResetRequested,
  PersonSnapshot,
  ProposalSnapshot,
  ReportDueData,
} from '@mutirao/contracts';
import type { Lang } from '@mutirao/reference-data';
import type { z } from 'zod';
import { isLang, type Kind, type Preferences, type Route, routeOf } from './kinds';
import { languageOf } from './language';
import { links } from './links';
import { expiryNotice, proposalReminders, UNANSWERED_DAYS, unansweredAt } from './schedule';

export type Person = Pick<
  PersonSnapshot,
  'id' | 'email' | 'name' | 'language' | 'organisationId' | 'roles' | 'regions' | 'active'
>;
export type Organisation = Pick<
  OrganisationSnapshot,
  'id' | 'name' | 'country' | 'languages' | 'verification'
>;

/** What the decisions read of the people and organisations the service follows. */
export interface DirectoryView {
  organisation(id: string): Organisation | undefined;
  /** Active members of an organisation. */
  membersOf(organisationId: string): Person[];
  /** Active coordinators one of whose regions holds the country. */
  coordinatorsOf(country: string): Person[];
  preferences(personId: string): Preferences | undefined;
}

/** The facts a template says, in no language yet (codes and names, not labels). */
export interface Facts {
  organisation?: string;
  /** The other parties' names (proposals). */
  parties?: string[];
  needType?: string;
  modality?: string;
  /** The coordinator's question (info-requested, info-provided). */
  note?: string;
  /** The party's answer to it (info-provided). */
  answer?: string;
  title?: string;
  postingKind?: 'need' | 'offer';
  country?: string;
  /** ISO instant: when a posting or a token expires. */
  expiresAt?: string;
  days?: number;
  /** Months after the agreement (a report due). */
  months?: number;
  /** Digest: the items it gathers. */
  items?: { title: string; link: string }[];
}

/** One thing to tell one person (or one address, for an invitation). */
export interface Notice {
  /** The idempotency key: one event (or one schedule occurrence) and one recipient. */
  key: string;
  kind: Kind;
  personId?: string;
  email: string;
  name?: string;
  language: Lang;
  route: Route;
  facts: Facts;
  /** The path in the web app (see links.ts). */
  link: string;
  /** When it happened. */
  at: Date;
  /** Does the text carry a secret (a one-time token)? Its body is then dropped once sent. */
  secret?: boolean;
}

export type ScheduleKind = 'proposal-reminder' | 'posting-expiring' | 'need-unanswered';

/** A notice due later, stored until then. */
export interface Scheduled {
  key: string;
  kind: ScheduleKind;
  dueAt: Date;
  /** The proposal, posting or need it is about: cancellations name it. */
  subject: string;
  /** The party (organisation) a proposal reminder is for. */
  scope?: string;
  data: Record<string, unknown>;
}

/** Schedules no longer due: those of `subject`, of these kinds, of this party, other than `except`. */
export interface Cancel {
  subject: string;
  kinds: ScheduleKind[];
  scope?: string;
  exceptKey?: string;
}

export interface Plan {
  notices: Notice[];
  schedule: Scheduled[];
  cancel: Cancel[];
}

const empty = (): Plan => ({ notices: [], schedule: [], cancel: [] });

/** The events the service acts on, as the consumer hands them over. */
export type Incoming =
  | { topic: 'organisation'; id: string; type: string; time: string; organisation: OrganisationSnapshot }
  | { topic: 'person'; id: string; type: string; time: string; person: PersonSnapshot }
  | {
      topic: 'access';
      id: string;
      type: string;
      time: string;
      invitation?: z.infer<typeof InvitationCreated>;
      reset?: z.infer<typeof PasswordResetRequested>;
    }
  | { topic: 'need'; id: string; type: string; time: string; need: NeedSnapshot }
  | { topic: 'offer'; id: string; type: string; time: string; offer: OfferSnapshot }
  | { topic: 'proposal'; id: string; type: string; time: string; proposal: ProposalSnapshot }
  /** The follow-up's partnership events; only `report-due` tells anyone (its data has `period`). */
  | { topic: 'partnership'; id: string; type: string; time: string; due?: ReportDueData };

/** A notice of `kind` for each of these people, keyed by `base` and the person. */
function toPeople(
  dir: DirectoryView,
  people: Person[],
  base: string,
  kind: Kind,
  facts: Facts,
  link: string,
  at: Date,
): Notice[] {
  const seen = new Set<string>();
  const out: Notice[] = [];
  for (const p of people) {
    if (!p.active || seen.has(p.id)) continue;
    seen.add(p.id);
    const route = routeOf(kind, dir.preferences(p.id));
    if (!route.mail && !route.inApp && !route.digest) continue;
    const org = p.organisationId ? dir.organisation(p.organisationId) : undefined;
    out.push({
      key: `${base}:${p.id}`,
      kind,
      personId: p.id,
      email: p.email,
      name: p.name,
      language: languageOf(p, org),
      route,
      facts,
      link,
      at,
    });
  }
  return out;
}

const partiesOf = (p: ProposalSnapshot): string[] => [
  ...new Set([p.needOrganisationId, ...p.offerOrganisationIds]),
];

/** Is a party still to answer an approved proposal? */
const awaiting = (p: ProposalSnapshot, org: string): boolean =>
  (p.status === 'approved' || p.status === 'accepted') && p.consents[org] === undefined;

/** The names of the parties other than `org`, as the directory knows them. */
const othersOf = (dir: DirectoryView, p: ProposalSnapshot, org: string): string[] =>
  partiesOf(p)
    .filter((o) => o !== org)
    .map((o) => dir.organisation(o)?.name ?? o);

function proposalNotices(
  dir: DirectoryView,
  p: ProposalSnapshot,
  base: string,
  kind: Kind,
  at: Date,
  orgs: string[] = partiesOf(p),
): Notice[] {
  return orgs.flatMap((org) =>
    toPeople(
      dir,
      dir.membersOf(org),
      base,
      kind,
      {
        parties: othersOf(dir, p, org),
        needType: p.needType,
        modality: p.modality,
        ...(kind === 'proposal-info-requested' && questionOf(p) ? { note: questionOf(p) } : {}),
      },
      links.proposal(p.id),
      at,
    ),
  );
}

const REMINDER_KINDS: ScheduleKind[] = ['proposal-reminder'];

/** The question a coordinator asked last (older events carry it as the review's note only). */
const questionOf = (p: ProposalSnapshot): string | undefined =>
  p.questions?.at(-1)?.question ?? p.review?.note;

/**
 * The proposal events notifications reads: those the cases below act on, and `rejected`, which
 * `membersTold` keeps among an organisation's recent events. The consumer skips the others unread:
 * a `proposed` event tells nobody until a coordinator approves, and the proposal topic carries
 * several of those for every posted need (each with its explanation), which notifications parsed
 * and dropped for 15 % of its CPU under load.
 */
export const PROPOSAL_EVENTS_READ = [
  'approved',
  'rejected',
  'accepted',
  'info-requested',
  'info-provided',
  'agreed',
  'declined',
  'expired',
] as const;

function onProposal(dir: DirectoryView, e: Extract<Incoming, { topic: 'proposal' }>): Plan {
  const plan = empty();
  const p = e.proposal;
  const at = new Date(e.time);
  const short = e.type.replace('org.mutirao.matching.proposal.', '');
  switch (short) {
    case 'approved': {
      plan.notices.push(...proposalNotices(dir, p, e.id, 'proposal-approved', at));
      const approvedAt = new Date(p.review?.at ?? e.time);
      for (const org of partiesOf(p))
        for (const r of proposalReminders(approvedAt))
          plan.schedule.push({
            key: `proposal-reminder:${p.id}:${org}:${r.day}`,
            kind: 'proposal-reminder',
            dueAt: r.dueAt,
            subject: p.id,
            scope: org,
            data: { proposal: p, organisationId: org, day: r.day },
          });
      // The need has had an answer.
      plan.cancel.push({ subject: p.needId, kinds: ['need-unanswered'] });
      break;
    }
    case 'accepted':
      for (const org of partiesOf(p))
        if (!awaiting(p, org)) plan.cancel.push({ subject: p.id, kinds: REMINDER_KINDS, scope: org });
      break;
    case 'info-requested':
      // The party asked: the need's organisation unless the coordinator chose another.
      plan.notices.push(
        ...proposalNotices(dir, p, e.id, 'proposal-info-requested', at, [
          p.questions?.at(-1)?.to ?? p.needOrganisationId,
        ]),
      );
      break;
    case 'info-provided': {
      // Back to the coordinators of the need's region, the answer beside the question.
      const q = p.questions?.at(-1);
      if (!q?.answer) break;
      plan.notices.push(
        ...toPeople(
          dir,
          dir.coordinatorsOf(p.needCountry),
          e.id,
          'proposal-info-provided',
          {
            parties: [dir.organisation(q.to)?.name ?? q.to],
            needType: p.needType,
            modality: p.modality,
            note: q.question,
            answer: q.answer.text,
          },
          links.review(),
          at,
        ),
      );
      break;
    }
    case 'agreed':
    case 'declined':
      plan.notices.push(...proposalNotices(dir, p, e.id, `proposal-${short}` as Kind, at));
      plan.cancel.push({ subject: p.id, kinds: REMINDER_KINDS });
      break;
    case 'expired':
      // Only the parties of an approved proposal ever saw it.
      if (p.review?.decision === 'approved')
        plan.notices.push(...proposalNotices(dir, p, e.id, 'proposal-expired', at));
      plan.cancel.push({ subject: p.id, kinds: REMINDER_KINDS });
      break;
    default:
      break;
  }
  return plan;
}

function onPosting(
  dir: DirectoryView,
  e: { id: string; type: string; time: string },
  kind: 'need' | 'offer',
  posting: NeedSnapshot | OfferSnapshot,
  now: Date,
): Plan {
  const plan = empty();
  const short = e.type.replace(`org.mutirao.exchange.${kind}.`, '');
  const facts: Facts = { title: posting.title, postingKind: kind, expiresAt: posting.expiresAt };
  if (short === 'expired')
    plan.notices.push(
      ...toPeople(
        dir,
        dir.membersOf(posting.organisationId),
        e.id,
        'posting-expired',
        facts,
        links.postings(),
        new Date(e.time),
      ),
    );
  // A first revision has nothing scheduled before it to cancel (an import brings thousands of them).
  const first = posting.revision === 1;
  if (posting.status !== 'open') {
    if (!first) plan.cancel.push({ subject: posting.id, kinds: ['posting-expiring', 'need-unanswered'] });
    return plan;
  }
  const due = expiryNotice(new Date(posting.expiresAt), now);
  const expiringKey = `posting-expiring:${posting.id}:${posting.expiresAt}`;
  if (!first) plan.cancel.push({ subject: posting.id, kinds: ['posting-expiring'], exceptKey: expiringKey });
  if (due)
    plan.schedule.push({
      key: expiringKey,
      kind: 'posting-expiring',
      dueAt: due,
      subject: posting.id,
      data: { organisationId: posting.organisationId, facts },
    });
  if (kind === 'need' && short === 'published') {
    // Each publication (a renewal publishes again) starts its own 30 days.
    const key = `need-unanswered:${posting.id}:${posting.updatedAt}`;
    const need = posting as NeedSnapshot;
    if (!first) plan.cancel.push({ subject: posting.id, kinds: ['need-unanswered'], exceptKey: key });
    plan.schedule.push({
      key,
      kind: 'need-unanswered',
      dueAt: unansweredAt(new Date(posting.updatedAt)),
      subject: posting.id,
      data: { organisationId: need.organisationId, title: need.title },
    });
  }
  return plan;
}

/** What an organisation event tells its members, if anything. */
export function organisationKind(e: Extract<Incoming, { topic: 'organisation' }>): Kind | undefined {
  const o = e.organisation;
  return e.type === 'org.mutirao.profiles.organisation.verified'
    ? 'organisation-verified'
    : e.type === 'org.mutirao.profiles.organisation.verification-revoked'
      ? 'organisation-revoked'
      : // A decline is an update to `declined` (profiles' verification.ts); a declined
        // organisation that edits anything goes back to pending, so no other update carries it.
        e.type === 'org.mutirao.profiles.organisation.updated' && o.verification === 'declined'
        ? 'organisation-declined'
        : undefined;
}

function onOrganisation(dir: DirectoryView, e: Extract<Incoming, { topic: 'organisation' }>): Plan {
  const plan = empty();
  const o = e.organisation;
  const kind = organisationKind(e);
  if (kind)
    plan.notices.push(
      ...toPeople(
        dir,
        dir.membersOf(o.id),
        e.id,
        kind,
        { organisation: o.name },
        links.organisation(),
        new Date(e.time),
      ),
    );
  return plan;
}

function onAccess(e: Extract<Incoming, { topic: 'access' }>): Plan {
  const plan = empty();
  const at = new Date(e.time);
  if (e.invitation) {
    const i = e.invitation;
    // A coordinator is invited by the admin to no organisation; a member to one.
    const kind = i.role === 'coordinator' ? 'coordinator-invitation' : 'invitation';
    plan.notices.push({
      // Keyed by the invitation: each is sent once, whatever is redelivered.
      key: `invitation:${i.id}`,
      kind,
      email: i.email,
      language: isLang(i.language) ? i.language : 'en',
      route: routeOf(kind, undefined),
      facts: { ...(i.organisationName ? { organisation: i.organisationName } : {}), expiresAt: i.expiresAt },
      link: links.invitation(i.token),
      at,
      secret: true,
    });
  }
  if (e.reset) {
    const r = e.reset;
    plan.notices.push({
      key: `password-reset:${r.id}`,
      kind: 'password-reset',
      personId: r.personId,
      email: r.email,
      language: isLang(r.language) ? r.language : 'en',
      route: routeOf('password-reset', undefined),
      facts: { expiresAt: r.expiresAt },
      link: links.passwordReset(r.token),
      at,
      secret: true,
    });
  }
  return plan;
}

/**
 * Who is told what about one event, and which reminders it starts or makes pointless. Pure: the
 * directory is read as it stands before the event is applied to it.
 */
export function decide(dir: DirectoryView, e: Incoming, now: Date): Plan {
  switch (e.topic) {
    case 'organisation':
      return onOrganisation(dir, e);
    case 'access':
      return onAccess(e);
    case 'proposal':
      return onProposal(dir, e);
    case 'need':
      return onPosting(dir, e, 'need', e.need, now);
    case 'offer':
      return onPosting(dir, e, 'offer', e.offer, now);
    case 'partnership':
      return onPartnership(dir, e);
    case 'person':
      return empty();
  }
}

/** A report fell due: the members of each party that has not filed theirs are reminded, once. */
function onPartnership(dir: DirectoryView, e: Extract<Incoming, { topic: 'partnership' }>): Plan {
  const plan = empty();
  const d = e.due;
  if (!d || !e.type.endsWith('.report-due')) return plan;
  const p = d.partnership;
  const all = p.parties.map((x) => x.organisationId);
  for (const org of d.organisationIds)
    plan.notices.push(
      ...toPeople(
        dir,
        dir.membersOf(org),
        e.id,
        'report-due',
        {
          parties: all.filter((o) => o !== org).map((o) => dir.organisation(o)?.name ?? o),
          needType: p.needType,
          modality: p.modality,
          months: d.period,
          expiresAt: d.dueAt,
        },
        // The partnerships page, opened at this one: the report form is there.
        links.partnership(p.id),
        new Date(e.time),
      ),
    );
  return plan;
}

/** The notices of a schedule that came due (it was cancelled otherwise). */
export function fire(dir: DirectoryView, s: Scheduled, now: Date): Notice[] {
  switch (s.kind) {
    case 'proposal-reminder': {
      const p = s.data.proposal as ProposalSnapshot;
      const org = s.data.organisationId as string;
      return toPeople(
        dir,
        dir.membersOf(org),
        s.key,
        'proposal-reminder',
        {
          parties: othersOf(dir, p, org),
          needType: p.needType,
          modality: p.modality,
          days: s.data.day as number,
        },
        links.proposal(p.id),
        now,
      );
    }
    case 'posting-expiring': {
      const facts = s.data.facts as Facts;
      const days = Math.max(
        1,
        Math.round((new Date(facts.expiresAt ?? now).getTime() - now.getTime()) / 86_400_000),
      );
      return toPeople(
        dir,
        dir.membersOf(s.data.organisationId as string),
        s.key,
        'posting-expiring',
        { ...facts, days },
        links.postings(),
        now,
      );
    }
    case 'need-unanswered': {
      // The need's country is its organisation's, as known when the 30 days are up.
      const country = dir.organisation(s.data.organisationId as string)?.country;
      if (!country) return [];
      return toPeople(
        dir,
        dir.coordinatorsOf(country),
        s.key,
        'need-unanswered',
        { title: s.data.title as string, country, days: UNANSWERED_DAYS },
        links.dashboard(),
        now,
      );
    }
  }
}
