import { describe, expect, it } from 'vitest';
import { PostingTable } from './posting-table';
import { Dice, random } from './testing/random-world';

interface Item {
  readonly id: string;
  readonly keys: readonly string[];
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('PostingTable lookups', () => {
  it('give every item filed under any of the keys once, in slot order, lookup after lookup', () => {
    const dice = new Dice(random(7));
    const table = new PostingTable<Item>((item) => item.keys);
    const live = new Map<string, Item>();
    // A small first buffer, so that lookups must grow it; slots past 32 × a few words, and holes.
    let buffer: Int32Array = new Int32Array(4);
    for (let round = 0; round < 300; round++) {
      for (let i = 0; i < 20; i++) {
        const item = { id: `i${dice.int(0, 400)}`, keys: dice.some(KEYS, 3) };
        if (dice.chance(0.2)) {
          table.remove(item.id);
          live.delete(item.id);
        } else if (table.put(item) >= 0) live.set(item.id, item);
        else live.delete(item.id);
      }
      const asked = dice.some(KEYS, 4, 1);
      const { slots, count } = table.collectSlots(asked, buffer);
      buffer = slots;
      const got = Array.from(slots.subarray(0, count));
      const expected = [...live.values()]
        .filter((item) => item.keys.some((k) => asked.includes(k)))
        .map((item) => table.slotOf(item.id) as number)
        .sort((x, y) => x - y);
      expect(got).toEqual(expected);
    }
    expect(live.size).toBeGreaterThan(100);
  });

  it('find nothing under keys nobody used, and no item twice when it is under several', () => {
    const table = new PostingTable<Item>((item) => item.keys);
    table.put({ id: 'x', keys: ['a', 'b'] });
    table.put({ id: 'y', keys: ['b'] });
    expect(table.collectSlots(['zz'], new Int32Array(8)).count).toBe(0);
    const { slots, count } = table.collectSlots(['a', 'b', 'a'], new Int32Array(1));
    expect(Array.from(slots.subarray(0, count))).toEqual([table.slotOf('x'), table.slotOf('y')]);
  });
  it('give the same across several dimensions as the keys they make, through packing and lists that move', () => {
    const dice = new Dice(random(11));
    const parts = ['a', 'b', 'c', 'd'];
    const table = new PostingTable<{ readonly id: string; readonly keys: readonly (readonly string[])[] }>(
      (item) => item.keys,
    );
    const live = new Map<string, readonly (readonly string[])[]>();
    let buffer: Int32Array = new Int32Array(4);
    for (let round = 0; round < 400; round++) {
      for (let i = 0; i < 25; i++) {
        const id = `i${dice.int(0, 600)}`;
        const keys = Array.from({ length: dice.int(0, 3) }, () =>
          Array.from({ length: dice.int(1, 3) }, () => dice.pick(parts)),
        );
        if (dice.chance(0.25)) {
          table.remove(id);
          live.delete(id);
        } else if (table.put({ id, keys }) >= 0) live.set(id, keys);
        else live.delete(id);
      }
      if (round % 100 === 50) table.pack();
      const dimensions = Array.from({ length: dice.int(1, 3) }, () => [...dice.some(parts, 3, 1), 'unknown']);
      const { slots, count } = table.collectAcross(dimensions, buffer);
      buffer = slots;
      const expected = [...live]
        .filter(([, keys]) =>
          keys.some((k) => k.length === dimensions.length && k.every((p, d) => dimensions[d]?.includes(p))),
        )
        .map(([id]) => table.slotOf(id) as number)
        .sort((x, y) => x - y);
      expect(Array.from(slots.subarray(0, count))).toEqual(expected);
    }
    const entries = [...live.values()].reduce((n, keys) => n + new Set(keys.map((k) => k.join('|'))).size, 0);
    expect(table.stats().entries).toBe(entries);
  });
});
