import { describe, expect, it } from 'vitest';
import { PROBE_MAX_MS, ServerBreaker } from './breaker';

describe('the SMTP server breaker', () => {
  const mid = () => 0.5;

  it('starts not knowing, and knows once the server answers', () => {
    const b = new ServerBreaker({ baseMs: 5_000, maxMs: 600_000 }, mid);
    expect(b.state).toBe('unknown');
    expect(b.waiting(0)).toBe(false);
    expect(b.up()).toBe(true);
    expect(b.up()).toBe(false);
  });

  it('probes a server that is down at a doubling interval, never more than PROBE_MAX_MS apart', () => {
    const b = new ServerBreaker({ baseMs: 2_000, maxMs: 600_000 }, mid);
    let now = 1_000_000;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const at = b.down(now);
      waits.push(at - now);
      expect(b.waiting(at - 1)).toBe(true);
      expect(b.waiting(at)).toBe(false);
      now = at;
    }
    expect(waits).toEqual([2_000, 4_000, PROBE_MAX_MS, PROBE_MAX_MS, PROBE_MAX_MS, PROBE_MAX_MS]);
    expect(PROBE_MAX_MS).toBe(5_000);
  });

  it('keeps within the mails’ own ceiling when it is lower', () => {
    const b = new ServerBreaker({ baseMs: 500, maxMs: 3_000 }, mid);
    expect([1, 2, 3, 4, 5].map(() => b.down(0))).toEqual([500, 1_000, 2_000, 3_000, 3_000]);
  });

  it('says, once the server is back, that what waited for it may go; a later failure starts over', () => {
    const b = new ServerBreaker({ baseMs: 1_000, maxMs: 60_000 }, mid);
    b.down(0);
    b.down(1_000);
    expect(b.up()).toBe(true);
    expect(b.state).toBe('up');
    expect(b.waiting(1_500)).toBe(false);
    expect(b.down(10_000)).toBe(11_000);
  });
});
