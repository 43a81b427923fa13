import { describe, expect, it } from 'vitest';
import { keyedSerial } from './serial';

describe('keyed serial execution', () => {
  it('runs tasks of one key one at a time, in order, and other keys alongside; a failure does not block the next', async () => {
    const serial = keyedSerial();
    const log: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      serial('a', task('a1', 30, true)),
      serial('a', task('a2', 5)),
      serial('b', task('b1', 5)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a2:start')).toBeGreaterThan(log.indexOf('a1:end'));
    expect(log.indexOf('b1:start')).toBeLessThan(log.indexOf('a1:end'));
  });
});
