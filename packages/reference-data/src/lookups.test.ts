import { describe, expect, it, vi } from 'vitest';
import { currency, language } from './codelists';
import { country, countryInRegion, m49Region } from './countries';
import { sdgGoal, sdgTarget } from './sdg';
import { sector, sectorCategory } from './sectors';

const lookups: Record<string, () => unknown> = {
  country: () => country('RW'),
  countryInRegion: () => countryInRegion('RW', 'Eastern Africa'),
  m49Region: () => m49Region('Africa'),
  sector: () => sector('23231'),
  sectorCategory: () => sectorCategory('232'),
  sdgGoal: () => sdgGoal(8),
  sdgTarget: () => sdgTarget('17.19'),
  currency: () => currency('XOF'),
  language: () => language('pt'),
};

describe('lookups', () => {
  for (const [name, lookup] of Object.entries(lookups)) {
    it(`${name} reads a Map index instead of scanning a list`, () => {
      lookup(); // loads the data once, outside the spies
      const mapGet = vi.spyOn(Map.prototype, 'get');
      const scans = (['find', 'filter', 'some', 'indexOf', 'includes'] as const).map((method) =>
        vi.spyOn(Array.prototype, method),
      );
      let result: unknown;
      let mapReads = 0;
      let listScans: number[] = [];
      try {
        result = lookup();
      } finally {
        // Read the counts and restore before asserting: expect() itself scans arrays.
        mapReads = mapGet.mock.calls.length;
        listScans = scans.map((scan) => scan.mock.calls.length);
        vi.restoreAllMocks();
      }
      expect(result).toBeTruthy();
      expect(mapReads).toBeGreaterThan(0);
      expect(listScans).toEqual([0, 0, 0, 0, 0]);
    });
  }

  it('returns the same object on every call: the data is loaded once', () => {
    expect(country('RW')).toBe(country('RW'));
    expect(sector('23231')).toBe(sector('23231'));
  });
});
