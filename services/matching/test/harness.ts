import { type CloudEvent, topicName } from '@mutirao/contracts';
import { createVerifier } from '@mutirao/http';
import {
  connectProducer,
  consume,
  createKafka,
  ensureTopics,
  makeEnvelope,
  publish,
  type TrackedProducer,
} from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { type TestIssuer, testEnv, testIssuer } from '@mutirao/testing';
import type { Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import type { z } from 'zod';
import { createMatching, type Matching } from '../src/matching';

/**
 * The matching service as main.ts wires it, on the run's real Kafka and store, for integration
 * tests that drive it through its topics and its HTTP app: one per test file (its own database,
 * topics and consumer groups). `setUp` in `beforeAll`, `tearDown` in `afterAll`.
 */
export function matchingTestbed(label: string) {
  const env = testEnv();
  const logger = createLogger(label, 'silent');
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique(label) });
  const t = (topic: string) => topicName(topic, env.topicPrefix);
  const group = env.unique('matching');
  let db: Connection | undefined;
  let serviceProducer: TrackedProducer | undefined;
  let producer: Producer | undefined;
  let issuer: TestIssuer | undefined;
  let latest: Matching | undefined;
  const stops: (() => Promise<void>)[] = [];
  const ready = () => {
    if (!db || !serviceProducer || !producer || !issuer) throw new Error('matchingTestbed: setUp first');
    return { db, serviceProducer, producer, issuer };
  };

  return {
    env,
    logger,
    kafka,
    t,
    /** Creates the topics, connects the store and both producers; resolves with what tests use. */
    async setUp(topics: readonly string[]): Promise<{ issuer: TestIssuer; producer: Producer }> {
      issuer = await testIssuer();
      db = await connectMongo(env.mongoUrl, env.dbName);
      await ensureTopics(
        kafka,
        topics.map((x) => t(x)),
      );
      serviceProducer = await connectProducer(kafka);
      producer = kafka.producer();
      await producer.connect();
      return { issuer, producer };
    },
    /**
     * Starts the service on `now`'s clock, always in the same consumer group (a restart continues
     * where the last instance stopped), once its consumer has joined.
     */
    async start(now: () => Date): Promise<Matching> {
      const { db, serviceProducer, issuer } = ready();
      const m = createMatching({
        db,
        kafka,
        producer: serviceProducer.producer,
        producerConnected: serviceProducer.connected,
        databaseConnected: () => isConnected(db),
        verify: createVerifier({ jwks: issuer.jwks }),
        logger,
        now,
        topicPrefix: env.topicPrefix,
        consumerGroup: group,
      });
      await (await m.start()).consumer;
      latest = m;
      return m;
    },
    /** Publishes one event per item, each with the item as `data[field]` and its id as subject. */
    async emit<T extends { id: string }>(
      topic: string,
      type: string,
      items: readonly T[],
      field: string,
    ): Promise<void> {
      await publish(
        ready().producer,
        items.map((x) => ({
          topic: t(topic),
          envelope: makeEnvelope({ type, source: 'test', subject: x.id, data: { [field]: x } }),
        })),
      );
    },
    /** Collects every event of the topic into `into`, from its start. */
    async read(topic: string, schemas: Record<string, z.ZodType>, into: CloudEvent[]): Promise<void> {
      const c = await consume({
        kafka,
        groupId: env.unique('reader'),
        topics: [t(topic)],
        schemas,
        logger,
        handler: async (e) => void into.push(e),
      });
      stops.push(c.stop);
    },
    /** Stops the readers, the last service started, the producers and the store connection. */
    async tearDown(): Promise<void> {
      for (const stop of stops) await stop();
      await producer?.disconnect();
      await latest?.stop();
      await serviceProducer?.producer.disconnect();
      await db?.close();
    },
  };
}
