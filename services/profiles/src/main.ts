import { close, listen, stopOnSignals } from '@mutirao/http';
import { systemClock } from '@mutirao/kernel';
import { connectProducer, createKafka, ensureTopics } from '@mutirao/messaging';
import { claimSoleWriter, connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { loadConfig } from './config';
import { ensureAdmin } from './identity/admin';
import { createProfiles, profilesTopics } from './profiles';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('profiles', config.LOG_LEVEL);
  const now = systemClock;
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  // On the embedded FerretDB a second instance would lose updates: it refuses to start (see sole.ts).
  const lease = await claimSoleWriter(db, 'profiles', { logger });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-profiles', logger });
  const topics = profilesTopics(config.TOPIC_PREFIX);
  await ensureTopics(kafka, Object.values(topics));
  const producer = await connectProducer(kafka);
  const profiles = await createProfiles({
    db,
    kafka,
    producer: producer.producer,
    producerConnected: producer.connected,
    databaseConnected: () => isConnected(db),
    logger,
    now,
    topicPrefix: config.TOPIC_PREFIX,
    agreementsGroup: 'mutirao-profiles-partnerships',
    followOtherInstances: !lease.sole,
    tokens: {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.TOKEN_TTL_SECONDS,
      jwksUrl: config.JWKS_URL,
    },
  });
  await ensureAdmin({
    accounts: profiles.stores.accounts,
    topic: topics.person,
    email: config.ADMIN_EMAIL,
    ...(config.ADMIN_PASSWORD ? { password: config.ADMIN_PASSWORD } : {}),
    dataDir: config.MUTIRAO_DATA_DIR,
    now,
    logger,
  });
  // The consumer joins its group in the background: a rebalance must not hold up the HTTP port.
  const { consumers } = await profiles.start();
  consumers.catch((err: unknown) => logger.error({ err }, 'consumers failed to start'));
  const server = await listen(profiles.app, config.PORT, config.HOST);
  logger.info({ port: config.PORT, topic: topics.organisation }, 'profiles service listening');

  stopOnSignals(logger, async () => {
    await close(server);
    await profiles.stop();
    await producer.producer.disconnect();
    await lease.release();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
