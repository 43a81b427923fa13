import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS } from '@mutirao/reference-data';
import { describe, expect, it } from 'vitest';

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const dict = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(PUBLIC, 'i18n', `${lang}.json`), 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

describe('the UI languages', () => {
  // The browser offers its own list and, for the one chosen, loads `i18n/<lang>.json` and the
  // server's `vocab/<lang>.json`, which the server builds for each language of the reference data.
  it('are the same in the browser, the dictionaries and the reference data', () => {
    const list = readFileSync(join(PUBLIC, 'js', 'i18n.js'), 'utf8').match(
      /export const LANGS = [^[]*\[([^\]]*)\]/,
    );
    const browser = [...(list?.[1] ?? '').matchAll(/'([a-z]{2})'/g)].map((m) => m[1]);
    expect(browser).toEqual([...LANGS]);
    const dictionaries = readdirSync(join(PUBLIC, 'i18n'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
    expect(dictionaries.sort()).toEqual([...LANGS].sort());
  });
});

describe('the dictionaries', () => {
  const en = dict('en');

  it.each(LANGS.filter((l) => l !== 'en'))(
    '%s has every English key, each translated, and no other',
    (lang) => {
      const d = dict(lang);
      expect(Object.keys(d).sort()).toEqual(Object.keys(en).sort());
      for (const [k, v] of Object.entries(d)) expect(v.trim(), k).not.toBe('');
      // Placeholders survive translation (a translation may name one twice, or once where English names it twice).
      const names = (x: string) => [...new Set(x.match(/\{\w+\}/g) ?? [])].sort();
      for (const [k, v] of Object.entries(en)) expect(names(d[k] ?? ''), k).toEqual(names(v));
    },
  );

  it('gives every count-dependent string its "other" form, the one Intl.PluralRules falls back to', () => {
    for (const lang of LANGS) {
      const d = dict(lang);
      // A count-dependent string has its `one` form at least (reason.other is a word, not a form).
      const counted = Object.keys(d)
        .filter((k) => k.endsWith('.one'))
        .map((k) => k.slice(0, -'.one'.length));
      expect(counted.length, lang).toBeGreaterThan(0);
      for (const key of counted) expect(d[`${key}.other`], `${lang}: ${key}.other`).toContain('{n}');
    }
  });

  it('says counts through plural forms, never "need(s)" or "señalado(s)"', () => {
    // A letter followed by one to three letters in brackets: (s), (es), (x), (a)…
    for (const lang of LANGS)
      for (const [k, v] of Object.entries(dict(lang)))
        expect(v, `${lang}: ${k}`).not.toMatch(/\p{L}\(\p{L}{1,3}\)/u);
  });

  it('holds every key the code asks for by name', () => {
    const used = new Set<string>();
    for (const file of sources(join(PUBLIC, 'js')))
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-z][\w.-]+)'/g)) used.add(m[1] ?? '');
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});
