import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SENTENCE_CODES, SENTENCES_EN, type Sentence, type SentenceValue } from '@mutirao/contracts';
import { LANGS } from '@mutirao/reference-data';
import { describe, expect, it } from 'vitest';
import { buildVocab } from '../src/vocab';

// The browser's own modules (plain JavaScript, outside the type-checked tree), run in Node: they
// touch no DOM until a page is drawn.
const browserModule = (name: string) => `../public/js/${name}.js`;
const { useLanguage } = (await import(browserModule('i18n'))) as {
  useLanguage: (
    lang: string,
    dict: Record<string, string>,
    vocab: unknown,
    en: Record<string, string>,
  ) => void;
};
const { sentence } = (await import(browserModule('sentences'))) as {
  sentence: (s: Sentence | undefined) => string | null;
};

const PUBLIC = fileURLToPath(new URL('../public/', import.meta.url));
const dict = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(PUBLIC, 'i18n', `${lang}.json`), 'utf8'));

function use(lang: (typeof LANGS)[number]) {
  useLanguage(lang, dict(lang), buildVocab(lang), dict('en'));
}

/** A value of the kind matching sends for a placeholder of that name (see explain.ts, rules.ts). */
const SAMPLES: Record<string, SentenceValue> = {
  type: { of: 'needType', code: 'capacity-building' },
  offered: { of: 'needType', codes: ['financing', 'technology'] },
  status: { of: 'verification', code: 'pending' },
  country: { of: 'country', code: 'SN' },
  needCountry: { of: 'country', code: 'GW' },
  offerCountry: { of: 'country', code: 'BR' },
  providerCountry: { of: 'country', code: 'BR' },
  funderCountry: { of: 'country', code: 'NO' },
  home: { of: 'country', code: 'GW' },
  interest: { of: 'country', code: 'ML' },
  interests: { of: 'country', codes: ['ML', 'NE'] },
  countries: { of: 'country', codes: ['ML', 'NE'], join: 'or' },
  area: { of: 'region', code: 'Western Africa' },
  areas: { of: 'region', codes: ['Western Africa', 'Sub-Saharan Africa', 'Africa'], join: 'none' },
  regions: { of: 'region', codes: ['Sub-Saharan Africa', 'South America'], join: 'or' },
  kind: { of: 'sseForm', code: 'cooperative' },
  kinds: { of: 'organisationKind', codes: ['sse-entity', 'network'], join: 'or' },
  forms: { of: 'sseForm', codes: ['cooperative', 'mutual'], join: 'or' },
  languages: { of: 'language', codes: ['fr', 'pt'], join: 'or' },
  needLanguages: { of: 'language', codes: ['pt'] },
  offerLanguages: { of: 'language', codes: ['fr', 'en'] },
  sectors: { of: 'sector', codes: ['23230'] },
  needSectors: { of: 'sector', codes: ['23230'] },
  offerSectors: { of: 'sector', codes: ['31120'] },
  categories: { of: 'sectorCategory', codes: ['232'] },
  needCategories: { of: 'sectorCategory', codes: ['232'] },
  offerCategories: { of: 'sectorCategory', codes: ['311'] },
  from: { of: 'currency', code: 'XOF' },
  to: { of: 'currency', code: 'USD' },
  amount: { money: 25_000, currency: 'EUR' },
  converted: { money: 27_000, currency: 'USD' },
  min: { money: 10_000, currency: 'USD' },
  max: { money: 100_000, currency: 'USD' },
  needUntil: { date: '2026-03-31' },
  offerUntil: { date: '2026-06-30' },
  date: { date: '2026-03-31' },
  modality: { of: 'modality', code: 'south-south' },
  modalities: { of: 'modality', codes: ['triangular'], join: 'or' },
  goals: { of: 'sdg', codes: ['7', '13'] },
  total: 3,
  score: 0.82,
  similarity: { percent: 0.41 },
  position: { percent: 0.5 },
  words: { quoted: ['solar', 'kiosk'] },
  groups: { of: 'priority', codes: ['ldc', 'sids'], join: 'or' },
  strong: { of: 'criterion', codes: ['sector', 'geography'] },
  weak: { of: 'criterion', codes: ['amount'] },
  role: { of: 'role', code: 'provider' },
  orgs: {
    phrases: [
      { code: 'part.orgIn', params: { org: 'Cooperativa Bissau', country: { of: 'country', code: 'GW' } } },
    ],
  },
  problems: {
    phrases: [
      { code: 'part.offerStatus', params: { status: { of: 'postingStatus', code: 'withdrawn' } } },
      { code: 'part.noCapacity', params: {} },
    ],
  },
  conditions: {
    phrases: [
      {
        code: 'part.regions',
        params: { regions: { of: 'region', codes: ['Sub-Saharan Africa'], join: 'or' } },
      },
      { code: 'part.developing', params: {} },
    ],
  },
  parts: {
    phrases: [
      { code: 'part.sameSector', params: { sectors: { of: 'sector', codes: ['23230'] } } },
      { code: 'part.sameCategory', params: { sectors: { of: 'sector', codes: ['23210'] } } },
    ],
  },
};

const templateOf = (code: string): string => {
  const t = SENTENCES_EN[code as keyof typeof SENTENCES_EN];
  return typeof t === 'string' ? t : t.other;
};

/** A sentence of that code with a value for each of its placeholders: `n` a count, names as written. */
function sample(code: string, n: number): Sentence {
  const names = [...templateOf(code).matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  return {
    code,
    params: Object.fromEntries(
      names.map((k) => [k, k === 'n' ? n : (SAMPLES[k] ?? `Org ${k}`)] as [string, SentenceValue]),
    ),
  };
}

describe('the explanation catalogue', () => {
  it.each(LANGS)(
    'in %s, has a sentence for every code matching can emit, with every value filled in',
    (lang) => {
      use(lang);
      for (const code of SENTENCE_CODES)
        for (const n of [1, 2]) {
          const text = sentence(sample(code, n));
          expect(text, `${lang} ${code}`).not.toBeNull();
          expect(text, `${lang} ${code}`).not.toMatch(/\{\w+\}|explain\.|undefined|\[object/);
        }
    },
  );

  it('holds in English the very sentences matching writes in English', () => {
    const en = dict('en');
    for (const [code, t] of Object.entries(SENTENCES_EN)) {
      if (typeof t === 'string') expect(en[`explain.${code}`], code).toBe(t);
      else {
        expect(en[`explain.${code}.one`], code).toBe(t.one);
        expect(en[`explain.${code}.other`], code).toBe(t.other);
      }
    }
  });

  it.each(LANGS.filter((l) => l !== 'en'))('in %s, writes no sentence in English', (lang) => {
    const written = (l: (typeof LANGS)[number], code: string) => {
      use(l);
      return sentence(sample(code, 2));
    };
    for (const code of SENTENCE_CODES) {
      // A phrase of names alone ("{org} ({country})") reads the same in every language.
      if (/^[{}\w\s()]+$/.test(templateOf(code))) continue;
      expect(written(lang, code), `${lang} ${code}`).not.toBe(written('en', code));
    }
  });

  it('labels the codes in the reader’s language and follows its plural rules', () => {
    use('pt');
    expect(sentence(sample('R5.fail', 1))).toBe(
      'Nenhuma língua de trabalho em comum: a necessidade trabalha em português, a oferta em francês e inglês.',
    );
    expect(sentence(sample('R3.ok', 1))).toContain('mais 1 parceria.');
    expect(sentence(sample('R3.ok', 3))).toContain('mais 3 parcerias.');
    use('fr');
    expect(sentence(sample('R4.fail', 1))).toContain('Afrique subsaharienne');
    // French puts 0 with 1 (Intl.PluralRules), English does not.
    expect(sentence(sample('sector.partly', 0))).toContain('0 secteur du besoin ne trouve');
    use('en');
    expect(sentence(sample('sector.partly', 0))).toContain("0 of the need's sectors find nothing");
    expect(sentence(sample('R1.ok', 1))).toBe(
      'The offer provides capacity building, which the need asks for.',
    );
  });

  it('gives up on a code it does not know, so that the English text is shown instead', () => {
    use('es');
    expect(sentence({ code: 'R9.ok', params: {} })).toBeNull();
    expect(
      sentence({
        code: 'R3.fail',
        params: { problems: { phrases: [{ code: 'part.unknown', params: {} }] } },
      }),
    ).toBeNull();
    expect(sentence(undefined)).toBeNull();
  });
});
