import { describe, expect, it } from 'vitest';
import { FunderStream } from './funders';
import { OfferColumns } from './offer-columns';
import { NeedProfile, scorePair } from './score';
import { Dice, random, randomWorld, WORLD_NOW } from './testing/random-world';
import { FUNDER_RULES, passes, wantsTriad } from './triad-rules';

/**
 * The stream must hand out exactly the funders that pass the funder rules, in the order of their
 * exact scores (ties by id), however far it is asked: the same list as scoring every funder and
 * sorting. Brute force and the engine both use the stream, so only this test can catch it ordering
 * funders wrongly.
 */
describe('FunderStream', () => {
  it.each([1, 2, 3, 4])('yields the funders best first, as sorting all of them would (world %i)', (seed) => {
    const world = randomWorld(seed, { organisations: 60, needs: 80, offers: 600 });
    const d = new Dice(random(seed));
    const orgs = new Map(world.organisations.map((o) => [o.id, o]));
    const { columns, slots } = OfferColumns.of(world.offers, (id) => orgs.get(id));
    let compared = 0;
    for (const need of world.needs.filter(wantsTriad)) {
      const needOrg = orgs.get(need.organisationId);
      if (!needOrg) continue;
      const expected = world.offers
        .map((offer) => ({ offer, offerOrg: orgs.get(offer.organisationId) }))
        .filter(
          (x): x is typeof x & { offerOrg: NonNullable<typeof x.offerOrg> } =>
            x.offerOrg !== undefined &&
            passes(FUNDER_RULES, { need, needOrg, offer: x.offer, offerOrg: x.offerOrg, now: WORLD_NOW }),
        )
        .map(({ offer, offerOrg }) => ({
          id: offer.id,
          score: scorePair({ need, needOrg, offer, offerOrg, now: WORLD_NOW }),
        }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
      const stream = new FunderStream(new NeedProfile(need, needOrg), columns, slots, WORLD_NOW, new Set());
      // Asked in the ranking's way: bounds first, then funders, never further than needed.
      const upTo = d.int(0, expected.length + 1);
      for (let i = 0; i <= upTo; i++) {
        const bound = stream.boundAt(i);
        const funder = stream.at(i);
        expect(funder?.pair.offer.id).toBe(expected[i]?.id);
        expect(funder?.score).toBe(expected[i]?.score);
        if (funder) expect(bound).toBeGreaterThanOrEqual(funder.score);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});
