import { z } from 'zod';

/**
 * Shapes of an organisation as callers send it. Codes are plain strings here on purpose: whether
 * a code exists is checked against the reference data in `organisationProblems`, whose messages
 * name the value (a regex failure could not).
 */
const Code = z.string().min(1).max(40);

export const ContactInput = z.strictObject({
  email: z.email().max(254),
  phone: z.string().trim().min(3).max(40).optional(),
});
export type ContactInput = z.infer<typeof ContactInput>;

const fields = {
  name: z.string().trim().min(1).max(200),
  kind: Code,
  sseForm: Code.optional(),
  informal: z.boolean().optional(),
  country: Code,
  languages: z.array(Code).min(1).max(20),
  sectors: z.array(Code).max(50),
  description: z.string().max(5000),
  contact: ContactInput,
};

export const OrganisationInput = z.strictObject(fields);
export type OrganisationInput = z.infer<typeof OrganisationInput>;

/** A partial edit; `null` removes an optional field (e.g. sseForm when the kind changes). */
export const OrganisationPatch = z.strictObject({
  ...z.strictObject(fields).partial().shape,
  sseForm: Code.nullable().optional(),
  informal: z.boolean().nullable().optional(),
});
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

/** The exchange-file import: the organisation fields plus an admin's `verified: true`. */
export const ImportedOrganisation = z.strictObject({ ...fields, verified: z.boolean().optional() });
export type ImportedOrganisation = z.infer<typeof ImportedOrganisation>;

export const MemberInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
  password: z.string().min(10, 'at least 10 characters').max(256),
});
export type MemberInput = z.infer<typeof MemberInput>;

export const RegistrationInput = z.strictObject({ organisation: OrganisationInput, member: MemberInput });
