import { dlqOf, Topics, topicName } from '@mutirao/contracts';
import { createLogger } from '@mutirao/telemetry';
import { eventually, testEnv } from '@mutirao/testing';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BatchGivenBack, consume, consumeBatches, gatherMs, type RunningConsumer } from './consumer';
import { createKafka, ensureTopics } from './kafka';
import { makeEnvelope, publish, publishSerialised } from './publisher';

const env = testEnv();
const logger = createLogger('messaging-test', 'silent');
const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('msg') });
const topic = topicName(Topics.need, env.topicPrefix);
const producer = kafka.producer();
const Greeting = z.object({ text: z.string(), n: z.number().int() });
const schemas = { 'org.mutirao.test.greeting': Greeting };

beforeAll(async () => {
  await ensureTopics(kafka, [topic], 2);
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
});

const greeting = (n: number, subject = `s${n}`) =>
  makeEnvelope({
    type: 'org.mutirao.test.greeting',
    source: 'test',
    subject,
    data: { text: `hello ${n}`, n },
  });

describe('messaging over a real broker', () => {
  it('delivers a published envelope to a consumer group, with key, trace context and validated data', async () => {
    const got: { n: number; subject: string; traceparent?: string }[] = [];
    const c = await consume({
      kafka,
      groupId: env.unique('group'),
      topics: [topic],
      schemas,
      logger,
      handler: async (e) => {
        got.push({
          n: e.data.n,
          subject: e.subject,
          traceparent: e.traceparent,
        });
      },
    });
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await publish(producer, [{ topic, envelope: { ...greeting(1), traceparent } }]);
      await eventually(() => got.length === 1, { what: 'the event' });
      expect(got[0]).toEqual({ n: 1, subject: 's1', traceparent });
    } finally {
      await c.stop();
    }
  });

  it('sends malformed messages to the .dlq twin with the reason and goes on with the next good one', async () => {
    const topic = topicName(Topics.offer, env.topicPrefix);
    await ensureTopics(kafka, [topic], 2);
    const dlqTopic = dlqOf(topic);
    const good: number[] = [];
    const dead: KafkaMessage[] = [];
    let c: RunningConsumer | undefined;
    const dlqConsumer = kafka.consumer({ groupId: env.unique('dlq-reader') });
    await dlqConsumer.connect();
    await dlqConsumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await dlqConsumer.run({ eachMessage: async ({ message }) => void dead.push(message) });
    try {
      c = await consume({
        kafka,
        groupId: env.unique('group'),
        topics: [topic],
        schemas,
        logger,
        handler: async (e) => void good.push(e.data.n),
      });
      const key = 'same-key'; // one partition, so order is observable
      await producer.send({
        topic,
        messages: [
          { key, value: 'this is not json' },
          { key, value: JSON.stringify({ specversion: '1.0', id: 'x' }) },
          { key, value: JSON.stringify({ ...greeting(2, key), data: { text: 42 } }) },
          { key, value: JSON.stringify(greeting(3, key)) },
        ],
      });
      await eventually(() => good.includes(3) && dead.length >= 3, { what: 'good event and 3 dead letters' });
      expect(good).toEqual([3]);
      const reasons = dead.map((m) => m.headers?.['dlq-reason']?.toString() ?? '');
      expect(reasons[0]).toMatch(/^not JSON/);
      expect(reasons[1]).toMatch(/^not a CloudEvents 1.0 envelope: .*source/);
      expect(reasons[2]).toMatch(/^data does not match org\.mutirao\.test\.greeting: text/);
      expect(dead[0]?.value?.toString()).toBe('this is not json');
      expect(dead[0]?.headers?.['dlq-topic']?.toString()).toBe(topic);
    } finally {
      await c?.stop();
      await dlqConsumer.disconnect();
    }
  });

  it('hands over the events of a partition in order and in batches, skipping malformed ones', async () => {
    const topic = topicName(`${Topics.need}.batches`, env.topicPrefix);
    await ensureTopics(kafka, [topic], 2);
    const calls: { partition: number; ns: number[] }[] = [];
    const key = 'one-key'; // one partition, so order is observable
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 300 }, (_, i) => ({ key, value: JSON.stringify(greeting(i, key)) })),
        { key, value: 'not json' },
        ...Array.from({ length: 300 }, (_, i) => ({ key, value: JSON.stringify(greeting(300 + i, key)) })),
      ],
    });
    const c = await consumeBatches({
      kafka,
      groupId: env.unique('group'),
      topics: [topic],
      schemas,
      logger,
      maxBatch: 250,
      handler: async (events, ctx) => {
        calls.push({
          partition: ctx.partition,
          ns: events.map((e) => e.data.n),
        });
      },
    });
    try {
      await eventually(() => calls.flatMap((x) => x.ns).length === 600, { what: 'every good event' });
      expect(calls.flatMap((x) => x.ns)).toEqual(Array.from({ length: 600 }, (_, i) => i));
      expect(new Set(calls.map((x) => x.partition)).size).toBe(1);
      expect(Math.max(...calls.map((x) => x.ns.length))).toBeLessThanOrEqual(250);
      // Fewer calls than events: they came together.
      expect(calls.length).toBeLessThan(20);
    } finally {
      await c.stop();
    }
  });

  it('a gathering consumer takes events sent one by one in a few batches, each within its wait', async () => {
    const topic = topicName(`${Topics.need}.gathered`, env.topicPrefix);
    await ensureTopics(kafka, [topic], 1);
    const calls: { ns: number[]; at: number }[] = [];
    const c = await consumeBatches({
      kafka,
      groupId: env.unique('group'),
      topics: [topic],
      schemas,
      logger,
      gather: true,
      handler: async (events) => {
        calls.push({ ns: events.map((e) => e.data.n), at: Date.now() });
      },
    });
    try {
      // One every 20 ms for a second: a consumer that does not gather takes nearly each alone.
      const sentAt: number[] = [];
      for (let i = 0; i < 50; i++) {
        sentAt.push(Date.now());
        await producer.send({ topic, messages: [{ key: 'k', value: JSON.stringify(greeting(i, 'k')) }] });
        await new Promise((r) => setTimeout(r, 20));
      }
      await eventually(() => calls.flatMap((x) => x.ns).length === 50, { what: 'the 50 events' });
      expect(calls.flatMap((x) => x.ns)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(calls.length).toBeLessThanOrEqual(10);
      // None waited much longer than the gathering wait (the test tiers' long poll, 500 ms).
      const n = calls.flatMap((x) => x.ns.map(() => x.at));
      const waits = sentAt.map((t, i) => (n[i] as number) - t);
      expect(Math.max(...waits)).toBeLessThan(gatherMs() + 1_000);
    } finally {
      await c.stop();
    }
  });

  it('takes a batch given back again from its first event, without retrying it or restarting', async () => {
    const topic = topicName(`${Topics.need}.given-back`, env.topicPrefix);
    await ensureTopics(kafka, [topic], 1);
    const key = 'one-key';
    await producer.send({
      topic,
      messages: Array.from({ length: 5 }, (_, i) => ({ key, value: JSON.stringify(greeting(i, key)) })),
    });
    const calls: number[][] = [];
    let crashes = 0;
    const c = await consumeBatches({
      kafka,
      groupId: env.unique('group'),
      topics: [topic],
      schemas,
      logger,
      handler: async (events) => {
        calls.push(events.map((e) => e.data.n));
        // Thirty times in a row (the partition is moving away, say): far more than the retries a
        // failing handler gets, in place and then by kafkajs, before the consumer crashes.
        if (calls.length <= 30) throw new BatchGivenBack('not this member’s now');
      },
    });
    c.consumer.on(c.consumer.events.CRASH, () => {
      crashes++;
    });
    try {
      await eventually(() => calls.length >= 31, { what: 'the batch taken at last', timeoutMs: 30_000 });
      // The same events every time, none skipped, and the consumer never crashed.
      expect(calls.slice(0, 31)).toEqual(Array.from({ length: 31 }, () => [0, 1, 2, 3, 4]));
      expect(crashes).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it('sends serialised envelopes of more than a megabyte for one partition, in order', async () => {
    const topic = topicName(`${Topics.need}.big`, env.topicPrefix);
    await ensureTopics(kafka, [topic], 2);
    const key = 'one-key';
    const pad = 'x'.repeat(5_000);
    const envelopes = Array.from({ length: 400 }, (_, i) =>
      makeEnvelope({
        type: 'org.mutirao.test.greeting',
        source: 'test',
        subject: key,
        data: { text: pad, n: i },
      }),
    );
    await publishSerialised(
      producer,
      envelopes.map((e) => ({ topic, value: JSON.stringify(e), subject: e.subject, id: e.id, type: e.type })),
    );
    const got: number[] = [];
    const c = await consume({
      kafka,
      groupId: env.unique('group'),
      topics: [topic],
      schemas,
      logger,
      handler: async (e) => void got.push(e.data.n),
    });
    try {
      await eventually(() => got.length === 400, { what: 'every big message' });
      expect(got).toEqual(Array.from({ length: 400 }, (_, i) => i));
    } finally {
      await c.stop();
    }
  });
});
