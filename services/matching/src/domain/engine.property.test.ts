import type { OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { bruteForce, matchNeed, matchOffer } from './engine';
import { scoreEveryPair } from './exhaustive';
import { MatchIndex } from './match-index';
import { OfferColumns } from './offer-columns';
import {
  Dice,
  random,
  randomOffer,
  randomOrganisation,
  randomWorld,
  WORLD_NOW,
  type World,
} from './testing/random-world';

/**
 * The index must only ever save work: on random worlds, the engine's proposals must be exactly those
 * of scoring every offer with the same rules (brute force), before and after incremental updates.
 */

function contexts(world: World, index = MatchIndex.build(world)) {
  const organisations = new Map(world.organisations.map((o) => [o.id, o]));
  const options = { now: WORLD_NOW, rejected: world.rejected };
  return {
    index,
    engine: { ...options, index },
    oracle: { ...options, organisation: (id: string) => organisations.get(id) },
  };
}

function expectEngineEqualsBruteForce(world: World, ctx: ReturnType<typeof contexts>) {
  let proposed = 0;
  let triads = 0;
  for (const need of world.needs) {
    const expected = bruteForce(need, world.offers, ctx.oracle);
    expect(matchNeed(need, ctx.engine)).toEqual(expected);
    proposed += expected.length;
    triads += expected.filter((p) => p.offerIds.length === 2).length;
  }
  // Guards against a vacuous pass: the worlds must produce plenty of proposals, triads included.
  expect(proposed).toBeGreaterThan(world.needs.length / 2);
  expect(triads).toBeGreaterThan(5);
}

describe('engine = brute force', () => {
  it.each([1, 2, 3, 4, 5, 6])('on random world %i', (seed) => {
    const world = randomWorld(seed);
    expectEngineEqualsBruteForce(world, contexts(world));
  });

  it.each([11, 12, 13])('after random updates and removals of offers (world %i)', (seed) => {
    const world = randomWorld(seed);
    const ctx = contexts(world);
    const d = new Dice(random(seed * 7919));
    const orgIds = world.organisations.map((o) => o.id);
    for (let step = 0; step < 200; step++) {
      const at = d.int(0, world.offers.length - 1);
      const old = world.offers[at] as OfferSnapshot;
      if (d.chance(0.15)) {
        ctx.index.removeOffer(old.id);
        world.offers.splice(at, 1);
      } else {
        // A new revision of the same offer, with everything it is filed under possibly changed.
        const next: OfferSnapshot = { ...randomOffer(d, old.id, orgIds), revision: old.revision + 1 };
        ctx.index.upsertOffer(next);
        world.offers[at] = next;
      }
    }
    expectEngineEqualsBruteForce(world, ctx);
  });

  // The index files offers by the standing of their organisation (verified, in a developing country
  // or not), so a change of organisation must re-file its offers, and removing them afterwards must
  // find them where they were filed.
  it.each([31, 32, 33])(
    'after organisations change, leave and come back, with offers indexed before their organisation (world %i)',
    (seed) => {
      const world = randomWorld(seed);
      const d = new Dice(random(seed * 104_729));
      const late = new Set(world.organisations.filter(() => d.chance(0.3)).map((o) => o.id));
      const index = MatchIndex.build({
        ...world,
        organisations: world.organisations.filter((o) => !late.has(o.id)),
      });
      for (const org of world.organisations) if (late.has(org.id)) index.upsertOrganisation(org);
      const orgIds = world.organisations.map((o) => o.id);
      for (let step = 0; step < 300; step++) {
        const at = d.int(0, world.organisations.length - 1);
        const old = world.organisations[at] as OrganisationSnapshot;
        const roll = d.int(0, 3);
        if (roll === 0) {
          // Gone, then back again a few steps later at the latest (offers stay, pointing at it).
          index.removeOrganisation(old.id);
          index.upsertOrganisation(old);
        } else if (roll === 1) {
          const next = {
            ...old,
            revision: old.revision + 1,
            verification: d.pick(['verified', 'pending', 'revoked'] as const),
          };
          index.upsertOrganisation(next);
          world.organisations[at] = next;
        } else if (roll === 2) {
          const moved = { ...randomOrganisation(d, old.id), revision: old.revision + 1 };
          index.upsertOrganisation(moved);
          world.organisations[at] = moved;
        } else {
          const o = d.int(0, world.offers.length - 1);
          const offer = world.offers[o] as OfferSnapshot;
          if (d.chance(0.3)) {
            index.removeOffer(offer.id);
            world.offers.splice(o, 1);
          } else {
            const next: OfferSnapshot = { ...randomOffer(d, offer.id, orgIds), revision: offer.revision + 1 };
            index.upsertOffer(next);
            world.offers[o] = next;
          }
        }
      }
      expectEngineEqualsBruteForce(world, contexts(world, index));
      // Every offer is still filed once and removable: taking them all out leaves nothing behind.
      for (const offer of world.offers) index.removeOffer(offer.id);
      expect(index.stats().offers).toEqual({ items: 0, keys: 0, entries: 0 });
    },
  );
});

describe('matchOffer = brute force', () => {
  it.each([21, 22, 23])(
    'finds exactly the needs whose best proposals now include the offer (world %i)',
    (seed) => {
      const world = randomWorld(seed);
      const ctx = contexts(world);
      for (const need of world.needs) ctx.index.upsertNeed(need);
      const rankings = new Map(world.needs.map((n) => [n.id, bruteForce(n, world.offers, ctx.oracle)]));
      let found = 0;
      for (const offer of world.offers.slice(0, 80)) {
        const expected = world.needs
          .filter((n) => rankings.get(n.id)?.some((p) => p.offerIds.includes(offer.id)))
          .map((n) => n.id)
          .sort();
        const actual = matchOffer(offer, ctx.engine)
          .map((m) => m.need.id)
          .sort();
        expect(actual).toEqual(expected);
        found += actual.length;
      }
      expect(found).toBeGreaterThan(10);
    },
  );
});

/**
 * The brute force above ranks through the engine's own passes, so it checks the index alone. Scoring
 * every pair in full, with every provider paired with every funder, checks the passes too: what they
 * skip could never have made the best three.
 */
describe('engine = every pair scored in full', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('on random world %i, rejections included', (seed) => {
    const world = randomWorld(seed);
    const ctx = contexts(world);
    const all = OfferColumns.of(world.offers, ctx.oracle.organisation);
    let proposed = 0;
    let triads = 0;
    for (const need of world.needs) {
      const expected = scoreEveryPair(need, all, ctx.oracle.organisation, ctx.oracle);
      const got = matchNeed(need, ctx.engine).map((p) => ({ offerIds: p.offerIds, score: p.score }));
      expect(got).toEqual(expected);
      proposed += expected.length;
      triads += expected.filter((p) => p.offerIds.length === 2).length;
    }
    expect(proposed).toBeGreaterThan(world.needs.length / 2);
    expect(triads).toBeGreaterThan(5);
    expect(world.rejected.size).toBeGreaterThan(0);
  });
});
