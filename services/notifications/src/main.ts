import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Topics, topicName } from '@mutirao/contracts';
import { close, listen, stopOnSignals, verifierFromEnv } from '@mutirao/http';
import { connectProducer, createKafka, ensureTopics } from '@mutirao/messaging';
import { claimSoleWriter, connectMongo, isConnected, isFerretDB } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { domainOf, loadConfig } from './config';
import { smtpTransport } from './mail';
import { createNotifications, MAIL_TOPIC } from './notifications';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('notifications', config.LOG_LEVEL);
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  // On the embedded FerretDB a second instance would lose updates: it refuses to start (see sole.ts).
  const lease = await claimSoleWriter(db, 'notifications', { logger });
  const soleWriter = await isFerretDB(db);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-notifications', logger });
  await ensureTopics(
    kafka,
    [...Object.values(Topics), `${MAIL_TOPIC}.dlq`].map((t) => topicName(t, config.TOPIC_PREFIX)),
  );
  const producer = await connectProducer(kafka);
  const verify = verifierFromEnv(config);
  const transport = smtpTransport(config.mail);
  const notifications = await createNotifications({
    db,
    kafka,
    producer: producer.producer,
    producerConnected: producer.connected,
    databaseConnected: () => isConnected(db),
    verify,
    logger,
    now: () => new Date(),
    topicPrefix: config.TOPIC_PREFIX,
    consumerGroup: config.CONSUMER_GROUP,
    transport,
    mail: {
      webUrl: config.WEB_URL,
      messageIdDomain: domainOf(config.mail.from),
      digestHour: config.DIGEST_HOUR_UTC,
      from: config.mail.from,
      concurrency: config.MAIL_CONCURRENCY,
      leaseMs: config.MAIL_LEASE_MS,
      pollMs: config.MAIL_POLL_MS,
      retry: {
        baseMs: config.MAIL_RETRY_BASE_MS,
        maxMs: config.MAIL_RETRY_MAX_MS,
        maxAttempts: config.MAIL_MAX_ATTEMPTS,
      },
    },
    sweepMs: config.SCHEDULE_SWEEP_MS,
    journalPath:
      config.MAIL_JOURNAL ??
      join(
        config.MUTIRAO_DATA_DIR ?? resolve(fileURLToPath(new URL('../../../.data', import.meta.url))),
        'notifications',
        `sent-${config.MONGO_DB}.log`,
      ),
    soleWriter,
  });
  const { consumers } = await notifications.start();
  consumers.catch((err: unknown) => logger.error({ err }, 'consumers failed to start'));
  const server = await listen(notifications.app, config.PORT, config.HOST);
  logger.info(
    { port: config.PORT, smtp: `${config.mail.host}:${config.mail.port}` },
    'notifications service listening',
  );

  stopOnSignals(logger, async () => {
    await close(server);
    await notifications.stop();
    transport.close();
    await producer.producer.disconnect();
    await lease.release();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
