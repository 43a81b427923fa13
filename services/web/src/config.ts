import { loadEnv } from '@mutirao/http';
import { z } from 'zod';

const Url = z.url({ protocol: /^https?$/ });

export const Config = z.object({
  /** The one public address of the system: pages and `/api/<service>/...`. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Address to bind; set 0.0.0.0 to reach it from a phone on the same network. */
  HOST: z.string().default('127.0.0.1'),
  PROFILES_URL: Url.default('http://127.0.0.1:8081'),
  EXCHANGE_URL: Url.default('http://127.0.0.1:8082'),
  MATCHING_URL: Url.default('http://127.0.0.1:8083'),
  NOTIFICATIONS_URL: Url.default('http://127.0.0.1:8084'),
  FOLLOWUP_URL: Url.default('http://127.0.0.1:8085'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv): Config => loadEnv(Config, env);
