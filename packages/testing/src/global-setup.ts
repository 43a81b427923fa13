import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    mongoUrl: string;
  }
}

interface Servers {
  kafkaBrokers: string;
  mongoUrl: string;
  stop(): Promise<void>;
}

/**
 * The servers of one run, kept on `globalThis` because every tier that needs servers (the int,
 * e2e and browser vitest projects) runs this setup in its own module runner: the tiers of a run
 * share the servers the first one found or started (one pair of containers, not three), and the
 * last teardown stops them.
 */
const SHARED = Symbol.for('mutirao.testing.servers');
type Shared = { servers: Promise<Servers>; users: number };

/**
 * Vitest global setup: finds real Kafka and MongoDB-wire servers for the whole run.
 *   1. KAFKA_BROKERS and MONGO_URL set: use those servers (external mode).
 *   2. MUTIRAO_INFRA=docker: start Kafka and MongoDB with testcontainers.
 *   3. otherwise: the embedded Kafka 3.9.1 and FerretDB, started if they are not running
 *      (and stopped at the end if this run started them, unless MUTIRAO_KEEP_INFRA=1).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const holder = globalThis as { [SHARED]?: Shared };
  holder[SHARED] ??= { servers: findServers(), users: 0 };
  const shared = holder[SHARED];
  shared.users++;
  const servers = await shared.servers;
  project.provide('kafkaBrokers', servers.kafkaBrokers);
  project.provide('mongoUrl', servers.mongoUrl);
  return async () => {
    if (--shared.users > 0) return;
    delete holder[SHARED];
    await servers.stop();
  };
}

async function findServers(): Promise<Servers> {
  const env = process.env;
  if (env.KAFKA_BROKERS && env.MONGO_URL)
    return { kafkaBrokers: env.KAFKA_BROKERS, mongoUrl: env.MONGO_URL, stop: async () => undefined };
  if (env.MUTIRAO_INFRA === 'docker') {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const { MongoDBContainer } = await import('@testcontainers/mongodb');
    const [kafka, mongo] = await Promise.all([
      new KafkaContainer('apache/kafka:3.9.1').start(),
      new MongoDBContainer('mongo:7').start(),
    ]);
    return {
      kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
      mongoUrl: `${mongo.getConnectionString()}?directConnection=true`,
      stop: async () => {
        await Promise.all([kafka.stop(), mongo.stop()]);
      },
    };
  }
  const infra = await import('@mutirao/infra');
  const options = infra.defaultOptions();
  const result = await infra.up(options);
  return {
    kafkaBrokers: result.kafkaBrokers,
    mongoUrl: result.mongoUrl,
    stop: async () => {
      if (result.started.length > 0 && env.MUTIRAO_KEEP_INFRA !== '1')
        await infra.down(options, result.started);
    },
  };
}
