import {
  countries,
  currencies,
  LANGS,
  type Labels,
  type Lang,
  label,
  languages,
  m49Regions,
  sdgGoals,
  sdgTargets,
  sectorCategories,
  sectors,
  VOCABULARY_NAMES,
  vocabulary,
} from '@mutirao/reference-data';
import { M49_REGION_NAMES } from './m49-names';

/**
 * The reference vocabularies as the browser needs them, one document per UI language, so that
 * pickers search labels in the language the user reads. Short keys keep the download small:
 * `c` code, `n` name, `r` region, `s` sub-region, `i` intermediate region, `g` category.
 */
export interface VocabDocument {
  lang: Lang;
  countries: {
    c: string;
    n: string;
    r: string | null;
    s: string | null;
    i: string | null;
    d: boolean | null;
  }[];
  regions: { c: string; n: string; l: string }[];
  sectorCategories: { c: string; n: string }[];
  sectors: { c: string; n: string; g: string }[];
  sdgs: { c: number; n: string }[];
  /** SDG targets ('8.3', '1.a'): the outcome reports' picker (services/followup). */
  sdgTargets: { c: string; n: string }[];
  languages: { c: string; n: string }[];
  currencies: { c: string; n: string }[];
  vocabularies: Record<string, { c: string; n: string }[]>;
}

/** Names the sources give in English only are filled from the runtime's CLDR data (Intl). */
function withCldr(
  labels: Labels,
  lang: Lang,
  code: string,
  type: 'region' | 'language' | 'currency',
): string {
  if (labels[lang]) return label(labels, lang);
  try {
    const name = new Intl.DisplayNames([lang], { type, fallback: 'none' }).of(code);
    if (name) return name;
  } catch {
    // An unknown code for Intl: the English name is the better answer.
  }
  return labels.en;
}

const byName = (lang: Lang) => (a: { n: string }, b: { n: string }) => a.n.localeCompare(b.n, lang);

export function buildVocab(lang: Lang): VocabDocument {
  return {
    lang,
    countries: countries()
      .map((c) => ({
        c: c.code,
        n: withCldr(c.name, lang, c.code, 'region'),
        r: c.region,
        s: c.subRegion,
        i: c.intermediateRegion,
        d: c.developing,
      }))
      .sort(byName(lang)),
    regions: m49Regions().map((r) => ({
      c: r.name,
      n: (lang === 'en' ? undefined : M49_REGION_NAMES[r.name]?.[lang]) ?? r.name,
      l: r.level === 'region' ? 'r' : r.level === 'sub-region' ? 's' : 'i',
    })),
    sectorCategories: sectorCategories().map((s) => ({ c: s.code, n: label(s.name, lang) })),
    sectors: sectors().map((s) => ({ c: s.code, n: label(s.name, lang), g: s.category })),
    sdgs: sdgGoals().map((g) => ({ c: g.number, n: label(g.name, lang) })),
    sdgTargets: sdgTargets().map((t) => ({ c: t.code, n: label(t.name, lang) })),
    languages: languages()
      .map((l) => ({ c: l.code, n: withCldr(l.name, lang, l.code, 'language') }))
      .sort(byName(lang)),
    currencies: currencies().map((c) => ({ c: c.code, n: withCldr(c.name, lang, c.code, 'currency') })),
    vocabularies: Object.fromEntries(
      VOCABULARY_NAMES.map((v) => [v, vocabulary(v).map((e) => ({ c: e.code, n: label(e.name, lang) }))]),
    ),
  };
}

/** Every language's document, built once at start. */
export function buildAllVocab(): Map<Lang, string> {
  return new Map(LANGS.map((lang) => [lang, JSON.stringify(buildVocab(lang))]));
}
