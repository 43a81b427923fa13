import type { PersonEventType, PersonSnapshot } from '@mutirao/contracts';
import type { Role } from '@mutirao/http';
import { LANGS, type Lang } from '@mutirao/reference-data';

/**
 * A person who signs in: a member of one organisation, or staff (coordinator, admin) with none.
 * What the notifications service is told of a person (the `person` topic) is its snapshot, one
 * revision per change; revision 0 is an account never published yet (see `backfill`).
 */
export interface Person {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  /** One of the app's languages, when the person chose one. */
  language?: Lang;
  roles: Role[];
  org?: string;
  regions: string[];
  createdAt: Date;
  /** Of the last published snapshot; 0 until the first one is. */
  revision: number;
  updatedAt: Date;
  /** Set once the account is removed: it can no longer sign in, and nothing is sent to it. */
  removedAt?: Date;
}

export type PersonEvent = PersonEventType extends `org.mutirao.profiles.person.${infer E}` ? E : never;

/** A decided change of a person: the next state and the event that publishes it. */
export interface PersonChange {
  next: Person;
  event: PersonEvent;
  /** What the event carries: the next state, but the removed person's address as it was. */
  snapshot: PersonSnapshot;
}

export const isLang = (s: string | undefined): s is Lang => LANGS.includes(s as Lang);

/**
 * The language to write to someone in: the first of `choices` the app speaks (a person's own
 * choice, then the page they asked from, then the organisation's working languages), else English.
 */
export function mailLanguage(...choices: (string | readonly string[] | undefined)[]): Lang {
  for (const c of choices.flat()) if (isLang(c)) return c;
  return 'en';
}

export function toPersonSnapshot(p: Person): PersonSnapshot {
  return {
    id: p.id,
    revision: p.revision,
    updatedAt: p.updatedAt.toISOString(),
    email: p.email,
    name: p.name,
    ...(p.language ? { language: p.language } : {}),
    ...(p.org ? { organisationId: p.org } : {}),
    roles: p.roles,
    regions: p.regions,
    active: p.removedAt === undefined,
  };
}

const changed = (next: Person, event: PersonEvent): PersonChange => ({
  next,
  event,
  snapshot: toPersonSnapshot(next),
});

/**
 * The first published revision of an account: at its creation, or later for an account that was
 * never published (created before persons were published, or whose first write was not followed
 * by its event: a registration whose organisation is written after the account).
 */
export function registerPerson(p: Person, at: Date): PersonChange {
  if (p.revision !== 0) throw new Error(`person ${p.id} is published already (revision ${p.revision})`);
  return changed({ ...p, revision: 1, updatedAt: at }, 'registered');
}

export interface PersonEdit {
  name?: string | undefined;
  language?: Lang | undefined;
}

/** The person's own edit: a new revision when something differs, else unchanged. */
export function editPerson(p: Person, edit: PersonEdit, at: Date): PersonChange | 'unchanged' {
  const name = edit.name ?? p.name;
  const language = edit.language ?? p.language;
  if (name === p.name && language === p.language) return 'unchanged';
  const next: Person = {
    ...p,
    name,
    ...(language ? { language } : {}),
    revision: p.revision + 1,
    updatedAt: at,
  };
  return changed(next, 'updated');
}

/**
 * A removed account: inactive, its address given up (so that it may be invited again) and its
 * password unusable. The event still names the address it had, for the notifications service to
 * forget it by.
 */
export function removePerson(p: Person, at: Date): PersonChange {
  const next: Person = {
    ...p,
    email: removedAddress(p.id),
    passwordHash: '!',
    revision: p.revision + 1,
    updatedAt: at,
    removedAt: at,
  };
  return { next, event: 'removed', snapshot: { ...toPersonSnapshot(next), email: p.email } };
}

/** What a removed account holds instead of an address: unique, and never one that signs in. */
export const removedAddress = (id: string) => `removed:${id}`;
