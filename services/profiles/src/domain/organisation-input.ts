import { SseForm as Forms, OrganisationKind as Kinds } from '@mutirao/contracts';
import { KnownCountry, KnownLanguage, KnownSector, LANGS, type Lang } from '@mutirao/reference-data';
import { z } from 'zod';
import { formProblem } from './organisation';

/**
 * Shapes of an organisation as callers send it. Codes are checked against the reference data by
 * the schema itself (`Known*`), whose messages name the value; the closed vocabularies say which
 * value they refuse too.
 */
const OrganisationKind = z.enum(Kinds.options, {
  error: (i) => `unknown organisation kind ${JSON.stringify(i.input)}`,
});
const SseForm = z.enum(Forms.options, { error: (i) => `unknown SSE form ${JSON.stringify(i.input)}` });

export const ContactInput = z.strictObject({
  email: z.email().max(254),
  phone: z.string().trim().min(3).max(40).optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

const fields = {
  name: z.string().trim().min(1).max(200),
  kind: OrganisationKind,
  sseForm: SseForm.optional(),
  informal: z.boolean().optional(),
  country: KnownCountry,
  languages: z.array(KnownLanguage).min(1).max(20),
  sectors: z.array(KnownSector).max(50),
  description: z.string().max(5000),
  contact: ContactInput,
};

/** The SSE form goes with the kind (see `formProblem`): checked where the whole is sent. */
const withForm = (o: { kind: z.infer<typeof OrganisationKind>; sseForm?: string }, ctx: z.RefinementCtx) => {
  const p = formProblem(o);
  if (p) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
};

export const OrganisationInput = z.strictObject(fields).superRefine(withForm);
export type OrganisationInput = z.infer<typeof OrganisationInput>;

/**
 * A partial edit; `null` removes an optional field (e.g. sseForm when the kind changes). The form
 * rule is checked on the edited whole (`update`), as a patch alone cannot say.
 */
export const OrganisationPatch = z.strictObject({
  ...z.strictObject(fields).partial().shape,
  sseForm: SseForm.nullable().optional(),
  informal: z.boolean().nullable().optional(),
});
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

/** The exchange-file import: the organisation fields plus an admin's `verified: true`. */
export const ImportedOrganisation = z
  .strictObject({ ...fields, verified: z.boolean().optional() })
  .superRefine(withForm);
export type ImportedOrganisation = z.infer<typeof ImportedOrganisation>;

/** The rule for every password a person chooses (registration, invitation, reset, change). */
export const Password = z.string().min(10, 'at least 10 characters').max(256);

/** A person's language: one of the app's (ISO 639-1). */
export const AppLanguage = z.enum(LANGS as [Lang, ...Lang[]], {
  error: (i) => `unknown language ${JSON.stringify(i.input)}; one of ${LANGS.join(', ')}`,
});

const PersonName = z.string().trim().min(1).max(200);

export const MemberInput = z.strictObject({
  name: PersonName,
  email: z.email().max(254),
  password: Password,
  /** The language to write to the person in; without it, the organisation's. */
  language: AppLanguage.optional(),
});
export type MemberInput = z.infer<typeof MemberInput>;

/** Accepting an invitation: the address may be left out when the invitation names one. */
export const AcceptInput = z.strictObject({ ...MemberInput.shape, email: z.email().max(254).optional() });
export type AcceptInput = z.infer<typeof AcceptInput>;

/** The person's own edit (`PATCH /me`). */
export const PersonEditInput = z.strictObject({
  name: PersonName.optional(),
  language: AppLanguage.optional(),
});

export const RegistrationInput = z.strictObject({ organisation: OrganisationInput, member: MemberInput });
export type RegistrationInput = z.infer<typeof RegistrationInput>;
