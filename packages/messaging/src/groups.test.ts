import { AssignerProtocol, type Cluster, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { coPartitionedAssigner, partitionOf } from './groups';

describe('partitionOf', () => {
  it('is where the producers put the key', () => {
    const producer = Partitioners.DefaultPartitioner();
    const metadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    const keys = Array.from({ length: 200 }, (_, i) => `need-${i}`);
    for (const key of keys)
      expect(partitionOf(key, 3)).toBe(
        producer({ topic: 't', partitionMetadata: metadata, message: { key, value: null } }),
      );
    // Spread over every partition.
    expect(new Set(keys.map((k) => partitionOf(k, 3)))).toEqual(new Set([0, 1, 2]));
  });
});

describe('the co-partitioned assigner', () => {
  const cluster = {
    findTopicPartitionMetadata: (topic: string) =>
      Array.from({ length: topic === 'small' ? 2 : 5 }, (_, partitionId) => ({ partitionId })),
  } as unknown as Cluster;

  async function assign(memberIds: string[], topics: string[]) {
    const assigner = coPartitionedAssigner({ cluster, groupId: 'g', logger: undefined as never });
    const result = await assigner.assign({
      members: memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) })),
      topics,
    });
    return Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)?.assignment,
      ]),
    );
  }

  it('gives partition i of every topic to the same member, every partition once', async () => {
    const a = await assign(['m-b', 'm-a'], ['needs', 'commands', 'small']);
    expect(a).toEqual({
      'm-a': { needs: [0, 2, 4], commands: [0, 2, 4], small: [0] },
      'm-b': { needs: [1, 3], commands: [1, 3], small: [1] },
    });
  });

  it('gives a lone member everything', async () => {
    expect(await assign(['m'], ['needs'])).toEqual({ m: { needs: [0, 1, 2, 3, 4] } });
  });
});
