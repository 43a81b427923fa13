import { createLogger } from '@mutirao/telemetry';
import { describe, expect, it } from 'vitest';
import type { PartitionHolders } from '../store/partitions';
import { NeedPartitions } from './ownership';
import { Rebalancer } from './rebalance';

const logger = createLogger('rebalance-test', 'silent');
const tick = () => new Promise((r) => setTimeout(r, 5));

/** The holders collection in memory, shared by the instances of a test. */
class Holders {
  readonly held = new Map<number, string | null>();
  async holderOf(p: number) {
    return this.held.get(p) ?? null;
  }
  async take(p: number, holder: string) {
    this.held.set(p, holder);
  }
  async release(p: number, holder: string) {
    if (this.held.get(p) === holder) this.held.set(p, null);
  }
  get store() {
    return this as unknown as PartitionHolders;
  }
}

/** One instance: its partitions (need ids are `n<partition>-…`), and what it did, in order. */
function instance(holders: Holders, members: () => string[]) {
  const partitions = new NeedPartitions(4, (id) => Number(id.slice(1, 2)));
  const log: string[] = [];
  const rebalancer = new Rebalancer({
    partitions,
    holders: holders.store,
    members: async () => members(),
    catchUp: async () => void log.push('catch-up'),
    relaySettled: async () => void log.push('relay settled'),
    drop: async (p) => void log.push(`drop ${p}`),
    take: async (p) => void log.push(`take ${p}`),
    logger,
  });
  return { partitions, rebalancer, log };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 400 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

describe('moving need partitions between instances', () => {
  it('takes free partitions after catching up, and writes their needs only then', async () => {
    const holders = new Holders();
    const a = instance(holders, () => ['a']);
    expect(await a.partitions.whenHeld(1)).toBe(false);
    a.rebalancer.assigned('a', [0, 1]);
    // Its batches, fetched at once, wait for it.
    const waiting = a.partitions.whenHeld(1);
    expect(a.partitions.owns('n1-x')).toBe(false);
    expect(await waiting).toBe(true);
    expect(a.log).toEqual(['catch-up', 'take 0', 'take 1']);
    expect(a.partitions.owns('n1-x')).toBe(true);
    expect(a.partitions.owns('n2-x')).toBe(false);
    expect([...holders.held]).toEqual([
      [0, 'a'],
      [1, 'a'],
    ]);
  });

  it('hands a partition over only once the old owner has finished its work and released it', async () => {
    const holders = new Holders();
    const members = ['a', 'b'];
    const a = instance(holders, () => members);
    const b = instance(holders, () => members);
    a.rebalancer.assigned('a', [0, 1]);
    await until(() => a.partitions.owns('n1-x'));

    // A's work under way on partition 1 when the group gives it to B.
    let finish = () => {};
    const work = a.partitions.work(() => new Promise<void>((r) => (finish = r)));
    b.rebalancer.assigned('b', [1]);
    a.rebalancer.assigned('a', [0]);
    await until(() => !a.partitions.owns('n1-x'));
    await tick();
    // A writes partition 1 no more, but has not released it: B waits.
    expect(a.log).not.toContain('drop 1');
    expect(b.log).toEqual([]);
    expect(b.partitions.owns('n1-x')).toBe(false);

    finish();
    await work;
    await until(() => b.partitions.owns('n1-x'));
    expect(a.log.slice(-2)).toEqual(['relay settled', 'drop 1']);
    expect(b.log).toEqual(['catch-up', 'take 1']);
    expect(holders.held.get(1)).toBe('b');
    expect(a.partitions.owns('n0-x')).toBe(true);
  });

  it('takes a partition from a holder that left the group without releasing it (it died)', async () => {
    const holders = new Holders();
    holders.held.set(2, 'dead');
    const members = ['dead', 'c'];
    const c = instance(holders, () => members);
    c.rebalancer.assigned('c', [2]);
    await tick();
    await tick();
    expect(c.partitions.owns('n2-x')).toBe(false);
    members.shift();
    await until(() => c.partitions.owns('n2-x'));
    expect(holders.held.get(2)).toBe('c');
  });

  it('releases everything at an orderly stop', async () => {
    const holders = new Holders();
    const a = instance(holders, () => ['a']);
    a.rebalancer.assigned('a', [0, 3]);
    await until(() => a.partitions.owns('n3-x'));
    await a.rebalancer.stop();
    expect(a.partitions.owns('n0-x') || a.partitions.owns('n3-x')).toBe(false);
    expect([...holders.held.values()]).toEqual([null, null]);
    expect(await a.partitions.whenHeld(0)).toBe(false);
  });
});
