import type { Lang } from '@mutirao/reference-data';
import { isLang } from './kinds';

/**
 * The language a person reads: their own choice; else the first of their organisation's working
 * languages that the templates exist in; else English.
 */
export function languageOf(
  person: { language?: string | undefined },
  organisation?: { languages: readonly string[] },
): Lang {
  if (isLang(person.language)) return person.language;
  for (const l of organisation?.languages ?? []) if (isLang(l)) return l;
  return 'en';
}
