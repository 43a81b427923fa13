import { Topics, topicName } from '@mutirao/contracts';
import { close, listen, stopOnSignals, verifierFromEnv } from '@mutirao/http';
import { connectProducer, createKafka, ensureTopics } from '@mutirao/messaging';
import { claimSoleWriter, connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { loadConfig } from './config';
import { createExchange } from './exchange';

/** The only composition root: load config, connect, listen, stop on SIGTERM in reverse order. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('exchange', config.LOG_LEVEL);
  logger.debug({ uptimeMs: Math.round(process.uptime() * 1000) }, 'modules loaded');
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  // On the embedded FerretDB a second instance would lose updates: it refuses to start (see sole.ts).
  const lease = await claimSoleWriter(db, 'exchange', { logger });
  logger.debug({ uptimeMs: Math.round(process.uptime() * 1000) }, 'database connected');
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-exchange', logger });
  await ensureTopics(
    kafka,
    Object.values(Topics).map((t) => topicName(t, config.TOPIC_PREFIX)),
  );
  const producer = await connectProducer(kafka);
  logger.debug({ uptimeMs: Math.round(process.uptime() * 1000) }, 'topics checked, producer connected');
  const verify = verifierFromEnv(config);
  const exchange = createExchange({
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
    expirySweepMs: config.EXPIRY_SWEEP_MS,
    followOtherInstances: !lease.sole,
  });
  // Consumers join their groups in the background: a rebalance must not hold up the HTTP port.
  const { consumers } = await exchange.start();
  consumers.catch((err: unknown) => logger.error({ err }, 'consumers failed to start'));
  const server = await listen(exchange.app, config.PORT, config.HOST);
  logger.info({ port: config.PORT }, 'exchange service listening');

  stopOnSignals(logger, async () => {
    await close(server);
    await exchange.stop();
    await producer.producer.disconnect();
    await lease.release();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
