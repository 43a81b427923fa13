import { country, language, sector, sectorCategory } from '@mutirao/reference-data';

/**
 * The few facts about a country that matching needs, looked up once per code: the rules and the
 * index both go through here, so blocking and the hard rules can never disagree about geography.
 */
export interface CountryFacts {
  readonly code: string;
  readonly name: string;
  readonly developing: boolean;
  readonly ldc: boolean;
  readonly lldc: boolean;
  readonly sids: boolean;
  /** M49 region, sub-region and intermediate region, in that order, lower-cased; absent ones left out. */
  readonly areas: readonly string[];
  readonly region: string | null;
  readonly subRegion: string | null;
  readonly intermediateRegion: string | null;
}

const countryCache = new Map<string, CountryFacts | null>();
const countryIndexes = new Map<string, number>();
const countryCodes: string[] = [];

/**
 * A small integer for each country code seen, so that per-country values can sit in typed arrays.
 * Codes are few (ISO 3166-1 has 249), so the registry never needs to forget one.
 */
export function countryIndex(code: string): number {
  let i = countryIndexes.get(code);
  if (i === undefined) {
    i = countryCodes.length;
    countryCodes.push(code);
    countryIndexes.set(code, i);
  }
  return i;
}

export function countryAt(index: number): string {
  return countryCodes[index] ?? '';
}

export function countryFacts(code: string): CountryFacts | undefined {
  let facts = countryCache.get(code);
  if (facts === undefined) {
    const c = country(code);
    facts = c
      ? {
          code: c.code,
          name: c.name.en,
          // A country without a published status (Taiwan) is not treated as developing: the
          // South-South rules need a positive statement, not a guess.
          developing: c.developing === true,
          ldc: c.ldc,
          lldc: c.lldc,
          sids: c.sids,
          areas: [c.region, c.subRegion, c.intermediateRegion]
            .filter((a): a is string => typeof a === 'string' && a.length > 0)
            .map(areaKey),
          region: c.region,
          subRegion: c.subRegion,
          intermediateRegion: c.intermediateRegion,
        }
      : null;
    countryCache.set(code, facts);
  }
  return facts ?? undefined;
}

/** Region names compare case-insensitively ("Sub-Saharan Africa" = "sub-saharan africa"). */
export function areaKey(name: string): string {
  return name.trim().toLowerCase();
}

export function isDeveloping(code: string): boolean {
  return countryFacts(code)?.developing ?? false;
}

export function countryName(code: string): string {
  return countryFacts(code)?.name ?? code;
}

/**
 * True when the country lies in the M49 region, sub-region or intermediate region of that name. Like
 * the reference data's `countryInRegion`, but blind to case, as the index keys are.
 */
export function countryInArea(code: string, areaName: string): boolean {
  return countryFacts(code)?.areas.includes(areaKey(areaName)) ?? false;
}

/** Most specific area first: Western Africa, Sub-Saharan Africa, Africa. */
export function areasOf(code: string): string[] {
  const f = countryFacts(code);
  if (!f) return [];
  return [f.intermediateRegion, f.subRegion, f.region].filter((a): a is string => Boolean(a));
}

const categoryCache = new Map<string, string>();

/** The 3-digit DAC category of a 5-digit purpose code (the code's prefix when it is unknown). */
export function categoryOf(code: string): string {
  let cat = categoryCache.get(code);
  if (cat === undefined) {
    cat = sector(code)?.category ?? code.slice(0, 3);
    categoryCache.set(code, cat);
  }
  return cat;
}

export function sectorName(code: string): string {
  return sector(code)?.name.en ?? code;
}

export function categoryName(category: string): string {
  return sectorCategory(category)?.name.en ?? category;
}

/** "Spanish", not the ISO list's "Spanish; Castilian". */
export function languageName(code: string): string {
  return language(code)?.name.en.split(';')[0] ?? code;
}
