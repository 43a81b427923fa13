import { z } from 'zod';
import { parse } from './validate';

/** Environment shared by the services that own data and speak Kafka. */
export const ServiceEnv = z.object({
  /** TCP port of the HTTP server (loopback unless HOST says otherwise). */
  PORT: z.coerce.number().int().min(0).max(65535),
  /** Address to bind; loopback by default, the web server is the public entry point. */
  HOST: z.string().default('127.0.0.1'),
  /** MongoDB-wire server (FerretDB in the embedded mode, MongoDB 7 with Docker or in production). */
  MONGO_URL: z.string().startsWith('mongodb').default('mongodb://127.0.0.1:27017'),
  /** Comma-separated Kafka bootstrap servers. */
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) =>
      s
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  /** Prefix for topic names, for isolated test runs; empty in production. */
  TOPIC_PREFIX: z.string().default(''),
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ServiceEnv = z.infer<typeof ServiceEnv>;

const JwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

/**
 * How a service verifies access tokens: the issuer's JWKS (profiles by default, or any OIDC
 * provider), or a key set given inline, and the `iss`/`aud` expected. Spread into a service's schema.
 */
export const VerifierEnv = {
  /** Where the token issuer publishes its keys: the profiles service by default, or any OIDC provider. */
  JWKS_URL: z.url().default('http://127.0.0.1:8081/.well-known/jwks.json'),
  /** A JSON Web Key Set given inline; when set it is trusted instead of JWKS_URL (tests, air-gapped setups). */
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
  /** Expected `iss` of tokens, if any. */
  JWT_ISSUER: z.string().optional(),
  /** Expected `aud` of tokens, if any. */
  JWT_AUDIENCE: z.string().optional(),
};

/** Parses the environment of a service, naming every variable that is wrong. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  try {
    return parse(schema, env, 'environment');
  } catch (err) {
    throw new Error(`Configuration error: ${(err as Error).message}`);
  }
}

/** An unset variable or an empty one is the same: the default. */
const unsetIfBlank = (v: unknown) => (v === '' ? undefined : v);

/**
 * Where a service sends mail: an SMTP server, by default the embedded Mailpit of `npm start` on
 * 127.0.0.1:1025, which catches every mail and shows it at http://127.0.0.1:8025. SMTP_HOST names
 * a server of your own (then SMTP_PORT defaults to 587, or 465 with SMTP_SECURE=true); SMTP_USER
 * and SMTP_PASSWORD log in when set; SMTP_SECURE=true speaks TLS from the first byte (port 465
 * style), otherwise STARTTLS is used when the server offers it, and SMTP_REQUIRE_TLS=true refuses
 * to send over a connection that did not upgrade. Its result is nodemailer's transport options,
 * plus the From address. Every service that sends mail reads its settings here.
 */
export const MailEnv = z
  .object({
    SMTP_HOST: z.preprocess(unsetIfBlank, z.string().min(1).optional()),
    SMTP_PORT: z.preprocess(unsetIfBlank, z.coerce.number().int().min(1).max(65535).optional()),
    SMTP_SECURE: z.preprocess(unsetIfBlank, z.enum(['true', 'false']).default('false')),
    SMTP_REQUIRE_TLS: z.preprocess(unsetIfBlank, z.enum(['true', 'false']).default('false')),
    SMTP_USER: z.preprocess(unsetIfBlank, z.string().optional()),
    SMTP_PASSWORD: z.preprocess(unsetIfBlank, z.string().optional()),
    /** The From of every mail the system sends: an address, or `Name <address>`. */
    MAIL_FROM: z.preprocess(unsetIfBlank, z.string().min(3).default('Mutirão <no-reply@mutirao.localhost>')),
  })
  .transform((e) => {
    const secure = e.SMTP_SECURE === 'true';
    return {
      host: e.SMTP_HOST ?? '127.0.0.1',
      port: e.SMTP_PORT ?? (e.SMTP_HOST ? (secure ? 465 : 587) : 1025),
      secure,
      ...(e.SMTP_REQUIRE_TLS === 'true' ? { requireTLS: true } : {}),
      ...(e.SMTP_USER ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD ?? '' } } : {}),
      from: e.MAIL_FROM,
    };
  });
export type MailEnv = z.infer<typeof MailEnv>;
