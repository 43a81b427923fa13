import { describe, expect, it } from 'vitest';
import { KeyedLocks } from './locks';

describe('keyed locks', () => {
  const task =
    (log: string[], name: string, ms: number, fail = false) =>
    async () => {
      log.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}:end`);
      if (fail) throw new Error(name);
      return name;
    };

  it('runs tasks of one key one at a time, in order, and other keys alongside; a failure does not block the next', async () => {
    const locks = new KeyedLocks();
    const log: string[] = [];
    const results = await Promise.allSettled([
      locks.with('a', task(log, 'a1', 30, true)),
      locks.with('a', task(log, 'a2', 5)),
      locks.with('b', task(log, 'b1', 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a2:start')).toBeGreaterThan(log.indexOf('a1:end'));
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'));
    expect(locks.size).toBe(0);
  });

  it('holds several keys at once without two holders of overlapping sets waiting on each other', async () => {
    const locks = new KeyedLocks();
    const log: string[] = [];
    await Promise.all([
      locks.withAll(['x', 'y'], task(log, 'xy', 20)),
      locks.withAll(['y', 'x'], task(log, 'yx', 5)),
      locks.with('x', task(log, 'x', 5)),
    ]);
    // Each ran alone: no start between another's start and end.
    for (const name of ['xy', 'yx', 'x']) {
      const start = log.indexOf(`${name}:start`);
      expect(log[start + 1]).toBe(`${name}:end`);
    }
    expect(locks.size).toBe(0);
  });
});
