import {
  type Phrase,
  SENTENCES_EN,
  type Sentence,
  type SentenceCode,
  type SentenceLeaf,
  type SentenceValue,
  type SentenceVocabulary,
} from '@mutirao/contracts';
import { categoryName, countryName, languageName, sectorName } from './reference';
import { day, list, money, needTypeWords, percent } from './words';

/**
 * Explanations as data (a code and its parameters, see `SENTENCES_EN` of the contracts) and their
 * English wording, written beside them for the exported file and for readers that know no codes.
 */

type Join = 'and' | 'or' | 'none';

export function say(code: SentenceCode, params: Record<string, SentenceValue> = {}): Sentence {
  return { code, params };
}

export function phrase(code: SentenceCode, params: Record<string, SentenceLeaf> = {}): Phrase {
  return { code, params };
}

export function phrases(items: readonly Phrase[], join?: Join): SentenceValue {
  return join ? { phrases: [...items], join } : { phrases: [...items] };
}

export function code(of: SentenceVocabulary, value: string | number): SentenceLeaf {
  return { of, code: String(value) };
}

export function codes(
  of: SentenceVocabulary,
  values: readonly (string | number)[],
  join?: Join,
): SentenceLeaf {
  const all = values.map(String);
  return join ? { of, codes: all, join } : { of, codes: all };
}

export function quoted(words: readonly string[]): SentenceLeaf {
  return { quoted: [...words] };
}

const PRIORITY_WORDS: Record<string, string> = {
  ldc: 'least developed countries',
  lldc: 'landlocked developing countries',
  sids: 'small island developing states',
};

const CRITERION_WORDS: Record<string, string> = {
  sector: 'sector',
  sdg: 'shared SDGs',
  text: 'similar descriptions',
  geography: 'geography',
  amount: 'amount',
  priority: 'priority countries',
};

const MODALITY_WORDS: Record<string, string> = {
  'south-south': 'South-South',
  'north-south': 'North-South',
  triangular: 'triangular',
};

const ROLE_WORDS: Record<string, string> = { offer: 'Offer', provider: 'Provider', funder: 'Funder' };

/** A code in English: names from the reference data, the exchange's own codes as words. */
function englishLabel(of: SentenceVocabulary, c: string): string {
  switch (of) {
    case 'country':
      return countryName(c);
    case 'sector':
      return `${c} (${sectorName(c)})`;
    case 'sectorCategory':
      return `${c} (${categoryName(c)})`;
    case 'language':
      return languageName(c);
    case 'needType':
      return needTypeWords(c as Parameters<typeof needTypeWords>[0]) ?? c;
    case 'modality':
      return MODALITY_WORDS[c] ?? c;
    case 'criterion':
      return CRITERION_WORDS[c] ?? c;
    case 'priority':
      return PRIORITY_WORDS[c] ?? c;
    case 'role':
      return ROLE_WORDS[c] ?? c;
    case 'sseForm':
    case 'organisationKind':
      return c.replace(/-/g, ' ');
    case 'region':
    case 'sdg':
    case 'currency':
    case 'verification':
    case 'postingStatus':
      return c;
  }
}

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function listed(items: readonly string[], join: Join | undefined): string {
  return join === 'none' ? items.join(', ') : list(items, join);
}

function englishValue(v: SentenceValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numbers.format(v);
  if ('phrases' in v) return listed(v.phrases.map(english), v.join);
  if ('code' in v) return englishLabel(v.of, v.code);
  if ('codes' in v)
    return listed(
      v.codes.map((c) => englishLabel(v.of, c)),
      v.join,
    );
  if ('money' in v) return money(v.money, v.currency);
  if ('percent' in v) return percent(v.percent);
  if ('date' in v) return day(v.date);
  return listed(
    v.quoted.map((w) => `“${w}”`),
    v.join,
  );
}

/** The sentence in English, from `SENTENCES_EN`; its plural form follows `params.n`. */
export function english(s: Sentence | Phrase): string {
  const template: string | { one: string; other: string } | undefined = SENTENCES_EN[s.code as SentenceCode];
  if (template === undefined) throw new Error(`no English sentence for ${s.code}`);
  const n = s.params.n;
  const text = typeof template === 'string' ? template : n === 1 || n === '1' ? template.one : template.other;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = s.params[k];
    if (v === undefined) throw new Error(`${s.code}: no value for {${k}}`);
    return englishValue(v);
  });
}
