import { randomBytes } from 'node:crypto';
import { loadEnv, MailEnv } from '@mutirao/http';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    mongoUrl: string;
    /** The SMTP server the tests and the systems they start send mail to. */
    smtpHost: string;
    smtpPort: number;
    /** Mailpit's UI and API, where the tests read those mails. */
    mailpitUrl: string;
    /** Starts every test file's database and topic names (`testEnv`), so the run can remove them. */
    runId: string;
  }
}

interface Servers {
  kafkaBrokers: string;
  mongoUrl: string;
  smtpHost: string;
  smtpPort: number;
  mailpitUrl: string;
  stop(): Promise<void>;
}

/**
 * The servers of one run, kept on `globalThis` because every tier that needs servers (the int,
 * e2e and browser vitest projects) runs this setup in its own module runner: the tiers of a run
 * share the servers the first one found or started (one set of containers, not three), and the
 * last teardown stops them.
 */
const SHARED = Symbol.for('mutirao.testing.servers');
type Shared = { servers: Promise<Servers>; users: number; runId: string };

/**
 * Vitest global setup: finds real Kafka, MongoDB-wire and SMTP servers for the whole run.
 *   1. KAFKA_BROKERS and MONGO_URL set: use those servers (external mode); SMTP_HOST set: use that
 *      SMTP server (SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE), whose mails are read from
 *      the Mailpit at MAILPIT_URL (default http://127.0.0.1:8025).
 *   2. MUTIRAO_INFRA=docker: start what is not external with testcontainers (Kafka, MongoDB, Mailpit).
 *   3. otherwise: the embedded Kafka 3.9.1, FerretDB and Mailpit, started if they are not running
 *      (and stopped at the end if this run started them, unless MUTIRAO_KEEP_INFRA=1).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const holder = globalThis as { [SHARED]?: Shared };
  holder[SHARED] ??= { servers: findServers(), users: 0, runId: randomBytes(2).toString('hex') };
  const shared = holder[SHARED];
  shared.users++;
  const servers = await shared.servers;
  project.provide('kafkaBrokers', servers.kafkaBrokers);
  project.provide('mongoUrl', servers.mongoUrl);
  project.provide('smtpHost', servers.smtpHost);
  project.provide('smtpPort', servers.smtpPort);
  project.provide('mailpitUrl', servers.mailpitUrl);
  project.provide('runId', shared.runId);
  return async () => {
    if (--shared.users > 0) return;
    delete holder[SHARED];
    await removeRunData(servers, shared.runId);
    await servers.stop();
  };
}

/**
 * Deletes the topics and databases this run's test files made (their names start with the run's
 * id, see `testEnv`). The embedded servers keep their data between runs: without this, each run
 * left ~1,000 partitions and ~130 databases behind, and after a few dozen runs Kafka's 512 MB heap
 * ran out answering a metadata request for every topic. Other runs' data on the same servers is
 * left alone; a failure here is reported and does not fail the run.
 */
async function removeRunData(servers: Servers, runId: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'mutirao-test-cleanup',
    brokers: servers.kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`t${runId}`));
    for (let i = 0; i < topics.length; i += 200)
      await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 30_000 });
  } catch (err) {
    console.warn(`could not delete this run's topics: ${err instanceof Error ? err.message : err}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const client = new MongoClient(servers.mongoUrl, { serverSelectionTimeoutMS: 10_000 });
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith(`t_${runId}`)) await client.db(name).dropDatabase();
  } catch (err) {
    console.warn(`could not drop this run's databases: ${err instanceof Error ? err.message : err}`);
  } finally {
    await client.close();
  }
}

async function findServers(): Promise<Servers> {
  const env = process.env;
  const externalStore = Boolean(env.KAFKA_BROKERS && env.MONGO_URL);
  const externalMail = Boolean(env.SMTP_HOST);
  const mail = loadEnv(MailEnv, env);
  const external = {
    kafkaBrokers: env.KAFKA_BROKERS ?? '',
    mongoUrl: env.MONGO_URL ?? '',
    smtpHost: mail.host,
    smtpPort: mail.port,
    mailpitUrl: env.MAILPIT_URL || 'http://127.0.0.1:8025',
    stop: async () => undefined,
  };
  if (externalStore && externalMail) return external;
  if (env.MUTIRAO_INFRA === 'docker')
    return dockerServers(external, { store: !externalStore, mail: !externalMail });
  const infra = await import('@mutirao/infra');
  const options = infra.defaultOptions();
  const result = await infra.up(options, infra.embeddedServers(env));
  return {
    ...external,
    ...(externalStore ? {} : { kafkaBrokers: result.kafkaBrokers, mongoUrl: result.mongoUrl }),
    ...(externalMail
      ? {}
      : { smtpHost: '127.0.0.1', smtpPort: options.smtpPort, mailpitUrl: result.mailpitUrl }),
    stop: async () => {
      if (result.started.length > 0 && env.MUTIRAO_KEEP_INFRA !== '1')
        await infra.down(options, result.started);
    },
  };
}

/** Containers for what the environment does not name: Kafka and MongoDB, Mailpit. */
async function dockerServers(external: Servers, start: { store: boolean; mail: boolean }): Promise<Servers> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const [kafka, mongo, mailpit] = await Promise.all([
    start.store ? new KafkaContainer('apache/kafka:3.9.1').start() : undefined,
    start.store ? new MongoDBContainer('mongo:7').start() : undefined,
    start.mail
      ? new GenericContainer('axllent/mailpit:v1.33.1')
          .withExposedPorts(1025, 8025)
          .withEnvironment({
            MP_SMTP_AUTH_ACCEPT_ANY: 'true',
            MP_SMTP_AUTH_ALLOW_INSECURE: 'true',
            MP_DISABLE_VERSION_CHECK: 'true',
          })
          .withWaitStrategy(Wait.forHttp('/api/v1/info', 8025))
          .start()
      : undefined,
  ]);
  return {
    ...external,
    ...(kafka ? { kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}` } : {}),
    ...(mongo ? { mongoUrl: `${mongo.getConnectionString()}?directConnection=true` } : {}),
    ...(mailpit
      ? {
          smtpHost: mailpit.getHost(),
          smtpPort: mailpit.getMappedPort(1025),
          mailpitUrl: `http://${mailpit.getHost()}:${mailpit.getMappedPort(8025)}`,
        }
      : {}),
    stop: async () => {
      await Promise.all([kafka?.stop(), mongo?.stop(), mailpit?.stop()]);
    },
  };
}
