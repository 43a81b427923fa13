import { z } from 'zod';
import { LanguageCode } from './vocab';

/**
 * People who sign in, as the notifications service needs them: where to write, in which language,
 * and what they are responsible for. Unlike the public snapshots, these carry contact details:
 * only the notifications service reads the `person` and `access` topics.
 */
export const PersonRole = z.enum(['member', 'coordinator', 'admin']);
export const PersonSnapshot = z.object({
  /** The account id (the token's `sub`). */
  id: z.string().min(1),
  revision: z.number().int().positive(),
  updatedAt: z.iso.datetime({ offset: true }),
  email: z.email(),
  name: z.string().min(1),
  /** The language the person chose; when absent, the organisation's first working language. */
  language: LanguageCode.optional(),
  /** Members only. */
  organisationId: z.string().min(1).optional(),
  roles: z.array(PersonRole),
  /** Coordinators only: UN M49 region names, as in the token's `regions` claim. */
  regions: z.array(z.string()),
  /** False once the account is removed: nothing more is sent to it. */
  active: z.boolean(),
});
export type PersonSnapshot = z.infer<typeof PersonSnapshot>;

export const PersonEventType = z.enum([
  'org.mutirao.profiles.person.registered',
  'org.mutirao.profiles.person.updated',
  'org.mutirao.profiles.person.removed',
]);
export type PersonEventType = z.infer<typeof PersonEventType>;
export const PersonEventData = z.object({ person: PersonSnapshot });
export type PersonEventData = z.infer<typeof PersonEventData>;
export const PersonEventSchemas: Record<PersonEventType, z.ZodType<PersonEventData>> = {
  'org.mutirao.profiles.person.registered': PersonEventData,
  'org.mutirao.profiles.person.updated': PersonEventData,
  'org.mutirao.profiles.person.removed': PersonEventData,
};

/**
 * One-time secrets that must reach a person by mail: an invitation to join an organisation (or to
 * coordinate regions) and a password reset. The token travels only here and in the mail; profiles
 * keeps its SHA-256. Keyed by the invitation's or reset's id (each is sent once, whatever is
 * redelivered); an invitation's revocation is keyed by the same id.
 */
export const InvitationCreated = z.object({
  id: z.string().min(1),
  email: z.email(),
  /**
   * What the invitee will be: a member of the organisation (the default, and every invitation made
   * before coordinators were invited), or a coordinator of `regions`, created by the admin.
   */
  role: z.enum(['member', 'coordinator']).optional(),
  /** Members' invitations only. */
  organisationId: z.string().min(1).optional(),
  organisationName: z.string().min(1).optional(),
  /** Coordinators' invitations only: UN M49 region names, as in the token's `regions` claim. */
  regions: z.array(z.string()).optional(),
  invitedBy: z.string().min(1),
  /** The language of the mail: the inviter's choice, else the organisation's first working language. */
  language: LanguageCode,
  token: z.string().min(16),
  expiresAt: z.iso.datetime({ offset: true }),
});
/** An organisation's invitation withdrawn before anyone accepted it: its link no longer works. */
export const InvitationRevoked = z.object({
  id: z.string().min(1),
  organisationId: z.string().min(1),
  /** The account that withdrew it. */
  revokedBy: z.string().min(1),
  revokedAt: z.iso.datetime({ offset: true }),
});
export const PasswordResetRequested = z.object({
  id: z.string().min(1),
  personId: z.string().min(1),
  email: z.email(),
  language: LanguageCode,
  token: z.string().min(16),
  expiresAt: z.iso.datetime({ offset: true }),
});
export const AccessEventType = z.enum([
  'org.mutirao.profiles.access.invitation-created',
  'org.mutirao.profiles.access.password-reset-requested',
  'org.mutirao.profiles.access.invitation-revoked',
]);
export type AccessEventType = z.infer<typeof AccessEventType>;
export const AccessEventSchemas = {
  'org.mutirao.profiles.access.invitation-created': z.object({ invitation: InvitationCreated }),
  'org.mutirao.profiles.access.password-reset-requested': z.object({ reset: PasswordResetRequested }),
  'org.mutirao.profiles.access.invitation-revoked': z.object({ revoked: InvitationRevoked }),
};
