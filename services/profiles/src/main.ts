import './instrumentation';
import { Topics, topicName } from '@mutirao/contracts';
import { close, createVerifier, listen, stopOnSignals } from '@mutirao/http';
import { connectProducer, consumeAgreements, createKafka, ensureTopics } from '@mutirao/messaging';
import { connectMongo, isConnected, OutboxRelay } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { buildApp } from './app';
import { loadConfig } from './config';
import { ensureAdmin } from './identity/admin';
import { createIssuer, newSigningKey } from './identity/issuer';
import { initStores, openStores } from './store';
import { recordAgreement } from './usecases/partnerships';
import { organisationLocks } from './usecases/serial';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('profiles', config.LOG_LEVEL);
  const now = () => new Date();
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  const stores = openStores(db);
  await initStores(stores);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-profiles', logger });
  const topic = topicName(Topics.organisation, config.TOPIC_PREFIX);
  const proposalTopic = topicName(Topics.proposal, config.TOPIC_PREFIX);
  await ensureTopics(kafka, [topic, proposalTopic]);
  const producer = await connectProducer(kafka);
  const relay = new OutboxRelay({
    models: [stores.organisations.model],
    locks: organisationLocks,
    journal: stores.organisations.journal,
    producer: producer.producer,
    logger,
  });
  relay.start();

  const key = await stores.keys.loadOrCreate(newSigningKey, now());
  const issuer = await createIssuer({
    key,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.TOKEN_TTL_SECONDS,
    now,
  });
  const verify = createVerifier({
    // Our own keys in-process (no HTTP round trip to ourselves), unless another provider is plugged in.
    jwks: config.JWKS_URL ? new URL(config.JWKS_URL) : issuer.jwks(),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  await ensureAdmin({
    accounts: stores.accounts,
    email: config.ADMIN_EMAIL,
    ...(config.ADMIN_PASSWORD ? { password: config.ADMIN_PASSWORD } : {}),
    dataDir: config.MUTIRAO_DATA_DIR,
    now,
    logger,
  });

  const app = buildApp({
    logger,
    readiness: { database: () => isConnected(db), kafka: producer.connected },
    verify,
    stores,
    now,
    topic,
    issuer,
    onWrite: () => relay.wake(),
  });
  // Joins its group in the background: a rebalance must not hold up the HTTP port.
  const agreements = consumeAgreements({
    kafka,
    groupId: topicName('mutirao-profiles-partnerships', config.TOPIC_PREFIX),
    topic: proposalTopic,
    logger,
    apply: (p) => recordAgreement(stores, p),
  });
  agreements.catch((err: unknown) => logger.error({ err }, 'agreement consumer failed to start'));
  const server = await listen(app, config.PORT, config.HOST);
  logger.info({ port: config.PORT, topic }, 'profiles service listening');

  stopOnSignals(logger, async () => {
    await close(server);
    await (await agreements.catch(() => undefined))?.stop();
    await relay.stop();
    await producer.producer.disconnect();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
