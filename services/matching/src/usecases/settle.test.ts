import { createLogger } from '@mutirao/telemetry';
import { describe, expect, it, vi } from 'vitest';
import type { PendingLog } from './settle';
import { noPendingChanges, SettleQueue } from './settle';

/** A queue whose ranking records each chunk and, on its first call, lets `during` mark more needs. */
function queue(during?: (q: SettleQueue) => void) {
  const chunks: string[][] = [];
  let q: SettleQueue | undefined;
  q = new SettleQueue({
    pending: noPendingChanges,
    logger: createLogger('settle-test', 'silent'),
    settleMs: 1_000_000,
    maxDelayMs: 1_000_000,
    rank: async (ids) => {
      if (chunks.length === 0 && during && q) during(q);
      chunks.push([...ids]);
    },
  });
  return { q, chunks };
}

const backlogOf = (n: number) => Array.from({ length: n }, (_, i) => `old-${i}`);

describe('the settle queue', () => {
  it('ranks needs a change marked before the backlog of a takeover, whatever the order of marking', async () => {
    const { q, chunks } = queue();
    for (const id of backlogOf(120)) q.markLater(id);
    q.markDirty('fresh-1');
    q.markDirty('fresh-2');
    expect(q.needsWaiting()).toBe(122);
    await q.flush();
    expect(chunks[0]).toEqual(['fresh-1', 'fresh-2']);
    expect(chunks.slice(1).flat()).toEqual(backlogOf(120));
    expect(q.idle()).toBe(true);
  });

  it('ranks a need posted while the backlog is being ranked before the rest of the backlog', async () => {
    const { q, chunks } = queue((queue) => queue.markDirty('posted-meanwhile'));
    for (const id of backlogOf(200)) q.markLater(id);
    await q.flush();
    // The first backlog chunk was under way; the fresh need comes right after it.
    expect(chunks[1]).toEqual(['posted-meanwhile']);
    expect(chunks.flat().filter((id) => id.startsWith('old-'))).toEqual(backlogOf(200));
  });

  it('ranks a need once when both a change and the backlog mark it', async () => {
    const { q, chunks } = queue();
    q.markLater('n-1');
    q.markDirty('n-1');
    q.markLater('n-1');
    q.markLater('n-2');
    expect(q.needsWaiting()).toBe(2);
    await q.flush();
    expect(chunks).toEqual([['n-1'], ['n-2']]);
  });

  it('forgets backlog needs of a partition that moved away', async () => {
    const { q, chunks } = queue();
    for (const id of ['a-1', 'b-1', 'a-2']) q.markLater(id);
    q.markDirty('a-3');
    await q.forget((id) => id.startsWith('a-'));
    expect(q.waiting('a-1')).toBe(false);
    expect(q.waiting('b-1')).toBe(true);
    await q.flush();
    expect(chunks.flat()).toEqual(['b-1']);
  });

  it('removes the pending changes of changes that come one after another together, once per interval', async () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const removed: number[] = [];
      const pending: PendingLog = {
        ...noPendingChanges,
        removeUpTo: async (upTo) => void removed.push(upTo),
      };
      const ranked: string[] = [];
      const waited: number[] = [];
      const came = new Map<string, number>();
      const q = new SettleQueue({
        pending,
        logger: createLogger('settle-test', 'silent'),
        settleMs: 5,
        maxDelayMs: 50,
        clearEveryMs: 250,
        elapsed: () => now,
        rank: async (ids) => {
          ranked.push(...ids);
          for (const id of ids) waited.push(now - (came.get(id) ?? now));
        },
      });
      const tick = async (ms: number) => {
        for (let i = 0; i < ms; i++) {
          now += 1;
          await vi.advanceTimersByTimeAsync(1);
        }
      };
      // A need every 10 ms for 400 ms, each ranked on its own 5 ms after it came.
      for (let i = 0; i < 40; i++) {
        came.set(`n-${i}`, now);
        await q.tracked('need', [`n-${i}`], async () => q.markDirty(`n-${i}`));
        await tick(10);
      }
      await tick(300);
      expect(ranked).toHaveLength(40);
      // Each still settled first, though pending records waited to be removed meanwhile.
      expect(Math.min(...waited)).toBe(5);
      // Every change's pending record is gone, in a removal every 250 ms, not one per ranking.
      expect(removed.at(-1)).toBe(40);
      expect(removed.length).toBeGreaterThanOrEqual(2);
      expect(removed.length).toBeLessThanOrEqual(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
