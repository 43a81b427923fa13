import { CloudEvent, dlqOf, type TypedCloudEvent } from '@mutirao/contracts';
import { contextFromTraceparent, currentTraceparent, inSpan, type Logger, linkOf } from '@mutirao/telemetry';
import { SpanKind } from '@opentelemetry/api';
import {
  type Consumer,
  type Kafka,
  type KafkaMessage,
  type PartitionAssigner,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { z } from 'zod';

export interface HandlerContext {
  topic: string;
  partition: number;
  offset: string;
  /**
   * Tells the group this member is alive: a handler that waits a long time (more than the session
   * timeout, 10 s) calls it now and then, or the group takes its partitions away. Throws when the
   * group is rebalancing (the batch is then left uncommitted).
   */
  heartbeat?: () => Promise<void>;
}

/** The data schema of each event type a consumer understands. */
export type Schemas = Record<string, z.ZodType>;
/** An event whose data one of the schemas accepted, typed as their union. */
export type EventOf<S extends Schemas> = TypedCloudEvent<z.infer<S[keyof S]>>;

export type EventHandler<S extends Schemas = Schemas> = (
  event: EventOf<S>,
  ctx: HandlerContext,
) => Promise<void>;

export interface ConsumeOptions<S extends Schemas = Schemas> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** The data schema of each event type this consumer understands. */
  schemas: S;
  handler: EventHandler<S>;
  logger: Logger;
  fromBeginning?: boolean;
  /** Retries of a failing handler before the consumer gives up on the batch (and restarts). */
  handlerRetries?: number;
  /** How the group splits partitions among its members (kafkajs's round robin by default). */
  partitionAssigners?: PartitionAssigner[];
  /**
   * For consumers off a user's path (notifications, follow-up, read models of other services):
   * the broker holds each fetch until `GATHER_BYTES` of records have come or `gatherMs()` has
   * passed, so that under load events come in fewer, larger batches (fewer fetches, fewer writes
   * per event) at the cost of up to that wait when traffic is light. Default false: a record is
   * delivered as soon as it is appended.
   */
  gather?: boolean;
  /**
   * Called each time this member has joined the group, with the partitions it now reads. Every
   * batch of the previous assignment has been handled by then (kafkajs rejoins only after).
   */
  onGroupJoin?: (join: GroupJoin) => void;
}

export interface GroupJoin {
  memberId: string;
  /** Partitions by topic. */
  assignment: Record<string, number[]>;
}

export interface RunningConsumer {
  consumer: Consumer;
  stop(): Promise<void>;
}

type Verdict = { ok: true; event: TypedCloudEvent<unknown> } | { ok: false; reason: string } | { ok: 'skip' };

/** Where the handling of each delivered event continues its trace from (see `traceOf`). */
const continuedFrom = new WeakMap<object, string>();

/**
 * The `traceparent` a handler continues an event's trace from, in a span of its own for that event
 * (`inSpan` of @mutirao/telemetry): the consumer's span when the event was handed over alone; else
 * the span that sent its message (the `traceparent` header, which kafkajs's instrumentation sets
 * to its `send` span); else the envelope's own. Any event works: one not delivered by `consume` has
 * its envelope's.
 */
export function traceOf(event: Pick<CloudEvent, 'traceparent'>): string | undefined {
  return continuedFrom.get(event) ?? event.traceparent;
}

const headerText = (v: Buffer | string | (Buffer | string)[] | undefined): string | undefined =>
  typeof v === 'string' || Buffer.isBuffer(v) ? v.toString() : undefined;

/** Parses and validates one message: envelope, then the data schema of its type. */
export function parseMessage(message: KafkaMessage, schemas: Record<string, z.ZodType>): Verdict {
  if (!message.value) return { ok: false, reason: 'empty message value' };
  // Our producers name the type in a header: a type this consumer does not read is skipped unparsed
  // (the proposal topic carries every proposal's events; the exchange reads the agreed ones only).
  const declared = message.headers?.ce_type?.toString();
  if (declared !== undefined && !Object.hasOwn(schemas, declared)) return { ok: 'skip' };
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const envelope = CloudEvent.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: `not a CloudEvents 1.0 envelope: ${describeIssues(envelope.error)}` };
  }
  const schema = schemas[envelope.data.type];
  // A type we do not know may come from a newer producer: not ours to judge, so skip it.
  if (!schema) return { ok: 'skip' };
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    return { ok: false, reason: `data does not match ${envelope.data.type}: ${describeIssues(data.error)}` };
  }
  return { ok: true, event: { ...envelope.data, data: data.data } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

async function sendToDlq(
  producer: Producer,
  topic: string,
  partition: number,
  message: KafkaMessage,
  reason: string,
): Promise<void> {
  await producer.send({
    topic: dlqOf(topic),
    acks: -1,
    messages: [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'dlq-reason': reason,
          'dlq-topic': topic,
          'dlq-partition': String(partition),
          'dlq-offset': message.offset,
          'dlq-at': new Date().toISOString(),
        },
      },
    ],
  });
}

/**
 * Thrown by a batch handler that cannot handle its batch here and now (its partition is being taken
 * away from this member): the batch is given back, its offsets neither resolved nor committed, with
 * no retry and no restart of the consumer; the partition's next fetch (here or at its next reader)
 * starts with it again.
 */
export class BatchGivenBack extends Error {
  override readonly name = 'BatchGivenBack';
}

/**
 * kafkajs's errors that mean the group is rebalancing or this member's generation is over: a retry
 * cannot succeed, and every second spent on one delays the rebalance for the whole group.
 */
const REBALANCING = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR',
]);
const rebalancing = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && REBALANCING.has(String((err as { type?: unknown }).type));

/** Events of one partition, in order, handed over together. */
export type BatchHandler<S extends Schemas = Schemas> = (
  events: EventOf<S>[],
  ctx: HandlerContext,
) => Promise<void>;

export interface ConsumeBatchesOptions<S extends Schemas = Schemas>
  extends Omit<ConsumeOptions<S>, 'handler'> {
  handler: BatchHandler<S>;
  /** The most events handed to one call (default 500). */
  maxBatch?: number;
  /**
   * False: no offset is ever committed (a follower's group of its own, see follow.ts). Default true.
   */
  commit?: boolean;
  /** Where to read each partition from, once the consumer runs (`consumer.seek`). */
  startAt?: readonly Position[];
}

/** An offset of one partition of a topic. */
export interface Position {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Consumes with a consumer group. Malformed messages go to the topic's `.dlq` twin with the
 * reason and the consumer moves on; a handler that keeps failing (a database outage, say) is
 * retried, then the error propagates so kafkajs restarts the consumer from the uncommitted offset:
 * nothing is lost, and handlers are idempotent (apply by revision).
 */
export async function consume<S extends Schemas>(opts: ConsumeOptions<S>): Promise<RunningConsumer> {
  const { handler, ...rest } = opts;
  return consumeBatches({
    ...rest,
    maxBatch: 1,
    handler: async (events, ctx) => {
      for (const e of events) await handler(e, ctx);
    },
  });
}

/**
 * How long a fetch waits on the broker for records (kafkajs's `maxWaitTimeInMs`): `KAFKA_MAX_WAIT_MS`,
 * 5 s by default. A record is delivered as soon as it is appended whatever this is; it sets how often
 * an idle consumer asks again (each ask costs an idle system CPU) and how long stopping a consumer
 * waits for the fetch in flight. The test tiers use 500 ms: their many short-lived consumers each
 * waited out 5 s when they stopped.
 */
export function longPollMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KAFKA_MAX_WAIT_MS;
  if (raw === undefined || raw === '') return 5_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 10 || ms > 60_000)
    throw new Error(`KAFKA_MAX_WAIT_MS must be a whole number of milliseconds from 10 to 60000, not ${raw}`);
  return ms;
}

/** What a gathering consumer's fetch waits for on the broker (see `gather`): 128 KiB of records… */
export const GATHER_BYTES = 128 * 1024;

/** …or this long: the long poll, at most 1 s. */
export function gatherMs(env: NodeJS.ProcessEnv = process.env): number {
  return Math.min(longPollMs(env), 1_000);
}

/**
 * `consume`, with the valid events of each fetched batch handed over together (up to `maxBatch`,
 * in partition order), so that a handler writes them in bulk. The offsets of a call's messages are
 * committed once it returns; a crash redelivers from the last call that did not.
 */
export async function consumeBatches<S extends Schemas>(
  opts: ConsumeBatchesOptions<S>,
): Promise<RunningConsumer> {
  const { kafka, logger } = opts;
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    ...(opts.gather
      ? { minBytes: GATHER_BYTES, maxWaitTimeInMs: gatherMs() }
      : { maxWaitTimeInMs: longPollMs() }),
    // A consumer that died is noticed after 10 s; a live one says so every 3 s (kafkajs's default
    // interval: every wake-up costs an idle system CPU).
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    ...(opts.partitionAssigners ? { partitionAssigners: opts.partitionAssigners } : {}),
  });
  const onGroupJoin = opts.onGroupJoin;
  if (onGroupJoin)
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      onGroupJoin({ memberId: payload.memberId, assignment: payload.memberAssignment }),
    );
  // Connected at the first dead letter only: an idle connection costs wake-ups for nothing.
  let dlq: Promise<Producer> | undefined;
  const dlqProducer = () => {
    dlq ??= (async () => {
      const p = kafka.producer({
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await p.connect();
      return p;
    })().catch((err: unknown) => {
      dlq = undefined;
      throw err;
    });
    return dlq;
  };
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning ?? true });
  const retries = opts.handlerRetries ?? 3;
  const maxBatch = Math.max(1, opts.maxBatch ?? 500);

  // One event: its span continues the event's trace. A batch: a span of its own, linked to each
  // event's; handlers continue each event's trace from `traceOf(event)`.
  // One event: its span continues the event's trace. A batch: a span of its own, linked to each
  // event's; handlers continue each event's trace from `traceOf(event)`.
  const handle = async (events: EventOf<S>[], ctx: HandlerContext): Promise<void> => {
    const first = events[0];
    const alone = events.length === 1 ? first : undefined;
    await inSpan(
      '@mutirao/messaging',
      `${ctx.topic} process`,
      contextFromTraceparent(alone ? traceOf(alone) : undefined),
      async (span) => {
        if (alone) {
          span.setAttribute('messaging.message.id', alone.id);
          span.setAttribute('cloudevents.event_type', alone.type);
          const own = currentTraceparent();
          if (own) continuedFrom.set(alone, own);
        }
        span.setAttribute('messaging.batch.message_count', events.length);
        for (let attempt = 0; ; attempt++) {
          try {
            await opts.handler(events, ctx);
            return;
          } catch (err) {
            if (attempt >= retries || err instanceof BatchGivenBack || rebalancing(err)) throw err;
            logger.warn(
              { err, attempt, events: events.length, first: first?.id },
              'handler failed; retrying',
            );
            await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
          }
        }
      },
      { kind: SpanKind.CONSUMER, links: alone ? [] : events.flatMap((e) => linkOf(traceOf(e))) },
    );
  };

  const commit = opts.commit ?? true;
  await consumer.run({
    autoCommit: commit,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const { topic, partition } = batch;
      for (let start = 0; start < batch.messages.length; start += maxBatch) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + maxBatch);
        const events: EventOf<S>[] = [];
        for (const message of chunk) {
          const verdict = parseMessage(message, opts.schemas);
          if (verdict.ok === 'skip') continue;
          if (verdict.ok === false) {
            logger.warn(
              { topic, partition, offset: message.offset, reason: verdict.reason },
              'message sent to DLQ',
            );
            await sendToDlq(await dlqProducer(), topic, partition, message, verdict.reason);
            continue;
          }
          // parseMessage checked the data against the schema of its type.
          events.push(verdict.event as EventOf<S>);
          const sent = headerText(message.headers?.traceparent);
          if (sent) continuedFrom.set(verdict.event, sent);
        }
        const last = chunk[chunk.length - 1] as KafkaMessage;
        if (events.length > 0) {
          try {
            await handle(events, { topic, partition, offset: last.offset, heartbeat });
          } catch (err) {
            if (!(err instanceof BatchGivenBack)) throw err;
            logger.debug(
              { topic, partition, offset: chunk[0]?.offset, reason: err.message },
              'batch given back',
            );
            // Should the partition still be fetched here, not at once again.
            await new Promise((r) => setTimeout(r, 100));
            return;
          }
        }
        resolveOffset(last.offset);
        await heartbeat();
        if (commit) await commitOffsetsIfNecessary();
      }
    },
  });
  // kafkajs applies a seek before its next fetch and drops what a fetch already under way brings
  // for that partition, so nothing after the position is skipped.
  for (const p of opts.startAt ?? []) consumer.seek(p);

  return {
    consumer,
    async stop() {
      await consumer.disconnect();
      if (dlq) await (await dlq.catch(() => undefined))?.disconnect();
    },
  };
}

/**
 * How many messages of the topics the group has not committed yet (the sum over partitions of the
 * end offset less the committed one): 0 once everything published before the call was processed.
 */
export async function consumerLag(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0n;
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const end of ends) {
        const c = committed?.partitions.find((p) => p.partition === end.partition);
        const at = c && c.offset !== '-1' ? BigInt(c.offset) : 0n;
        if (at < BigInt(end.high)) lag += BigInt(end.high) - at;
      }
    }
    return Number(lag);
  } finally {
    await admin.disconnect();
  }
}

/**
 * True once the group's committed offsets have reached the end offsets of every partition of
 * the topics: everything published before the call has been processed.
 */
export async function caughtUp(kafka: Kafka, groupId: string, topics: string[]): Promise<boolean> {
  return (await consumerLag(kafka, groupId, topics)) === 0;
}
