import { loadEnv, ServiceEnv } from '@mutirao/http';
import { z } from 'zod';

export const Config = ServiceEnv.extend({
  PORT: ServiceEnv.shape.PORT.default(8081),
  /** Database of this service; no other service reads it. */
  MONGO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('mutirao-profiles'),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
