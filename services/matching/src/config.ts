import { loadEnv, ServiceEnv, VerifierEnv } from '@mutirao/http';
import { z } from 'zod';

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8083),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-matching'),
  ...VerifierEnv,
  /** Consumer group of the read model; one per deployment. */
  CONSUMER_GROUP: z.string().default('mutirao-matching'),
  /**
   * Set when several instances run: this one's name, unique among them and kept across its
   * restarts (e.g. m1, m2). Needs are split among the instances by partition of the need topic (so
   * at most as many instances as it has partitions do work); unset, one instance does everything.
   */
  MATCHING_INSTANCE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .optional(),
  /** Quiet time on the posting topics before changed needs are ranked, and the longest wait (ms). */
  MATCH_SETTLE_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  MATCH_MAX_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  /** With several instances: how long a review or an answer waits for the owning instance (then 503). */
  COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
