import { describe, expect, it } from 'vitest';
import { countries, country, countryInRegion, m49Region, m49Regions } from './countries';

describe('country', () => {
  it('knows Rwanda as a developing, least developed, landlocked country of Eastern Africa', () => {
    expect(country('RW')).toEqual({
      code: 'RW',
      iso3: 'RWA',
      m49: '646',
      name: { en: 'Rwanda', fr: 'Rwanda', es: 'Rwanda' },
      region: 'Africa',
      subRegion: 'Sub-Saharan Africa',
      intermediateRegion: 'Eastern Africa',
      developing: true,
      ldc: true,
      lldc: true,
      sids: false,
    });
  });

  it('knows Germany as developed and Fiji as a small island developing state', () => {
    expect(country('DE')?.developing).toBe(false);
    expect(country('FJ')).toMatchObject({ developing: true, sids: true, ldc: false, subRegion: 'Melanesia' });
  });

  it('has no development status for Taiwan and Antarctica', () => {
    expect(country('TW')).toMatchObject({ developing: null, region: 'Asia', subRegion: 'Eastern Asia' });
    expect(country('AQ')).toMatchObject({ developing: null, region: null, subRegion: null });
  });

  it('reflects graduations from the LDC list (Vanuatu 2020, Bhutan 2023)', () => {
    expect(country('VU')).toMatchObject({ ldc: false, sids: true });
    expect(country('BT')).toMatchObject({ ldc: false, lldc: true });
    expect(country('HT')?.ldc).toBe(true);
  });

  it('pads M49 codes to three digits', () => {
    expect(country('AF')?.m49).toBe('004');
    expect(country('BR')?.m49).toBe('076');
  });

  it('gives display names without UNTERM sort articles or asterisks', () => {
    expect(country('DE')?.name).toEqual({ en: 'Germany', fr: 'Allemagne', es: 'Alemania' });
    expect(country('US')?.name.fr).toBe("États-Unis d'Amérique");
    expect(country('CK')?.name.en).toBe('Cook Islands');
    expect(country('BO')?.name.en).toBe('Bolivia (Plurinational State of)');
  });

  it('names territories without UNTERM names from the ISO columns', () => {
    expect(country('CI')?.name).toEqual({ en: 'Côte d’Ivoire', fr: 'Côte d’Ivoire', es: 'Côte d’Ivoire' });
    expect(country('GP')?.name).toEqual({ en: 'Guadeloupe', fr: 'Guadeloupe', es: 'Guadalupe' });
  });

  it('keeps Namibia (code NA) as a country, not a missing value', () => {
    expect(country('NA')?.iso3).toBe('NAM');
  });

  it('returns undefined for unknown or non-canonical codes', () => {
    expect(country('XX')).toBeUndefined();
    expect(country('rw')).toBeUndefined();
    expect(country('RWA')).toBeUndefined();
  });

  it('lists every ISO 3166-1 country and territory once, sorted by code', () => {
    const codes = countries().map((c) => c.code);
    expect(codes).toHaveLength(249);
    expect(new Set(codes).size).toBe(249);
    expect(codes).toEqual([...codes].sort());
  });

  it('counts the development groups of the sources', () => {
    const all = countries();
    expect(all.filter((c) => c.developing === false)).toHaveLength(65);
    expect(all.filter((c) => c.developing === null).map((c) => c.code)).toEqual(['AQ', 'TW']);
    expect(all.filter((c) => c.ldc)).toHaveLength(45);
  });

  it('hands out frozen objects, so one caller cannot change another one’s data', () => {
    const rw = country('RW');
    expect(Object.isFrozen(rw)).toBe(true);
    expect(Object.isFrozen(rw?.name)).toBe(true);
  });
});

describe('M49 regions', () => {
  it('finds a region, a sub-region and an intermediate region by exact English name', () => {
    expect(m49Region('Africa')?.level).toBe('region');
    expect(m49Region('Latin America and the Caribbean')?.level).toBe('sub-region');
    expect(m49Region('Eastern Africa')).toMatchObject({ level: 'intermediate-region' });
    expect(m49Region('Eastern Africa')?.countries).toContain('RW');
    expect(m49Region('africa')).toBeUndefined();
    expect(m49Region('World')).toBeUndefined();
  });

  it('keeps the Channel Islands intermediate region of M49', () => {
    expect(m49Region('Channel Islands')?.countries).toEqual(['GG', 'JE']);
  });

  it('lists five regions and the M49 sub-regions', () => {
    const regions = m49Regions();
    expect(regions.filter((r) => r.level === 'region').map((r) => r.name)).toEqual([
      'Africa',
      'Americas',
      'Asia',
      'Europe',
      'Oceania',
    ]);
    expect(regions.filter((r) => r.level === 'sub-region')).toHaveLength(17);
    expect(m49Region('Sub-Saharan Africa')?.countries).toHaveLength(53);
  });

  it('tells whether a country is in a region at any level', () => {
    expect(countryInRegion('RW', 'Africa')).toBe(true);
    expect(countryInRegion('RW', 'Sub-Saharan Africa')).toBe(true);
    expect(countryInRegion('RW', 'Eastern Africa')).toBe(true);
    expect(countryInRegion('EG', 'Sub-Saharan Africa')).toBe(false);
    expect(countryInRegion('EG', 'Northern Africa')).toBe(true);
    expect(countryInRegion('BR', 'South America')).toBe(true);
    expect(countryInRegion('BR', 'Africa')).toBe(false);
    expect(countryInRegion('RW', 'Atlantis')).toBe(false);
    expect(countryInRegion('XX', 'Africa')).toBe(false);
  });
});
