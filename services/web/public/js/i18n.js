/**
 * Strings and vocabulary labels in the chosen language (EN, FR, ES, PT). Dictionaries live in
 * `i18n/<lang>.json`; vocabularies (countries, regions, sectors, SDGs, languages, the exchange's
 * own codes) come from the server's `vocab/<lang>.json`, built from the reference data.
 */

export const LANGS = /** @type {const} */ (['en', 'fr', 'es', 'pt']);
const KEY = 'mutirao.lang';
/** The versioned folder this module was served from: dictionaries are cached as long as it is. */
const BASE = new URL('../', import.meta.url);

/** @type {Record<string, string>} */
let dict = {};
/** @type {Record<string, string>} */
let fallback = {};
/** @type {any} */
let vocab = {
  countries: [],
  regions: [],
  sectors: [],
  sectorCategories: [],
  sdgs: [],
  sdgTargets: [],
  languages: [],
  vocabularies: {},
};
/** @type {Record<string, Map<string, string>>} */
let index = {};
let current = 'en';

export const lang = () => current;

/** The saved choice, else the browser's first supported language, else English. */
export function initialLang() {
  const saved = localStorage.getItem(KEY);
  if (saved && LANGS.includes(/** @type {any} */ (saved))) return saved;
  for (const l of navigator.languages ?? []) {
    const base = l.slice(0, 2).toLowerCase();
    if (LANGS.includes(/** @type {any} */ (base))) return base;
  }
  return 'en';
}

/** @param {string} path */
const getJson = async (path) => {
  const res = await fetch(new URL(path, BASE));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
};

/** How many languages were asked for (`setLang`). */
let asked = 0;

/**
 * Takes the language into use once its dictionaries are loaded.
 * @param {string} l
 * @returns {Promise<boolean>} false when another language was asked for meanwhile (that one wins)
 */
export async function setLang(l) {
  // The last language asked for wins: two quick changes (ArrowDown twice on the switch) fetch side
  // by side, and the first to be asked must not be taken into use after the second.
  const ticket = ++asked;
  const [d, v, f] = await Promise.all([
    getJson(`i18n/${l}.json`),
    getJson(`vocab/${l}.json`),
    l === 'en' || fallback.app ? fallback : getJson('i18n/en.json'),
  ]);
  if (ticket !== asked) return false;
  useLanguage(l, d, v, f);
  localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
  return true;
}

/**
 * The language's dictionary, vocabularies and the English dictionary (its fallback) taken into use;
 * `setLang` fetches them, unit tests hand them over from the files.
 * @param {string} l
 * @param {Record<string, string>} d
 * @param {any} v
 * @param {Record<string, string>} f
 */
export function useLanguage(l, d, v, f) {
  dict = d;
  fallback = l === 'en' ? d : f;
  vocab = v;
  index = {
    country: new Map(v.countries.map((/** @type {any} */ c) => [c.c, c.n])),
    region: new Map(v.regions.map((/** @type {any} */ c) => [c.c, c.n])),
    sector: new Map(v.sectors.map((/** @type {any} */ c) => [c.c, c.n])),
    sectorCategory: new Map(v.sectorCategories.map((/** @type {any} */ c) => [c.c, c.n])),
    sdg: new Map(v.sdgs.map((/** @type {any} */ c) => [String(c.c), c.n])),
    sdgTarget: new Map((v.sdgTargets ?? []).map((/** @type {any} */ c) => [c.c, c.n])),
    language: new Map(v.languages.map((/** @type {any} */ c) => [c.c, c.n])),
  };
  for (const [name, list] of Object.entries(v.vocabularies))
    index[name] = new Map(/** @type {any[]} */ (list).map((c) => [c.c, c.n]));
  current = l;
}

/**
 * A UI string with `{name}` placeholders filled in.
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(key, vars) {
  const s = dict[key] ?? fallback[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? `{${k}}`)) : s;
}

/** Whether the dictionaries hold the key (in the current language or in English). @param {string} key */
export const has = (key) => key in dict || key in fallback;

/**
 * A UI string that depends on a count: `key.<category>` for the count's plural category in the
 * current language (`Intl.PluralRules`: one, other, …), else `key.other`; `{n}` is the count.
 * @param {string} key
 * @param {number} n
 * @param {Record<string, string | number>} [vars]
 */
export function plural(key, n, vars) {
  const category = new Intl.PluralRules(current).select(n);
  const chosen = `${key}.${category}` in dict || `${key}.${category}` in fallback ? category : 'other';
  return t(`${key}.${chosen}`, { n: num(n), ...vars });
}

/**
 * The label of a code in one vocabulary: country, region, sector, sectorCategory, sdg, language,
 * needType, instrument, modality, sseForm, organisationKind.
 * @param {string} name
 * @param {string | number} code
 */
export function label(name, code) {
  return index[name]?.get(String(code)) ?? String(code);
}

/**
 * A vocabulary as `{ code, label }` options for pickers and selects.
 * @param {string} name
 * @returns {{ code: string, label: string, hint?: string }[]}
 */
export function options(name) {
  switch (name) {
    case 'country':
      return vocab.countries.map((/** @type {any} */ c) => ({ code: c.c, label: c.n, hint: c.c }));
    case 'region':
      return vocab.regions.map((/** @type {any} */ c) => ({ code: c.c, label: c.n }));
    case 'sector':
      return vocab.sectors.map((/** @type {any} */ c) => ({ code: c.c, label: c.n, hint: c.c }));
    case 'sdg':
      return vocab.sdgs.map((/** @type {any} */ c) => ({ code: String(c.c), label: `${c.c}. ${c.n}` }));
    case 'sdgTarget':
      return vocab.sdgTargets.map((/** @type {any} */ c) => ({ code: c.c, label: `${c.c} ${c.n}` }));
    case 'currency':
      return vocab.currencies.map((/** @type {any} */ c) => ({ code: c.c, label: `${c.c} · ${c.n}` }));
    case 'language':
      return vocab.languages.map((/** @type {any} */ c) => ({ code: c.c, label: c.n, hint: c.c }));
    default:
      return (vocab.vocabularies[name] ?? []).map((/** @type {any} */ c) => ({ code: c.c, label: c.n }));
  }
}

/** Countries by code, for client-side geography (region and sub-region, developing status). */
export const countryFacts = () =>
  new Map(
    vocab.countries.map((/** @type {any} */ c) => [
      c.c,
      { region: c.r, subRegion: c.s, intermediateRegion: c.i, developing: c.d },
    ]),
  );

/** @param {string | Date} iso */
export const date = (iso) => new Intl.DateTimeFormat(current, { dateStyle: 'medium' }).format(new Date(iso));
/** @param {number} n */
export const num = (n) => new Intl.NumberFormat(current).format(n);
/** @param {number} value @param {string} currency */
export const money = (value, currency) => {
  try {
    return new Intl.NumberFormat(current, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      value,
    );
  } catch {
    return `${num(value)} ${currency}`;
  }
};
