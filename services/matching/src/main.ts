import { close, listen, stopOnSignals, verifierFromEnv } from '@mutirao/http';
import { systemClock } from '@mutirao/kernel';
import { connectProducer, createKafka, ensureTopics, partitionCount } from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { loadConfig } from './config';
import { matchingTopics } from './instances';
import { createMatching } from './matching';

/**
 * The only composition root: load config; connect the database, check the topics, connect the
 * producer; start (relay, index from the read model, consumer); listen. SIGTERM stops all of it in
 * reverse order.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('matching', config.LOG_LEVEL);
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  // The instance's name in the client id, so its group member ids (and the broker's logs) say which.
  const clientId =
    config.MATCHING_INSTANCE === undefined
      ? 'mutirao-matching'
      : `mutirao-matching-${config.MATCHING_INSTANCE}`;
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId, logger });
  const topics = matchingTopics(config.TOPIC_PREFIX);
  await ensureTopics(kafka, [topics.organisation, topics.need, topics.offer, topics.proposal, topics.call]);
  if (config.MATCHING_INSTANCE !== undefined) {
    // Partition i of the command topic goes with partition i of the need topic.
    await ensureTopics(kafka, [topics.command], await partitionCount(kafka, topics.need));
    await ensureTopics(kafka, [topics.reply]);
  }
  const producer = await connectProducer(kafka);
  const matching = createMatching({
    db,
    kafka,
    producer: producer.producer,
    producerConnected: producer.connected,
    databaseConnected: () => isConnected(db),
    verify: verifierFromEnv(config),
    logger,
    now: systemClock,
    topicPrefix: config.TOPIC_PREFIX,
    consumerGroup: config.CONSUMER_GROUP,
    ...(config.MATCHING_INSTANCE !== undefined ? { instance: config.MATCHING_INSTANCE } : {}),
    commandTimeoutMs: config.COMMAND_TIMEOUT_MS,
    ...(config.MATCH_SETTLE_MS !== undefined ? { settleMs: config.MATCH_SETTLE_MS } : {}),
    ...(config.MATCH_MAX_DELAY_MS !== undefined ? { maxDelayMs: config.MATCH_MAX_DELAY_MS } : {}),
  });
  // The consumer joins its group before the port opens: a consumer that cannot start stops the
  // service rather than leaving one that answers but never takes an event in.
  await (await matching.start()).consumer;
  const server = await listen(matching.app, config.PORT, config.HOST);
  logger.info({ port: config.PORT, instance: config.MATCHING_INSTANCE }, 'matching service listening');
  stopOnSignals(logger, async () => {
    await close(server);
    await matching.stop();
    await producer.producer.disconnect();
    await db.close();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
