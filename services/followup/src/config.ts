import { loadEnv, ServiceEnv, VerifierEnv } from '@mutirao/http';
import { z } from 'zod';

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8085),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-followup'),
  ...VerifierEnv,
  /** How often the outbox relay looks for events nobody woke it for (crash leftovers). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** Consumer group base name (the topic prefix is put in front of it). */
  CONSUMER_GROUP: z.string().min(1).default('mutirao-followup'),
  /** Months after the agreement at which each party reports, comma-separated. */
  REPORT_PERIODS: z
    .string()
    .default('3,6,12')
    .transform((s) => s.split(',').map((x) => Number(x.trim())))
    .pipe(
      z
        .array(z.number().int().min(1).max(60))
        .min(1)
        .refine((l) => new Set(l).size === l.length, 'each period once'),
    ),
  /** Days after a report falls due before the coordinator's queue lists it as late. */
  REPORT_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** How often reminders fallen due are looked for. */
  REMINDER_SWEEP_MS: z.coerce.number().int().min(100).default(3_600_000),
  /** The IATI organisation identifier of whoever publishes the export (the platform's operator). */
  IATI_REPORTING_ORG_REF: z
    .string()
    .regex(/^[A-Z]{2}-[A-Z0-9_]+-\S+$/)
    .default('XI-IATI-MUTIRAO'),
  /** Its IATI organisation type (OrganisationType codelist; 90: other). */
  IATI_REPORTING_ORG_TYPE: z
    .string()
    .regex(/^\d{2}$/)
    .default('90'),
  IATI_REPORTING_ORG_NAME: z.string().min(1).default('Mutirão'),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
