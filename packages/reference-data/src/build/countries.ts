import type { CountriesFile, CountryRecord, SourceLabels } from '../schemas';
import { parseCsv } from './csv';

/**
 * English names where the newest country-codes.csv has no UNTERM name and its ISO name is not the
 * one the UN uses.
 */
const ENGLISH_NAME_FIXES: Readonly<Record<string, string>> = { CI: 'Côte d’Ivoire' };

/**
 * Joins the two country files:
 * - codes, names and the LDC / LLDC / SIDS flags come from country-codes.csv, the newest file (it
 *   has Vanuatu's 2020 and Bhutan's 2023 graduations from the LDC list, which the other lacks);
 * - the M49 regions and the developed / developing status come from m49-development-status.csv,
 *   which keeps M49's "Channel Islands" intermediate region. Taiwan is only in country-codes.csv:
 *   its regions come from there and its status stays unknown.
 */
export function buildCountries(countryCodesCsv: string, developmentStatusCsv: string): CountriesFile {
  const statusByCode = new Map(parseCsv(developmentStatusCsv).map((row) => [field(row, 'iso2'), row]));
  const countries = parseCsv(countryCodesCsv).map((row): CountryRecord => {
    const code = field(row, 'ISO3166-1-Alpha-2');
    const iso3 = field(row, 'ISO3166-1-Alpha-3');
    const m49 = field(row, 'M49').padStart(3, '0');
    const status = statusByCode.get(code);
    if (status && (field(status, 'iso3') !== iso3 || field(status, 'm49') !== m49)) {
      throw new Error(`${code}: the two country files disagree on ISO3 or M49 codes`);
    }
    return {
      code,
      iso3,
      m49,
      name: countryName(code, row),
      region: orNull(status ? field(status, 'region') : field(row, 'Region Name')),
      subRegion: orNull(status ? field(status, 'sub_region') : field(row, 'Sub-region Name')),
      intermediateRegion: orNull(
        status ? field(status, 'intermediate_region') : field(row, 'Intermediate Region Name'),
      ),
      developing: developing(status ? field(status, 'development_status') : ''),
      ldc: flag(field(row, 'Least Developed Countries (LDC)')),
      lldc: flag(field(row, 'Land Locked Developing Countries (LLDC)')),
      sids: flag(field(row, 'Small Island Developing States (SIDS)')),
    };
  });
  const codes = new Set(countries.map((c) => c.code));
  for (const code of statusByCode.keys()) {
    if (!codes.has(code)) throw new Error(`${code} has a development status but no country row`);
  }
  return countries.sort((a, b) => a.code.localeCompare(b.code));
}

function countryName(code: string, row: Record<string, string>): SourceLabels {
  const en =
    unterm(field(row, 'UNTERM English Short')) || ENGLISH_NAME_FIXES[code] || field(row, 'official_name_en');
  const fr = unterm(field(row, 'UNTERM French Short')) || field(row, 'official_name_fr');
  const es = unterm(field(row, 'UNTERM Spanish Short')) || field(row, 'official_name_es');
  if (!en) throw new Error(`${code} has no English name`);
  return { en, ...(fr ? { fr } : {}), ...(es ? { es } : {}) };
}

/**
 * UNTERM short names are sort forms: "Allemagne (l')", "Bahamas (the)", "Holy See (the) *",
 * "Cook Islands (the) **". The article and the asterisks marking non-members are dropped for
 * display; other parentheses
 * ("Bolivia (Plurinational State of)") are part of the name.
 */
export function unterm(name: string): string {
  return name
    .replace(/\s*\*+$/, '')
    .replace(/\s*\((?:the|le|la|les|l'|l’|el|los|las)\)$/, '')
    .trim();
}

function field(row: Record<string, string>, column: string): string {
  const value = row[column];
  if (value === undefined) throw new Error(`country file has no column "${column}"`);
  return value.trim();
}

function orNull(text: string): string | null {
  return text === '' ? null : text;
}

function flag(text: string): boolean {
  if (text !== 'x' && text !== '') throw new Error(`unexpected flag value "${text}"`);
  return text === 'x';
}

function developing(status: string): boolean | null {
  if (status === 'developing') return true;
  if (status === 'developed') return false;
  if (status === '') return null;
  throw new Error(`unexpected development status "${status}"`);
}
