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

/** Parses the environment of a service, naming every variable that is wrong. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  try {
    return parse(schema, env, 'environment');
  } catch (err) {
    throw new Error(`Configuration error: ${(err as Error).message}`);
  }
}
