import type { OfferSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { OfferColumns } from './offer-columns';
import {
  ANY_SECTOR,
  amountValue,
  CRITERIA,
  geographyValue,
  NEUTRAL,
  NeedProfile,
  priorityValue,
  scorePair,
  sdgValue,
  sectorValue,
  textValue,
  triadScore,
  WEIGHTS,
} from './score';
import { aPair } from './testing/factories';
import { Dice, random, randomWorld } from './testing/random-world';

describe('score', () => {
  it('weighs its parts with weights that sum to 1, so the score stays in 0–1', () => {
    expect(CRITERIA.reduce((sum, c) => sum + WEIGHTS[c], 0)).toBeCloseTo(1);
    const s = scorePair(aPair());
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThanOrEqual(1);
  });

  it('values an exact sector above a shared category, and both above an offer open to any sector', () => {
    const exact = sectorValue(aPair({ need: { sectors: ['23231'] }, offer: { sectors: ['23231'] } }));
    const category = sectorValue(aPair({ need: { sectors: ['23231'] }, offer: { sectors: ['23210'] } }));
    const any = sectorValue(aPair({ need: { sectors: ['23231'] }, offer: { sectors: [] } }));
    expect(exact).toBe(1);
    expect(category).toBe(0.5);
    expect(any).toBe(ANY_SECTOR);
    expect(exact).toBeGreaterThan(category);
    expect(category).toBeGreaterThan(any);
  });

  it('counts the share of the need’s sectors and SDGs the offer covers', () => {
    expect(
      sectorValue(aPair({ need: { sectors: ['41030', '41020'] }, offer: { sectors: ['41030', '31220'] } })),
    ).toBe(0.75);
    expect(sdgValue(aPair({ need: { sdgs: [15, 13, 1] }, offer: { sdgs: [15, 13] } }))).toBeCloseTo(2 / 3);
    expect(sdgValue(aPair({ need: { sdgs: [] }, offer: { sdgs: [15] } }))).toBe(NEUTRAL);
  });

  it('rewards descriptions that speak of the same thing', () => {
    const need = {
      title: 'Solar pumps for irrigation',
      description: 'Solar water pumping for gardens',
      language: 'en',
    };
    const close = textValue(
      aPair({
        need,
        offer: { title: 'Solar pumping kits', description: 'Solar pumps for irrigation of gardens' },
      }),
    );
    const far = textValue(
      aPair({ need, offer: { title: 'Tourism contracts', description: 'Homestays on trekking routes' } }),
    );
    expect(close).toBeGreaterThan(far);
    expect(far).toBe(0);
  });

  it('prefers a partner in a country of interest, then a neighbour of one, then no link', () => {
    const need = { countriesOfInterest: ['RW'] };
    const inCountry = geographyValue(aPair({ need, offerOrg: { country: 'RW' } }));
    const neighbour = geographyValue(aPair({ need, offerOrg: { country: 'UG' } })); // Eastern Africa, like RW
    const far = geographyValue(aPair({ need, needOrg: { country: 'GW' }, offerOrg: { country: 'NO' } }));
    expect(inCountry).toBe(1);
    expect(inCountry).toBeGreaterThan(neighbour);
    expect(neighbour).toBeGreaterThan(far);
    expect(far).toBe(0);
  });

  it('without countries of interest, prefers partners closer to the entity', () => {
    const near = geographyValue(aPair({ needOrg: { country: 'GW' }, offerOrg: { country: 'SN' } })); // Western Africa
    const sameRegion = geographyValue(aPair({ needOrg: { country: 'GW' }, offerOrg: { country: 'KE' } }));
    const far = geographyValue(aPair({ needOrg: { country: 'GW' }, offerOrg: { country: 'PE' } }));
    expect(near).toBeGreaterThan(sameRegion);
    expect(sameRegion).toBeGreaterThan(far);
  });

  it('fits an amount near the middle of the range better than one at its edge', () => {
    const offer = { amount: { min: 20_000, max: 150_000, currency: 'USD' } };
    const middle = amountValue(aPair({ need: { amount: { value: 55_000, currency: 'USD' } }, offer }));
    const edge = amountValue(aPair({ need: { amount: { value: 21_000, currency: 'USD' } }, offer }));
    expect(middle).toBeGreaterThan(edge);
    expect(middle).toBeLessThanOrEqual(1);
    expect(amountValue(aPair({ need: { amount: undefined }, offer }))).toBe(NEUTRAL);
  });

  it('rewards an offer that gives priority to the entity’s kind of country, and only that one', () => {
    // Guinea-Bissau is an LDC and a small island developing state, not landlocked.
    expect(priorityValue(aPair({ offer: { priorities: ['ldc'] } }))).toBe(1);
    expect(priorityValue(aPair({ offer: { priorities: ['lldc'] } }))).toBe(0);
    expect(priorityValue(aPair({ offer: { priorities: [] } }))).toBe(NEUTRAL);
  });

  it('combines a triad so that a better provider or a better funder always makes a better triad', () => {
    expect(triadScore(0.8, 0.5)).toBeGreaterThan(triadScore(0.7, 0.5));
    expect(triadScore(0.8, 0.6)).toBeGreaterThan(triadScore(0.8, 0.5));
    expect(triadScore(1, 1)).toBeCloseTo(1);
  });
});

describe('NeedProfile.partials', () => {
  it('counts an offered code of the same 3-digit category as half, up to the edges of the category', () => {
    const p = aPair({ need: { sectors: ['11110'] } });
    const offered = ['11099', '11100', '11110', '11199', '11200'];
    const offers = offered.map((code, i) => ({ ...p.offer, id: `o${i}`, sectors: [code] }));
    const { columns, slots } = OfferColumns.of(offers, () => p.offerOrg);
    const profile = new NeedProfile(p.need, p.needOrg);
    const out = new Float64Array(slots.length);
    profile.partials(columns, slots, slots.length, out);
    expect(slots.map((slot) => profile.sector(columns, slot))).toEqual([0, 0.5, 1, 0.5, 0]);
    for (const slot of slots) expect(out[slot]).toBe(profile.partial(columns, slot));
  });

  it('gives, in one pass over the records, exactly what `partial` gives offer by offer', () => {
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      const world = randomWorld(seed);
      const d = new Dice(random(seed));
      // Some offers with more sectors than a record holds, and one whose organisation is unknown.
      const offers = world.offers.map((o, i) =>
        i % 17 === 0 ? { ...o, sectors: ['11110', '11120', '11130', '11182', '11220', '11230', '23231'] } : o,
      );
      offers.push({ ...(world.offers[0] as OfferSnapshot), id: 'offer-of-nobody', organisationId: 'nobody' });
      const orgs = new Map(world.organisations.map((o) => [o.id, o]));
      const { columns, slots } = OfferColumns.of(offers, (id) => orgs.get(id));
      for (const need of world.needs.slice(0, 40)) {
        const profile = new NeedProfile(need, d.pick(world.organisations));
        const out = new Float64Array(slots.length);
        profile.partials(columns, slots, slots.length, out);
        for (const slot of slots) expect(out[slot]).toBe(profile.partial(columns, slot));
        compared += slots.length;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });
});
