import { type Admin, AssignerProtocol, type Kafka, type PartitionAssigner, Partitioners } from 'kafkajs';
import { whileSettling } from './kafka';

/**
 * What a service that splits its work across instances by partition needs of Kafka: where a key
 * lands, an assignment that keeps partition i of several topics together, who is in a group, and
 * consumer groups that start at given offsets.
 */

const keyed = Partitioners.DefaultPartitioner();

/**
 * The partition a message with this key goes to among `partitions`, as our producers (and the Java
 * client) choose it: murmur2 of the key (see `connectProducer`).
 */
export function partitionOf(key: string, partitions: number): number {
  return keyed({
    topic: '',
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    })),
    message: { key, value: null },
  });
}

/**
 * Partition i of every subscribed topic goes to the same member (members in id order, partition i
 * to member i mod n): topics keyed alike and with as many partitions (the need topic and matching's
 * command topic) are then split the same way, so whoever reads a need also reads its commands.
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'MutiraoCoPartitioned',
  version: 0,
  async assign({ members, topics }) {
    const sorted = members.map((m) => m.memberId).sort();
    const assignment = new Map<string, Record<string, number[]>>(sorted.map((id) => [id, {}]));
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = assignment.get(sorted[partitionId % sorted.length] as string) as Record<
          string,
          number[]
        >;
        const list = member[topic] ?? [];
        list.push(partitionId);
        member[topic] = list;
      }
    }
    return [...assignment].map(([memberId, a]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: a,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'MutiraoCoPartitioned',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});

async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** How many partitions the topic has. */
export function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  });
}

/** The member ids of the group's current generation (none when it is empty or unknown). */
export function groupMembers(kafka: Kafka, groupId: string): Promise<string[]> {
  return withAdmin(kafka, async (admin) => {
    const { groups } = await whileSettling(() => admin.describeGroups([groupId]));
    return (groups[0]?.members ?? []).map((m) => m.memberId);
  });
}

/** Each partition's next offset, by topic (what a reader that has read everything stands at). */
export type Offsets = Record<string, { partition: number; offset: string }[]>;

/** The end of each partition of the topics now. */
export function topicEnds(kafka: Kafka, topics: readonly string[]): Promise<Offsets> {
  return withAdmin(kafka, async (admin) => {
    const out: Offsets = {};
    for (const topic of topics)
      out[topic] = (await admin.fetchTopicOffsets(topic)).map((p) => ({
        partition: p.partition,
        offset: p.high,
      }));
    return out;
  });
}

/**
 * Commits `offsets` for a group no member has joined yet, so that its first consumer starts there:
 * a reader that loaded the state as of those offsets from elsewhere reads only what came after.
 */
export function startGroupAt(kafka: Kafka, groupId: string, offsets: Offsets): Promise<void> {
  return withAdmin(kafka, async (admin) => {
    for (const [topic, partitions] of Object.entries(offsets))
      if (partitions.length > 0) await whileSettling(() => admin.setOffsets({ groupId, topic, partitions }));
  });
}

/** Forgets a group (a reader of one process's life); quietly does nothing if it cannot. */
export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  try {
    await withAdmin(kafka, (admin) => admin.deleteGroups([groupId]));
  } catch {
    // Kafka forgets an empty group's offsets after offsets.retention.minutes anyway.
  }
}

/**
 * Waits until the group has committed at least `offsets` on every partition: everything published
 * before they were taken has been processed. Rejects after `timeoutMs`.
 */
export async function reachOffsets(
  kafka: Kafka,
  groupId: string,
  offsets: Offsets,
  {
    timeoutMs = 60_000,
    intervalMs = 100,
    signal,
  }: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await withAdmin(kafka, async (admin) => {
    for (;;) {
      signal?.throwIfAborted();
      let behind = 0n;
      for (const [topic, partitions] of Object.entries(offsets)) {
        const [committed] = await whileSettling(() => admin.fetchOffsets({ groupId, topics: [topic] }));
        for (const { partition, offset } of partitions) {
          const c = committed?.partitions.find((p) => p.partition === partition);
          const at = c && c.offset !== '-1' ? BigInt(c.offset) : 0n;
          if (at < BigInt(offset)) behind += BigInt(offset) - at;
        }
      }
      if (behind === 0n) return;
      if (Date.now() > deadline)
        throw new Error(`consumer group ${groupId} still ${behind} messages behind after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  });
}
