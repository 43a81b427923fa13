import { describe, expect, it } from 'vitest';
import { orderedPair, partnerPairs } from './partnership';

describe('the partners of an agreed proposal', () => {
  it('pairs the need with its offer, ordered', () => {
    expect(partnerPairs({ needOrganisationId: 'o2', offerOrganisationIds: ['o1'] })).toEqual([['o1', 'o2']]);
  });

  it('pairs every two parties of a triad once', () => {
    expect(partnerPairs({ needOrganisationId: 'n', offerOrganisationIds: ['p', 'f'] })).toEqual([
      ['n', 'p'],
      ['f', 'n'],
      ['f', 'p'],
    ]);
  });

  it('pairs no organisation with itself', () => {
    expect(partnerPairs({ needOrganisationId: 'o1', offerOrganisationIds: ['o1', 'o2'] })).toEqual([
      ['o1', 'o2'],
    ]);
  });

  it('gives one key to a pair whichever way round', () => {
    expect(orderedPair('b', 'a')).toEqual(orderedPair('a', 'b'));
  });
});
