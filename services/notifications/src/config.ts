import { loadEnv, MailEnv, ServiceEnv, VerifierEnv } from '@mutirao/http';
import { z } from 'zod';

const Ms = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

/**
 * The service's settings. The SMTP server and the From address are not here: they are read as
 * every service reads them, with packages/http's `MailEnv` (SMTP_HOST, SMTP_PORT, SMTP_SECURE,
 * SMTP_REQUIRE_TLS, SMTP_USER, SMTP_PASSWORD, MAIL_FROM), into `mail`.
 */
export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8084),
  /** Database of this service; no other service reads it (it holds people's addresses). */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-notifications'),
  ...VerifierEnv,
  CONSUMER_GROUP: z.string().min(1).default('mutirao-notifications'),
  /** The web app's public address: every link in a mail and the unsubscribe links lead there. */
  WEB_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  /** Mails sent side by side (one SMTP connection each). */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(20).default(2),
  /** Back-off of a failed mail: the first wait, doubling up to the longest, and the attempts before the DLQ. */
  MAIL_RETRY_BASE_MS: Ms(10, 5_000),
  MAIL_RETRY_MAX_MS: Ms(10, 600_000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  /** How long a sender's claim on a mail holds (a process that died gives its claims back after this). */
  MAIL_LEASE_MS: Ms(1_000, 60_000),
  /**
   * How often the sender looks for due mails nobody woke it for (retries, another instance's);
   * a mail stored by this instance wakes it at once. Each look is two queries: an idle system pays for them.
   */
  MAIL_POLL_MS: Ms(20, 10_000),
  /**
   * The file where the sender notes each mail the server accepted before the store knows: one per
   * instance, kept across restarts (default: <data folder>/notifications/sent-<MONGO_DB>.log).
   */
  MAIL_JOURNAL: z.string().min(1).optional(),
  /** The data folder npm start gives the services. */
  MUTIRAO_DATA_DIR: z.string().min(1).optional(),
  /** How often stored reminders and digests are looked at. */
  SCHEDULE_SWEEP_MS: Ms(20, 30_000),
  /** The hour (UTC) of the daily digest. */
  DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(7),
});
export type Config = z.infer<typeof Config> & { mail: MailEnv };

export const loadConfig = (env: NodeJS.ProcessEnv): Config => ({
  ...loadEnv(Config, env),
  mail: loadEnv(MailEnv, env),
});

/** The domain of an address such as `Name <user@domain>`. */
export function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'mutirao.localhost';
}
