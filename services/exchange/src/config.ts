import { loadEnv, ServiceEnv, VerifierEnv } from '@mutirao/http';
import { z } from 'zod';

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8082),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-exchange'),
  ...VerifierEnv,
  /** How often the outbox relay looks for events nobody woke it for (crash leftovers). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** Period of the expiry safety-net sweep; a timer also fires at the next expiry. */
  EXPIRY_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  /** Consumer group base name (the topic prefix is put in front of it). */
  CONSUMER_GROUP: z.string().min(1).default('mutirao-exchange'),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
