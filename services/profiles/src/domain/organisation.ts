import {
  type OrganisationEventType,
  type OrganisationKind,
  OrganisationSnapshot,
  type SseForm,
  type VerificationStatus,
} from '@mutirao/contracts';
import { type FieldProblem, invalid } from '@mutirao/kernel';
import type { OrganisationInput, OrganisationPatch } from './organisation-input';

export interface Contact {
  email: string;
  phone?: string;
}

export interface OrganisationFields {
  name: string;
  kind: OrganisationKind;
  sseForm?: SseForm;
  informal?: boolean;
  country: string;
  languages: string[];
  sectors: string[];
  description: string;
  contact: Contact;
}

export const CRITERIA = [
  'social-or-public-purpose',
  'voluntary-cooperation',
  'democratic-governance',
  'autonomy-independence',
  'people-over-capital',
] as const;
export type Criterion = (typeof CRITERIA)[number];

export interface CriterionRecord {
  criterion: Criterion;
  met: boolean;
  note: string;
  by: string;
  at: Date;
}

/** A coordinator's question to the organisation during its review, and the organisation's answer. */
export interface VerificationQuestion {
  question: string;
  by: string;
  at: Date;
  answer?: { text: string; by: string; at: Date };
}

export interface Verification {
  status: VerificationStatus;
  /** The ILO 2022 criteria as a coordinator recorded them, one entry per criterion. */
  criteria: CriterionRecord[];
  /**
   * The last decision (verified, declined, revoked, or back to pending). A reopening names the
   * judged fields whose change reopened it (`changed`, see lifecycle's `JUDGED`), so that the
   * organisation is told why in its own language.
   */
  decision?: { status: VerificationStatus; note: string; by: string; at: Date; changed?: string[] };
  /** Questions asked during the review and their answers, oldest first; absent when none. */
  questions?: VerificationQuestion[];
}

export interface Organisation extends OrganisationFields {
  id: string;
  ref?: string;
  /** Public revision: +1 with each event. */
  revision: number;
  /** Internal version: +1 with every write, for optimistic concurrency (criteria change it too). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  verification: Verification;
}

/**
 * The SSE form goes with the kind: an SSE entity names its form (ILO 2022), a partner has none.
 * The one rule between fields; the codes themselves are checked by the input schemas.
 */
export function formProblem(o: { kind: string; sseForm?: string | undefined }): FieldProblem | undefined {
  if (o.kind === 'sse-entity' && o.sseForm === undefined)
    return { path: 'sseForm', message: 'required when kind is "sse-entity"' };
  if (o.kind !== 'sse-entity' && o.sseForm !== undefined)
    return { path: 'sseForm', message: `only for kind "sse-entity", not "${o.kind}"` };
  return undefined;
}

/** Refuses fields that break the form rule; the organisation's own fields always keep it. */
export function assertForm(o: OrganisationFields): void {
  const p = formProblem(o);
  if (p) throw invalid(p.message, p.path);
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Fields as stored: duplicates dropped, email lower-cased, absent optionals left out. */
export function normalise(o: OrganisationInput): OrganisationFields {
  return {
    name: o.name,
    kind: o.kind,
    ...(o.sseForm !== undefined ? { sseForm: o.sseForm } : {}),
    ...(o.informal !== undefined ? { informal: o.informal } : {}),
    country: o.country,
    languages: unique(o.languages),
    sectors: unique(o.sectors),
    description: o.description,
    contact: {
      email: o.contact.email.toLowerCase(),
      ...(o.contact.phone !== undefined ? { phone: o.contact.phone } : {}),
    },
  };
}

/** The edit applied to the current fields, as an input to validate again as a whole. */
export function applyPatch(current: OrganisationFields, patch: OrganisationPatch): OrganisationInput {
  const { sseForm: form, informal, ...rest } = patch;
  const merged: OrganisationInput = { ...fieldsOf(current), ...stripUndefined(rest) };
  if (form === null) delete merged.sseForm;
  else if (form !== undefined) merged.sseForm = form;
  if (informal === null) delete merged.informal;
  else if (informal !== undefined) merged.informal = informal;
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function fieldsOf(o: OrganisationFields): OrganisationFields {
  return normalise(o as OrganisationInput);
}

/** Field-by-field equality in a fixed key order, so "unchanged" never depends on storage order. */
export function sameFields(a: OrganisationFields, b: OrganisationFields): boolean {
  return JSON.stringify(fieldsOf(a)) === JSON.stringify(fieldsOf(b));
}

/** `prev` with its fields replaced: an optional field absent from `fields` is dropped, not kept. */
export function withFields(prev: Organisation, fields: OrganisationFields): Organisation {
  const { sseForm: _form, informal: _informal, ...rest } = prev;
  return { ...rest, ...fields };
}

/** The public snapshot carried by events: no contact details, no review notes. */
export function toSnapshot(o: Organisation): OrganisationSnapshot {
  return OrganisationSnapshot.parse({
    id: o.id,
    revision: o.revision,
    ...(o.ref !== undefined ? { ref: o.ref } : {}),
    updatedAt: o.updatedAt.toISOString(),
    name: o.name,
    kind: o.kind,
    ...(o.sseForm !== undefined ? { sseForm: o.sseForm } : {}),
    ...(o.informal !== undefined ? { informal: o.informal } : {}),
    country: o.country,
    languages: o.languages,
    sectors: o.sectors,
    description: o.description,
    verification: o.verification.status,
  });
}

/** A decided change: the next state and, when the public state moved, the event type. */
export interface Change {
  next: Organisation;
  event?: OrganisationEventType;
}
/** What a command decides: a change, or nothing to do. A refusal is thrown (a `DomainError`). */
export type Outcome = Change | 'unchanged';

/** Moves to `next`, bumping the version always and the revision only with an event. */
export function changed(
  prev: Organisation,
  patch: Partial<Organisation>,
  at: Date,
  event?: OrganisationEventType,
): Change {
  const next: Organisation = {
    ...prev,
    ...patch,
    version: prev.version + 1,
    ...(event ? { revision: prev.revision + 1, updatedAt: at } : {}),
  };
  return event ? { next, event } : { next };
}
