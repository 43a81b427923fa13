import type { Labels } from './labels';
import { indexBy, lazy, readData } from './lazy';
import { CodelistsFile } from './schemas';

/** A coded entry whose name the source gives in English only. */
export interface CodeEntry {
  code: string;
  name: Labels;
}

const data = lazy(() => {
  const file = readData('generated/codelists.json', CodelistsFile);
  const currencies: readonly CodeEntry[] = file.currencies;
  const languages: readonly CodeEntry[] = file.languages;
  return {
    currencies,
    languages,
    currencyByCode: indexBy(currencies, (c) => c.code),
    languageByCode: indexBy(languages, (l) => l.code),
  };
});

/** An active ISO 4217 currency (upper case); withdrawn codes such as 'VEF' are not included. */
export function currency(code: string): CodeEntry | undefined {
  return data().currencyByCode.get(code);
}

export function currencies(): readonly CodeEntry[] {
  return data().currencies;
}

/** An ISO 639-1 language (lower case, e.g. 'pt'). */
export function language(code: string): CodeEntry | undefined {
  return data().languageByCode.get(code);
}

export function languages(): readonly CodeEntry[] {
  return data().languages;
}
