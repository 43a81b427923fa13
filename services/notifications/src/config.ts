import { loadEnv, ServiceEnv } from '@mutirao/http';
import { z } from 'zod';

const JwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });
const Flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((s) => s === 'true' || s === '1');
const Ms = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8084),
  /** Database of this service; no other service reads it (it holds people's addresses). */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-notifications'),
  JWKS_URL: z.url().default('http://127.0.0.1:8081/.well-known/jwks.json'),
  JWKS_JSON: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      try {
        const r = JwkSet.safeParse(JSON.parse(s));
        if (r.success) return r.data;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'not a JSON Web Key Set ({"keys":[...]})' });
      return z.NEVER;
    }),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  CONSUMER_GROUP: z.string().min(1).default('mutirao-notifications'),
  /** The web app's public address: every link in a mail and the unsubscribe links lead there. */
  WEB_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
  /** The SMTP server: the embedded Mailpit by default; any relay in production. */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  SMTP_SECURE: Flag,
  /** Refuse to send unless STARTTLS succeeds (a relay on 587 in production). */
  SMTP_REQUIRE_TLS: Flag,
  /** The sender of every mail; its domain names the Message-IDs. */
  MAIL_FROM: z.string().min(3).default('Mutirão <notifications@mutirao.localhost>'),
  /** Mails sent side by side (and SMTP connections kept open). */
  MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(20).default(2),
  /** Back-off of a failed mail: the first wait, doubling up to the longest, and the attempts before the DLQ. */
  MAIL_RETRY_BASE_MS: Ms(10, 5_000),
  MAIL_RETRY_MAX_MS: Ms(10, 600_000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(12),
  /** How long a sender's claim on a mail holds (a process that died gives its claims back after this). */
  MAIL_LEASE_MS: Ms(1_000, 60_000),
  /** How often the sender looks for due mails nobody woke it for (retries, another instance's). */
  MAIL_POLL_MS: Ms(20, 2_000),
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
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);

/** The domain of an address such as `Name <user@domain>`. */
export function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'mutirao.localhost';
}
