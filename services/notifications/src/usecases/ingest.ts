import type { PersonSnapshot } from '@mutirao/contracts';
import type { Logger } from '@mutirao/telemetry';
import { decide, fire, type Incoming, organisationKind, type Scheduled } from '../domain/decide';
import { routeOf } from '../domain/kinds';
import { languageOf } from '../domain/language';
import { links } from '../domain/links';
import type { Directory } from '../store/directory';
import type { RecentEvents } from '../store/recent';
import type { ScheduleDoc } from '../store/schedules';
import { type NotifyDeps, storeNotices } from './notify';

export interface IngestDeps extends NotifyDeps {
  directory: Directory;
  /** Events for organisations' members, kept a while for the people whose own event comes late. */
  recent: RecentEvents;
  logger: Logger;
  /** Called when a schedule is stored (wakes the sweeper when it is due sooner than it would look). */
  scheduled?: (dueAt: Date) => void;
}

/**
 * Handles events in order: decides from the directory as it stood before each, stores the notices
 * and schedules it gives, then applies the event to the directory. Everything is keyed or applied
 * by revision, so a batch handled again (the consumer commits its offsets only after this returns)
 * stores nothing twice.
 */
export async function ingest(deps: IngestDeps, events: Incoming[]): Promise<void> {
  // The batch's new schedules are written together (one insert for an import's thousands of
  // postings), before any cancellation that could concern them.
  const scheduled: Scheduled[] = [];
  const writeScheduled = async () => {
    if (scheduled.length === 0) return;
    await deps.schedules.add(scheduled.map(toDoc));
    for (const s of scheduled) deps.scheduled?.(s.dueAt);
    scheduled.length = 0;
  };
  for (const e of events) {
    const now = deps.now();
    const plan = decide(deps.directory, e, now);
    await storeNotices(deps, plan.notices);
    if (plan.cancel.length > 0) await writeScheduled();
    for (const c of plan.cancel) await deps.schedules.cancel(c);
    scheduled.push(...plan.schedule);
    const orgs = membersTold(e);
    if (orgs.length > 0 && now.getTime() - Date.parse(e.time) < RECENT_MS) await deps.recent.add(e, orgs);
    if (e.topic === 'person') {
      const before = deps.directory.person(e.person.id);
      await deps.directory.applyPerson(e.person);
      await toldLate(deps, before, e.person, now);
    }
    if (e.topic === 'organisation') await deps.directory.applyOrganisation(e.organisation);
  }
  await writeScheduled();
}

/** How long events for members are kept for a person whose own event comes late. */
export const RECENT_MS = 7 * 24 * 3_600_000;

/**
 * The organisations whose members an event tells something (`decide`), whoever they are: the
 * parties of a reviewed or answered proposal, the organisation verified, declined or revoked, the
 * owner of an expired posting. A new proposal tells nobody until a coordinator approves it.
 */
export function membersTold(e: Incoming): string[] {
  switch (e.topic) {
    case 'proposal':
      return e.type.endsWith('.proposed')
        ? []
        : [e.proposal.needOrganisationId, ...e.proposal.offerOrganisationIds];
    case 'organisation':
      return organisationKind(e) ? [e.organisation.id] : [];
    case 'need':
      return e.type.endsWith('.expired') ? [e.need.organisationId] : [];
    case 'offer':
      return e.type.endsWith('.expired') ? [e.offer.organisationId] : [];
    case 'partnership':
      return e.due?.organisationIds ?? [];
    default:
      return [];
  }
}

/**
 * A person who has just joined an organisation (registered, or moved to it) is told what the
 * events of that organisation since they joined told its members: the topics are read side by
 * side, so those may have been handled before the person's own event. Keyed as the first time
 * (event and person), so someone already told is not told twice.
 */
async function toldLate(
  deps: IngestDeps,
  before: { organisationId?: string; active: boolean } | undefined,
  person: PersonSnapshot,
  now: Date,
): Promise<void> {
  const org = person.organisationId;
  if (!org || !person.active) return;
  if (before?.active && before.organisationId === org) return;
  const since = new Date(person.updatedAt);
  const missed = await deps.recent.since(org, since);
  for (const e of missed) {
    const notices = decide(deps.directory, e, now).notices.filter((n) => n.personId === person.id);
    await storeNotices(deps, notices);
  }
  if (missed.length > 0) deps.logger.debug({ person: person.id, events: missed.length }, 'told late');
  await deps.recent.pruneBefore(new Date(now.getTime() - RECENT_MS));
}

const toDoc = (s: Scheduled): Omit<ScheduleDoc, 'status'> => ({
  _id: s.key,
  kind: s.kind,
  dueAt: s.dueAt,
  subject: s.subject,
  ...(s.scope !== undefined ? { scope: s.scope } : {}),
  data: s.data,
});

/** The notices of one schedule that came due: a reminder, or a person's digest. */
export async function fireSchedule(deps: IngestDeps, s: ScheduleDoc): Promise<void> {
  const now = deps.now();
  if (s.kind === 'digest') {
    await fireDigest(deps, s, now);
    return;
  }
  const notices = fire(deps.directory, { ...s, key: s._id, kind: s.kind }, now);
  await storeNotices(deps, notices);
}

/**
 * One mail with the person's items kept for the digest. Steps that survive a crash between any two:
 * the items are tagged with this digest's key (unless its mail is stored already), the mail is
 * rendered from the tagged items and stored under the digest's key, then the items are let go.
 */
async function fireDigest(deps: IngestDeps, s: ScheduleDoc, now: Date): Promise<void> {
  const personId = s.subject;
  const key = s._id;
  const inbox = deps.inbox.c;
  if (!(await deps.deliveries.c.findOne({ _id: key }, { projection: { _id: 1 } }))) {
    await inbox.updateMany(
      { personId, digestPending: true, digestKey: { $exists: false } },
      { $set: { digestKey: key } },
    );
    const items = await inbox.find({ personId, digestKey: key }).sort({ createdAt: 1 }).toArray();
    const person = deps.directory.person(personId);
    if (items.length > 0 && person?.active) {
      const org = person.organisationId ? deps.directory.organisation(person.organisationId) : undefined;
      await storeNotices(deps, [
        {
          key,
          kind: 'digest',
          personId,
          email: person.email,
          name: person.name,
          language: languageOf(person, org),
          route: routeOf('digest', undefined),
          facts: { items: items.map((i) => ({ title: i.title, link: i.link })) },
          link: links.notifications(),
          at: now,
        },
      ]);
    }
  }
  await inbox.updateMany({ personId, digestKey: key }, { $set: { digestPending: false } });
  deps.logger.debug({ personId, key }, 'digest stored');
}
