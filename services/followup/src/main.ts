import { Topics, topicName } from '@mutirao/contracts';
import { close, listen, stopOnSignals, verifierFromEnv } from '@mutirao/http';
import { connectProducer, createKafka, ensureTopics } from '@mutirao/messaging';
import { claimSoleWriter, connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { loadConfig } from './config';
import { createFollowup } from './followup';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('followup', config.LOG_LEVEL);
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  // On the embedded FerretDB a second instance would lose updates: it refuses to start (see sole.ts).
  const lease = await claimSoleWriter(db, 'followup', { logger });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-followup', logger });
  await ensureTopics(
    kafka,
    Object.values(Topics).map((t) => topicName(t, config.TOPIC_PREFIX)),
  );
  const producer = await connectProducer(kafka);
  const verify = verifierFromEnv(config);
  const followup = createFollowup({
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
    outboxPollMs: config.OUTBOX_POLL_MS,
    reportPeriods: config.REPORT_PERIODS,
    graceDays: config.REPORT_GRACE_DAYS,
    reminderSweepMs: config.REMINDER_SWEEP_MS,
    reporting: {
      ref: config.IATI_REPORTING_ORG_REF,
      type: config.IATI_REPORTING_ORG_TYPE,
      name: config.IATI_REPORTING_ORG_NAME,
    },
  });
  // Consumers join their groups in the background: a rebalance must not hold up the HTTP port.
  const { consumers } = followup.start();
  consumers.catch((err: unknown) => logger.error({ err }, 'consumers failed to start'));
  const server = await listen(followup.app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'followup service listening');

  stopOnSignals(logger, async () => {
    await close(server);
    await followup.stop();
    await producer.producer.disconnect();
    await lease.release();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
