import { z } from 'zod';
import { OrganisationSnapshot } from './snapshots';

/**
 * Event types and the schema of their `data`. A breaking change is a new type version
 * (`...v2`), never an edit of a registered schema.
 */
export const OrganisationEventType = z.enum([
  'org.mutirao.profiles.organisation.registered',
  'org.mutirao.profiles.organisation.updated',
  'org.mutirao.profiles.organisation.verified',
  'org.mutirao.profiles.organisation.verification-revoked',
  // A verified organisation changed what its verification judged (name, kind, SSE form, formal or
  // informal, country): pending again, back in its region's verification queue.
  'org.mutirao.profiles.organisation.verification-reopened',
]);
export type OrganisationEventType = z.infer<typeof OrganisationEventType>;

export const OrganisationEventData = z.object({ organisation: OrganisationSnapshot });
export type OrganisationEventData = z.infer<typeof OrganisationEventData>;

/** The data schema of each organisation event type, handed to consumers of the topic. */
export const OrganisationEventSchemas: Record<OrganisationEventType, z.ZodType<OrganisationEventData>> = {
  'org.mutirao.profiles.organisation.registered': OrganisationEventData,
  'org.mutirao.profiles.organisation.updated': OrganisationEventData,
  'org.mutirao.profiles.organisation.verified': OrganisationEventData,
  'org.mutirao.profiles.organisation.verification-revoked': OrganisationEventData,
  'org.mutirao.profiles.organisation.verification-reopened': OrganisationEventData,
};
