import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    mongoUrl: string;
  }
}

/**
 * Vitest global setup: finds real Kafka and MongoDB-wire servers for the whole run.
 *   1. KAFKA_BROKERS and MONGO_URL set: use those servers (external mode).
 *   2. MUTIRAO_INFRA=docker: start Kafka and MongoDB with testcontainers.
 *   3. otherwise: the embedded Kafka 3.9.1 and FerretDB, started if they are not running
 *      (and stopped at the end if this run started them, unless MUTIRAO_KEEP_INFRA=1).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const env = process.env;
  if (env.KAFKA_BROKERS && env.MONGO_URL) {
    project.provide('kafkaBrokers', env.KAFKA_BROKERS);
    project.provide('mongoUrl', env.MONGO_URL);
    return async () => undefined;
  }
  if (env.MUTIRAO_INFRA === 'docker') {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const { MongoDBContainer } = await import('@testcontainers/mongodb');
    const [kafka, mongo] = await Promise.all([
      new KafkaContainer('apache/kafka:3.9.1').start(),
      new MongoDBContainer('mongo:7').start(),
    ]);
    project.provide('kafkaBrokers', `${kafka.getHost()}:${kafka.getMappedPort(9093)}`);
    project.provide('mongoUrl', `${mongo.getConnectionString()}?directConnection=true`);
    return async () => {
      await Promise.all([kafka.stop(), mongo.stop()]);
    };
  }
  const infra = await import('@mutirao/infra');
  const options = infra.defaultOptions();
  const result = await infra.up(options);
  project.provide('kafkaBrokers', result.kafkaBrokers);
  project.provide('mongoUrl', result.mongoUrl);
  return async () => {
    if (result.started.length > 0 && env.MUTIRAO_KEEP_INFRA !== '1')
      await infra.down(options, result.started);
  };
}
