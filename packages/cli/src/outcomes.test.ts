import { mulberry32 } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { demoIndicators } from './outcomes';

describe('the demo outcome figures', () => {
  it('fit the need type and grow with the period', () => {
    const rnd = mulberry32(7);
    const training = demoIndicators('capacity-building', rnd);
    expect(training.peopleTrained).toBeGreaterThanOrEqual(15);
    const market = demoIndicators('market-access', rnd);
    expect(market.marketsGained).toBeGreaterThanOrEqual(1);
    const later = demoIndicators('technology', mulberry32(1), 2);
    const first = demoIndicators('technology', mulberry32(1), 1);
    expect(later.membersReached).toBeGreaterThan(first.membersReached);
    for (const f of [training, market, later])
      for (const v of Object.values(f)) expect(Number.isInteger(v) && v >= 0).toBe(true);
  });
});
