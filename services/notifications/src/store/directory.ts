import type { OrganisationSnapshot, PersonSnapshot } from '@mutirao/contracts';
import { isDuplicateKey } from '@mutirao/outbox';
import { countryInRegion } from '@mutirao/reference-data';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { DirectoryView, Organisation, Person } from '../domain/decide';
import type { Channel, PreferenceKind, Preferences } from '../domain/kinds';
import { collection } from './db';

type PersonDoc = Person & { _id: string; revision: number };
type OrganisationDoc = Organisation & { _id: string; revision: number };
interface PreferencesDoc {
  _id: string;
  kinds: Preferences;
}

/**
 * The people and organisations the service writes to, and each person's choices: kept from the
 * person and organisation topics (newest revision wins) in the service's own database, and held in
 * memory, where the decisions read them. This process is the only writer of its store (FerretDB:
 * see claimSoleWriter), so memory and store agree.
 */
export class Directory implements DirectoryView {
  private readonly people = new Map<string, PersonDoc>();
  private readonly byOrganisation = new Map<string, Set<string>>();
  private readonly orgs = new Map<string, OrganisationDoc>();
  private readonly prefs = new Map<string, Preferences>();
  private readonly peopleC: Collection<PersonDoc>;
  private readonly orgsC: Collection<OrganisationDoc>;
  private readonly prefsC: Collection<PreferencesDoc>;

  constructor(conn: Connection) {
    this.peopleC = collection<PersonDoc>(conn, 'people');
    this.orgsC = collection<OrganisationDoc>(conn, 'organisations');
    this.prefsC = collection<PreferencesDoc>(conn, 'preferences');
  }

  async load(): Promise<{ people: number; organisations: number }> {
    for (const p of await this.peopleC.find().toArray()) this.hold(p);
    for (const o of await this.orgsC.find().toArray()) this.orgs.set(o._id, o);
    for (const p of await this.prefsC.find().toArray()) this.prefs.set(p._id, p.kinds);
    return { people: this.people.size, organisations: this.orgs.size };
  }

  private hold(p: PersonDoc): void {
    const before = this.people.get(p._id);
    if (before?.organisationId) this.byOrganisation.get(before.organisationId)?.delete(p._id);
    this.people.set(p._id, p);
    if (p.organisationId) {
      const set = this.byOrganisation.get(p.organisationId) ?? new Set<string>();
      this.byOrganisation.set(p.organisationId, set);
      set.add(p._id);
    }
  }

  /** Stores a revision newer than the one held; an older or equal one changes nothing. */
  private async upsert<T extends { _id: string; revision: number }>(c: Collection<T>, doc: T): Promise<void> {
    try {
      await c.replaceOne({ _id: doc._id, revision: { $lt: doc.revision } } as never, doc, { upsert: true });
    } catch (err) {
      // A newer revision is stored: the filter missed it and the upsert met its _id.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  async applyPerson(s: PersonSnapshot): Promise<void> {
    if ((this.people.get(s.id)?.revision ?? 0) >= s.revision) return;
    const doc: PersonDoc = {
      _id: s.id,
      id: s.id,
      revision: s.revision,
      email: s.email,
      name: s.name,
      ...(s.language ? { language: s.language } : {}),
      ...(s.organisationId ? { organisationId: s.organisationId } : {}),
      roles: s.roles,
      regions: s.regions,
      active: s.active,
    };
    await this.upsert(this.peopleC, doc);
    this.hold(doc);
  }

  async applyOrganisation(s: OrganisationSnapshot): Promise<void> {
    if ((this.orgs.get(s.id)?.revision ?? 0) >= s.revision) return;
    const doc: OrganisationDoc = {
      _id: s.id,
      id: s.id,
      revision: s.revision,
      name: s.name,
      country: s.country,
      languages: s.languages,
      verification: s.verification,
    };
    await this.upsert(this.orgsC, doc);
    this.orgs.set(s.id, doc);
  }

  person(id: string): Person | undefined {
    return this.people.get(id);
  }

  organisation(id: string): Organisation | undefined {
    return this.orgs.get(id);
  }

  membersOf(organisationId: string): Person[] {
    return [...(this.byOrganisation.get(organisationId) ?? [])]
      .map((id) => this.people.get(id))
      .filter((p): p is PersonDoc => p?.active === true && p.roles.includes('member'));
  }

  coordinatorsOf(country: string): Person[] {
    return [...this.people.values()].filter(
      (p) =>
        p.active && p.roles.includes('coordinator') && p.regions.some((r) => countryInRegion(country, r)),
    );
  }

  preferences(personId: string): Preferences | undefined {
    return this.prefs.get(personId);
  }

  async setPreferences(
    personId: string,
    changes: Partial<Record<PreferenceKind, Channel>>,
  ): Promise<Preferences> {
    const next = { ...this.prefs.get(personId), ...changes };
    await this.prefsC.updateOne({ _id: personId }, { $set: { kinds: next } }, { upsert: true });
    this.prefs.set(personId, next);
    return next;
  }
}
