import {
  assertForm,
  type Change,
  changed,
  type Organisation,
  type OrganisationFields,
  type Outcome,
  sameFields,
  type Verification,
  withFields,
} from './organisation';

/** A new organisation, pending verification: revision 1 with its `registered` event. */
export function register(id: string, fields: OrganisationFields, at: Date, ref?: string): Change {
  assertForm(fields);
  const next: Organisation = {
    id,
    ...(ref !== undefined ? { ref } : {}),
    ...fields,
    revision: 1,
    version: 1,
    createdAt: at,
    updatedAt: at,
    verification: { status: 'pending', criteria: [] },
  };
  return { next, event: 'org.mutirao.profiles.organisation.registered' };
}

/**
 * What a verification judged, so that changing it calls for a new one. The ILO 2022 checklist
 * (`verification.ts`: the five criteria for an SSE entity, a note for a partner) is assessed for
 * one entity: who it is (`name`, `country`, which also decides the coordinators whose region it
 * is in) and what it is (`kind`, its SSE form, formal or `informal`: the resolution names the
 * forms and counts informal entities in). Working languages, sectors, the description and the
 * contact are the organisation's to keep current: they were no part of the judgement.
 */
export const JUDGED = ['name', 'kind', 'sseForm', 'informal', 'country'] as const;
export type JudgedField = (typeof JUDGED)[number];

/** The judged fields that differ between the two, in `JUDGED` order. */
export function judgedChanges(prev: OrganisationFields, next: OrganisationFields): JudgedField[] {
  // An absent `informal` is a formal organisation, as `false` is.
  const value = (o: OrganisationFields, k: JudgedField) => (k === 'informal' ? (o.informal ?? false) : o[k]);
  return JUDGED.filter((k) => value(prev, k) !== value(next, k));
}

/**
 * An edit by the organisation (or the admin). A verified organisation that changes what was
 * judged goes back to pending with its criteria cleared and a `verification-reopened` event, so
 * that it is in its region's queue again; any other edit keeps the verification. A declined one
 * that edits anything is resubmitted to the queue (pending, earlier criteria kept for the
 * coordinator to revise). Fields that break the form rule are refused (`invalid`, at `sseForm`).
 */
export function update(org: Organisation, fields: OrganisationFields, by: string, at: Date): Outcome {
  assertForm(fields);
  if (sameFields(org, fields)) return 'unchanged';
  const judged = judgedChanges(org, fields);
  if (org.verification.status === 'verified' && judged.length > 0) {
    const verification: Verification = {
      status: 'pending',
      criteria: [],
      decision: { status: 'pending', note: `changed: ${judged.join(', ')}`, by, at, changed: judged },
    };
    return changed(
      withFields(org, fields),
      { verification },
      at,
      'org.mutirao.profiles.organisation.verification-reopened',
    );
  }
  let verification: Verification = org.verification;
  if (org.verification.status === 'declined') {
    verification = {
      ...org.verification,
      status: 'pending',
      decision: { status: 'pending', note: 'resubmitted after an edit', by, at },
    };
  }
  return changed(withFields(org, fields), { verification }, at, 'org.mutirao.profiles.organisation.updated');
}

/**
 * The admin's idempotent import by external ref: creates, updates, or changes nothing. The
 * import is authoritative (the admin stands behind the file), so edits never reset a
 * verification, and `verified: true` verifies; leaving it out never un-verifies.
 */
export function importByRef(
  existing: Organisation | undefined,
  input: { id: string; ref: string; fields: OrganisationFields; verified: boolean },
  by: string,
  at: Date,
): Outcome {
  const verifiedNow: Verification['decision'] = { status: 'verified', note: 'verified by import', by, at };
  if (!existing) {
    const created = register(input.id, input.fields, at, input.ref);
    if (!input.verified) return created;
    const verification: Verification = { status: 'verified', criteria: [], decision: verifiedNow };
    return { ...created, next: { ...created.next, verification } };
  }
  assertForm(input.fields);
  const fieldsChanged = !sameFields(existing, input.fields);
  const verify = input.verified && existing.verification.status !== 'verified';
  if (!fieldsChanged && !verify) return 'unchanged';
  const verification: Verification = verify
    ? { ...existing.verification, status: 'verified', decision: verifiedNow }
    : existing.verification;
  return changed(
    withFields(existing, input.fields),
    { verification },
    at,
    verify ? 'org.mutirao.profiles.organisation.verified' : 'org.mutirao.profiles.organisation.updated',
  );
}
