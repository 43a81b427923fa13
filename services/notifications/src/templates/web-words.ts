import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LANGS, type Lang } from '@mutirao/reference-data';

/**
 * The web app's message catalogue (services/web/public/i18n/<lang>.json): mails name its pages and
 * buttons with its own words, so a reader finds in the page what the mail told them to look for.
 */
let catalogue: Record<Lang, Record<string, string>> | undefined;

export function webWords(): Record<Lang, Record<string, string>> {
  if (catalogue) return catalogue;
  const root = dirname(createRequire(import.meta.url).resolve('@mutirao/web/package.json'));
  catalogue = Object.fromEntries(
    LANGS.map((l) => [l, JSON.parse(readFileSync(join(root, 'public', 'i18n', `${l}.json`), 'utf8'))]),
  ) as Record<Lang, Record<string, string>>;
  return catalogue;
}

/** A word of the web catalogue, in `lang`, else in English; undefined when neither has the key. */
export function webWord(lang: Lang, key: string): string | undefined {
  const words = webWords();
  return words[lang][key] ?? words.en[key];
}
