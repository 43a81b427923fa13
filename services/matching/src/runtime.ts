import { Topics, topicName } from '@mutirao/contracts';
import { createVerifier, type TokenVerifier } from '@mutirao/http';
import {
  connectProducer,
  consumerLag,
  createKafka,
  ensureTopics,
  type RunningConsumer,
} from '@mutirao/messaging';
import { connectMongo, isConnected, OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { JSONWebKeySet } from 'jose';
import { buildApp } from './app';
import type { Config } from './config';
import { consumePostings, postingTopics } from './consumers/postings';
import { Matcher } from './matcher';
import { openStores } from './store/stores';

export interface Runtime {
  app: Express;
  matcher: Matcher;
  relay: OutboxRelay;
  stop(): Promise<void>;
}

export function verifierFrom(config: Config): TokenVerifier {
  const jwks = config.JWKS_JSON ? (JSON.parse(config.JWKS_JSON) as JSONWebKeySet) : new URL(config.JWKS_URL);
  return createVerifier({ jwks, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

/**
 * Connects and starts everything but the HTTP listener, so tests run the real service in-process.
 * The order: database, producer, outbox relay, index from the read model, then the consumer.
 */
export async function startRuntime(
  config: Config,
  logger: Logger,
  opts: { now?: () => Date; verify?: TokenVerifier } = {},
): Promise<Runtime> {
  const now = opts.now ?? (() => new Date());
  const db = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'mutirao-matching', logger });
  const topics = postingTopics(config.TOPIC_PREFIX);
  const proposalTopic = topicName(Topics.proposal, config.TOPIC_PREFIX);
  await ensureTopics(kafka, [...Object.values(topics), proposalTopic]);
  const producer = await connectProducer(kafka);
  const { readModel, proposals, pending } = await openStores(db);
  const relay = new OutboxRelay({
    models: [proposals.model],
    journal: proposals.journal,
    producer: producer.producer,
    logger,
    locks: proposals.locks,
  });
  relay.start();
  const matcher = await Matcher.start({
    readModel,
    proposals,
    pending,
    topicPrefix: config.TOPIC_PREFIX,
    now,
    logger,
    wake: () => relay.wake(),
  });
  let consumer: RunningConsumer | undefined;
  consumer = await consumePostings({
    kafka,
    groupId: config.CONSUMER_GROUP,
    topicPrefix: config.TOPIC_PREFIX,
    matcher,
    logger,
  });
  const app = buildApp({
    logger,
    verify: opts.verify ?? verifierFrom(config),
    matcher,
    proposals,
    now,
    eventsWaiting: () => consumerLag(kafka, config.CONSUMER_GROUP, Object.values(topics)),
    readiness: { database: () => isConnected(db), kafka: producer.connected },
  });
  return {
    app,
    matcher,
    relay,
    async stop() {
      await consumer?.stop();
      consumer = undefined;
      await matcher.stop();
      await relay.stop();
      await producer.producer.disconnect();
      await db.close();
    },
  };
}
