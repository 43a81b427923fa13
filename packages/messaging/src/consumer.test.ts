import { describe, expect, it } from 'vitest';
import { longPollMs } from './consumer';

describe('KAFKA_MAX_WAIT_MS', () => {
  it('is 5 s unless set, and the number of milliseconds given otherwise', () => {
    expect(longPollMs({})).toBe(5_000);
    expect(longPollMs({ KAFKA_MAX_WAIT_MS: '' })).toBe(5_000);
    expect(longPollMs({ KAFKA_MAX_WAIT_MS: '500' })).toBe(500);
  });

  it('refuses what is not a whole number of milliseconds from 10 to 60000, naming the setting', () => {
    for (const bad of ['abc', '1.5', '0', '5', '60001', '-100'])
      expect(() => longPollMs({ KAFKA_MAX_WAIT_MS: bad }), bad).toThrow(/KAFKA_MAX_WAIT_MS .*not/);
  });
});
