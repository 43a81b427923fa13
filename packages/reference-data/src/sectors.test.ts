import { describe, expect, it } from 'vitest';
import { sector, sectorCategories, sectorCategory, sectors } from './sectors';

describe('sectors', () => {
  it('knows solar energy for isolated grids in the renewable energy category', () => {
    expect(sector('23231')).toEqual({
      code: '23231',
      category: '232',
      name: {
        en: 'Solar energy for isolated grids and standalone systems',
        fr: 'Energie solaire pour réseaux isolés et systèmes autonomes',
      },
    });
    expect(sectorCategory('232')?.name.en).toBe('Energy generation, renewable sources');
  });

  it('leaves out withdrawn purpose codes and categories', () => {
    expect(sector('23010')).toBeUndefined();
    expect(sector('92010')).toBeUndefined();
    expect(sectorCategory('230')).toBeUndefined();
    expect(sectorCategory('920')).toBeUndefined();
  });

  it('returns undefined for unknown codes', () => {
    expect(sector('99999')).toBeUndefined();
    expect(sector('232')).toBeUndefined();
    expect(sectorCategory('23231')).toBeUndefined();
  });

  it('places every sector in an existing category whose code is its first three digits', () => {
    expect(sectors()).toHaveLength(295);
    for (const s of sectors()) {
      expect(sectorCategory(s.category), s.code).toBeDefined();
      expect(s.code.slice(0, 3)).toBe(s.category);
    }
  });

  it('names every category in English, French, Spanish and Portuguese', () => {
    expect(sectorCategories()).toHaveLength(42);
    for (const { code, name } of sectorCategories()) {
      for (const lang of ['en', 'fr', 'es', 'pt'] as const) {
        expect(name[lang]?.trim(), `${code} ${lang}`).toBeTruthy();
      }
    }
    expect(sectorCategory('311')?.name).toEqual({
      en: 'Agriculture',
      fr: 'Agriculture',
      es: 'Agricultura',
      pt: 'Agricultura',
    });
    expect(sectorCategory('140')?.name.pt).toBe('Abastecimento de água e saneamento');
  });
});
