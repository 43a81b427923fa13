/**
 * The sentences of a proposal's explanation in the reader's language: matching sends each as a code
 * with its parameters (packages/contracts, `explanation.ts`), the dictionaries hold the wording as
 * `explain.<code>` (`.one` / `.other` for the sentences that follow a count), and the codes inside
 * (countries, regions, sectors, languages…) are labelled from the vocabularies.
 */
import { has, label, lang, money, plural, t } from './i18n.js';

/** @typedef {{ code: string, params: Record<string, any> }} Sentence */

const LIST_TYPES = /** @type {const} */ ({ and: 'conjunction', or: 'disjunction', none: 'unit' });

/**
 * Lowercase the first letter of a vocabulary label used inside a sentence ("Financing" → "financing"),
 * but not of an acronym ("SSE entity").
 * @param {string} s
 */
const inSentence = (s) => (/^\p{Lu}\p{Ll}/u.test(s) ? s[0]?.toLocaleLowerCase(lang()) + s.slice(1) : s);

/**
 * A code of one vocabulary as words of the current language.
 * @param {string} of
 * @param {string} code
 */
function codeLabel(of, code) {
  switch (of) {
    case 'sector':
    case 'sectorCategory':
      return `${code} (${label(of, code)})`;
    // The summary says "SDG 7 and 13": the goals by number.
    case 'sdg':
    case 'currency':
      return code;
    case 'country':
    case 'region':
    case 'language':
      return label(of, code);
    case 'needType':
    case 'sseForm':
    case 'organisationKind':
      return inSentence(label(of, code));
    case 'role':
      return t(`role.${code}`);
    case 'modality':
    case 'criterion':
    case 'priority':
    case 'verification':
      return t(`explain.${of === 'criterion' ? 'crit' : of}.${code}`);
    case 'postingStatus':
      return t(`explain.status.${code}`);
    default:
      return code;
  }
}

/**
 * @param {string[]} items
 * @param {'and' | 'or' | 'none' | undefined} join
 */
function listed(items, join) {
  return new Intl.ListFormat(lang(), { type: LIST_TYPES[join ?? 'and'] }).format(items);
}

/** @param {any} v */
function value(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return new Intl.NumberFormat(lang(), { maximumFractionDigits: 2 }).format(v);
  if ('phrases' in v) return listed(v.phrases.map(render), v.join);
  if ('codes' in v)
    return listed(
      v.codes.map((/** @type {string} */ c) => codeLabel(v.of, c)),
      v.join,
    );
  if ('code' in v) return codeLabel(v.of, v.code);
  if ('money' in v) return money(v.money, v.currency);
  if ('percent' in v) return new Intl.NumberFormat(lang(), { style: 'percent' }).format(v.percent);
  // A day, not an instant: read and written in UTC so that no time zone moves it.
  if ('date' in v)
    return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(v.date));
  if ('quoted' in v)
    return listed(
      v.quoted.map((/** @type {string} */ w) => t('explain.quote', { w })),
      v.join,
    );
  return '';
}

/**
 * @param {Sentence} s
 * @returns {string}
 */
function render(s) {
  /** @type {Record<string, string>} */
  const vars = {};
  for (const [k, v] of Object.entries(s.params)) vars[k] = value(v);
  const key = `explain.${s.code}`;
  return has(`${key}.other`) ? plural(key, Number(s.params.n), vars) : t(key, vars);
}

/**
 * The sentence in the current language, or null when the dictionaries do not know its code (a
 * sentence added to matching later): the caller shows the English text instead.
 * @param {Sentence | undefined} s
 * @returns {string | null}
 */
export function sentence(s) {
  if (!s || !knows(s)) return null;
  return render(s);
}

/** @param {Sentence} s @returns {boolean} */
function knows(s) {
  const key = `explain.${s.code}`;
  if (!has(key) && !has(`${key}.other`)) return false;
  return Object.values(s.params).every(
    (v) => typeof v !== 'object' || !('phrases' in v) || v.phrases.every(knows),
  );
}
