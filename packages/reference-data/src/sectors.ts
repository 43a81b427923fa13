import type { Labels } from './labels';
import { indexBy, lazy, readData } from './lazy';
import { SectorsFile } from './schemas';
import { SECTOR_CATEGORY_NAMES } from './translations';

/** An OECD DAC 3-digit sector category, e.g. '232' energy generation from renewable sources. */
export interface SectorCategory {
  code: string;
  name: Labels;
}

/** An OECD DAC 5-digit purpose code, e.g. '23231' solar energy for isolated grids. */
export interface Sector {
  code: string;
  category: string;
  name: Labels;
}

const data = lazy(() => {
  const file = readData('generated/sectors.json', SectorsFile);
  const categories: readonly SectorCategory[] = Object.freeze(
    file.categories.map(({ code, name }) =>
      Object.freeze({ code, name: Object.freeze({ ...name, ...SECTOR_CATEGORY_NAMES[code] }) }),
    ),
  );
  const sectors: readonly Sector[] = file.sectors;
  return {
    categories,
    sectors,
    categoryByCode: indexBy(categories, (c) => c.code),
    sectorByCode: indexBy(sectors, (s) => s.code),
  };
});

/** An active 5-digit purpose code; withdrawn codes are not included. */
export function sector(code: string): Sector | undefined {
  return data().sectorByCode.get(code);
}

export function sectors(): readonly Sector[] {
  return data().sectors;
}

export function sectorCategory(code: string): SectorCategory | undefined {
  return data().categoryByCode.get(code);
}

export function sectorCategories(): readonly SectorCategory[] {
  return data().categories;
}
