import { loadEnv, ServiceEnv } from '@mutirao/http';
import { z } from 'zod';

const JwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) });

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8082),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-exchange'),
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
  /** How often the outbox relay looks for events nobody woke it for (crash leftovers). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** Period of the expiry safety-net sweep; a timer also fires at the next expiry. */
  EXPIRY_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  /** Consumer group base name (the topic prefix is put in front of it). */
  CONSUMER_GROUP: z.string().min(1).default('mutirao-exchange'),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
