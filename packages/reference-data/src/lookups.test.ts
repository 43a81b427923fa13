import { describe, expect, it } from 'vitest';
import { currencies, currency, language, languages } from './codelists';
import { countries, country, countryInRegion, m49Region, m49Regions } from './countries';
import { sdgGoal, sdgGoals, sdgTarget, sdgTargets } from './sdg';
import { sector, sectorCategories, sectorCategory, sectors } from './sectors';

/**
 * A lookup against the list it serves: every entry is found by its key, as the very record the
 * list holds (lookups hand out the shared, frozen records, never copies), and keys the list lacks
 * find nothing.
 */
function agreesWithList<T, K>(
  list: readonly T[],
  key: (item: T) => K,
  find: (key: K) => T | undefined,
  absent: readonly K[],
): void {
  expect(list.length).toBeGreaterThan(0);
  expect(list.filter((item) => find(key(item)) !== item).map(key)).toEqual([]);
  const keys = new Set(list.map(key));
  for (const k of absent) {
    expect(keys.has(k), `${String(k)} is not meant to be in the list`).toBe(false);
    expect(find(k), String(k)).toBeUndefined();
  }
}

describe('lookups', () => {
  it('country finds every country and territory by its alpha-2 code, and nothing else', () => {
    agreesWithList(countries(), (c) => c.code, country, ['XX', 'RWA', '646', '']);
  });

  it('m49Region finds every region, sub-region and intermediate region by its exact English name', () => {
    agreesWithList(m49Regions(), (r) => r.name, m49Region, ['Atlantis', 'eastern africa', '']);
  });

  it('countryInRegion holds for exactly the members of each region', () => {
    for (const region of m49Regions()) {
      const members = countries()
        .filter((c) => countryInRegion(c.code, region.name))
        .map((c) => c.code);
      expect(members, region.name).toEqual(region.countries);
    }
    expect(countryInRegion('RW', 'Atlantis')).toBe(false);
    expect(countryInRegion('XX', 'Africa')).toBe(false);
  });

  it('sector and sectorCategory find every purpose code and category', () => {
    agreesWithList(sectors(), (s) => s.code, sector, ['00000', '232', '']);
    agreesWithList(sectorCategories(), (c) => c.code, sectorCategory, ['000', '23231', '']);
  });

  it('sdgGoal and sdgTarget find the 17 goals and every target', () => {
    agreesWithList(sdgGoals(), (g) => g.number, sdgGoal, [0, 18]);
    expect(sdgGoals()).toHaveLength(17);
    agreesWithList(sdgTargets(), (t) => t.code, sdgTarget, ['17.99', '8', '']);
  });

  it('currency and language find every code of their lists', () => {
    agreesWithList(currencies(), (c) => c.code, currency, ['VEF', 'xof', '']);
    agreesWithList(languages(), (l) => l.code, language, ['PT', 'por', '']);
  });

  it('returns the same object on every call: the data is loaded once', () => {
    expect(countries()).toBe(countries());
    const rw = country('RW');
    expect(rw?.code).toBe('RW');
    expect(country('RW')).toBe(rw);
    const solar = sector('23231');
    expect(solar?.code).toBe('23231');
    expect(sector('23231')).toBe(solar);
  });
});
