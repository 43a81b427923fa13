import type { Labels } from './labels';
import { indexBy, lazy, readData } from './lazy';
import { CountriesFile } from './schemas';

export interface Country {
  /** ISO 3166-1 alpha-2, e.g. 'RW'. */
  code: string;
  iso3: string;
  /** UN M49 numeric code, 3 digits, e.g. '646'. */
  m49: string;
  /** UNTERM short names in English, French and Spanish; no Portuguese source (label() falls back to English). */
  name: Labels;
  /** M49 region name in English, e.g. 'Africa'. */
  region: string | null;
  subRegion: string | null;
  intermediateRegion: string | null;
  /** M49 developed / developing status; null when the source gives none (Taiwan, Antarctica). */
  developing: boolean | null;
  ldc: boolean;
  lldc: boolean;
  sids: boolean;
}

export type RegionLevel = 'region' | 'sub-region' | 'intermediate-region';

export interface M49Region {
  name: string;
  level: RegionLevel;
  /** ISO alpha-2 codes of the member countries and territories, sorted. */
  countries: readonly string[];
}

const data = lazy(() => {
  const list: readonly Country[] = readData('generated/countries.json', CountriesFile);
  return { list, byCode: indexBy(list, (c) => c.code) };
});

const regionData = lazy(() => {
  const members = new Map<string, { level: RegionLevel; countries: string[] }>();
  const add = (name: string | null, level: RegionLevel, code: string) => {
    if (name === null) return;
    const region = members.get(name) ?? { level, countries: [] };
    if (region.level !== level) throw new Error(`M49 name "${name}" is used at two levels`);
    region.countries.push(code);
    members.set(name, region);
  };
  for (const c of data().list) {
    add(c.region, 'region', c.code);
    add(c.subRegion, 'sub-region', c.code);
    add(c.intermediateRegion, 'intermediate-region', c.code);
  }
  const levelOrder: readonly RegionLevel[] = ['region', 'sub-region', 'intermediate-region'];
  const list: readonly M49Region[] = Object.freeze(
    [...members]
      .map(([name, { level, countries }]) =>
        Object.freeze({ name, level, countries: Object.freeze(countries) }),
      )
      .sort(
        (a, b) => levelOrder.indexOf(a.level) - levelOrder.indexOf(b.level) || a.name.localeCompare(b.name),
      ),
  );
  return {
    list,
    byName: indexBy(list, (r) => r.name),
    membersByName: new Map(list.map((r) => [r.name, new Set(r.countries)])),
  };
});

/** The country or territory with this ISO alpha-2 code (upper case, as in ISO 3166-1). */
export function country(code: string): Country | undefined {
  return data().byCode.get(code);
}

/** All 249 ISO 3166-1 countries and territories, sorted by code. */
export function countries(): readonly Country[] {
  return data().list;
}

/** A region, sub-region or intermediate region by its exact English M49 name, e.g. 'Eastern Africa'. */
export function m49Region(name: string): M49Region | undefined {
  return regionData().byName.get(name);
}

/** Regions first, then sub-regions, then intermediate regions, each sorted by name. */
export function m49Regions(): readonly M49Region[] {
  return regionData().list;
}

/** Whether the country belongs to the region, sub-region or intermediate region of that exact name. */
export function countryInRegion(countryCode: string, regionName: string): boolean {
  return regionData().membersByName.get(regionName)?.has(countryCode) ?? false;
}
