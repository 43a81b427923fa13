import type { CodelistsFile, CountriesFile, SdgFile, SectorsFile } from '../schemas';
import { buildCountries } from './countries';
import { parseIatiCodelist } from './iati';
import { buildSdg } from './sdg';

/** Reads a source file by its path under `data/`. */
export type ReadSource = (path: string) => string;

export interface Generated {
  'generated/countries.json': CountriesFile;
  'generated/sectors.json': SectorsFile;
  'generated/sdg.json': SdgFile;
  'generated/codelists.json': CodelistsFile;
}

/** Converts the source files of `data/` into the compact JSON the package loads at run time. */
export function buildAll(readRaw: ReadSource): Generated {
  // Some sources spell accents as combining marks ("a" + U+0300): NFC makes labels compare and
  // search like the text users type.
  const read: ReadSource = (path) => readRaw(path).normalize('NFC');
  return {
    'generated/countries.json': buildCountries(
      read('countries/country-codes.csv'),
      read('countries/m49-development-status.csv'),
    ),
    'generated/sectors.json': buildSectors(read('iati/SectorCategory.xml'), read('iati/Sector.xml')),
    'generated/sdg.json': buildSdg({
      iatiGoalsXml: read('iati/UNSDG-Goals.xml'),
      iatiTargetsXml: read('iati/UNSDG-Targets.xml'),
      yaml: {
        en: { goals: read('sdg/en/global_goals.yml'), targets: read('sdg/en/global_targets.yml') },
        fr: { goals: read('sdg/fr/global_goals.yml'), targets: read('sdg/fr/global_targets.yml') },
        es: { goals: read('sdg/es/global_goals.yml'), targets: read('sdg/es/global_targets.yml') },
      },
    }),
    'generated/codelists.json': {
      currencies: parseIatiCodelist(read('iati/Currency.xml')).map(({ code, name }) => ({ code, name })),
      languages: parseIatiCodelist(read('iati/Language.xml')).map(({ code, name }) => ({ code, name })),
    },
  };
}

function buildSectors(categoriesXml: string, sectorsXml: string): SectorsFile {
  const categories = parseIatiCodelist(categoriesXml).map(({ code, name }) => ({ code, name }));
  const known = new Set(categories.map((c) => c.code));
  const sectors = parseIatiCodelist(sectorsXml).map(({ code, name, category }) => {
    if (!category || !known.has(category)) throw new Error(`sector ${code} has no active category`);
    return { code, category, name };
  });
  return { categories, sectors };
}

/** The text written for each generated file: stable, so a re-run on the same sources changes nothing. */
export function serialise(data: unknown): string {
  return `${JSON.stringify(data)}\n`;
}
