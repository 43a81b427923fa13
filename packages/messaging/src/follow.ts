import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import {
  type BatchHandler,
  consumeBatches,
  type Position,
  type RunningConsumer,
  type Schemas,
} from './consumer';
import { whileSettling } from './kafka';

/**
 * Where every partition of the topics ends now. A projection loaded from the store after this call
 * holds every event published before it (the outbox writes a change and its events together, and
 * publishes only what is stored), so following from these offsets misses nothing.
 */
export async function endOffsets(kafka: Kafka, topics: readonly string[]): Promise<Position[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: Position[] = [];
    for (const topic of topics)
      for (const p of await whileSettling(() => admin.fetchTopicOffsets(topic)))
        out.push({ topic, partition: p.partition, offset: p.high });
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Where a consumer group stands on the topics: each partition's committed offset, or its first
 * offset where the group has committed none (the group then starts there too). A read model that
 * group writes, loaded after this call, holds at least every event before these offsets (a batch's
 * offsets are committed once its handler has returned).
 */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
): Promise<Position[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: Position[] = [];
    for (const topic of topics) {
      const [ends, [committed]] = await whileSettling(() =>
        Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]),
      );
      for (const p of ends) {
        const c = committed?.partitions.find((x) => x.partition === p.partition)?.offset;
        const usable = c !== undefined && c !== '-1' && BigInt(c) >= BigInt(p.low);
        out.push({ topic, partition: p.partition, offset: usable ? c : p.low });
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

export interface FollowOptions<S extends Schemas> {
  kafka: Kafka;
  /** A group of this instance's own: every partition is then assigned to it. */
  groupId: string;
  /** Where to start on each partition of the topics followed (see endOffsets, committedOffsets). */
  from: readonly Position[];
  schemas: S;
  /** Applies a partition's events; must be idempotent (apply by revision). */
  handler: BatchHandler<S>;
  logger: Logger;
  maxBatch?: number;
  /** See ConsumeOptions.gather. */
  gather?: boolean;
}

/**
 * Follows topics in this instance, every partition of them, from the given offsets: for the
 * in-memory projections each instance of a service keeps (browse catalogs, lists), which must see
 * every other instance's writes, not a share of them as a consumer group's members do.
 *
 * The group is this instance's own and commits nothing: each start seeks to where its projection
 * was loaded, so nothing of the group is needed afterwards. `stop` deletes it; one left by a process
 * that died holds no offsets, and the broker removes such a group once it is empty (at its next
 * offsets-retention check). Should kafkajs restart the consumer after a failure, it has no
 * committed offset to go back to and reads the topics from their beginning: slower, still exact,
 * since the handler applies by revision.
 */
export async function follow<S extends Schemas>(opts: FollowOptions<S>): Promise<RunningConsumer> {
  const topics = [...new Set(opts.from.map((p) => p.topic))];
  const running = await consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics,
    schemas: opts.schemas,
    handler: opts.handler,
    logger: opts.logger,
    fromBeginning: true,
    commit: false,
    startAt: opts.from,
    ...(opts.maxBatch !== undefined ? { maxBatch: opts.maxBatch } : {}),
    ...(opts.gather ? { gather: true } : {}),
  });
  return {
    consumer: running.consumer,
    async stop() {
      await running.stop();
      const admin = opts.kafka.admin();
      try {
        await admin.connect();
        await admin.deleteGroups([opts.groupId]);
      } catch (err) {
        // Already gone (a group without offsets may be removed as soon as it empties): nothing left.
        opts.logger.debug({ err, groupId: opts.groupId }, 'follower group not deleted');
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
}
