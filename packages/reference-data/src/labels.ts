export type Lang = 'en' | 'fr' | 'es' | 'pt';

export const LANGS: readonly Lang[] = Object.freeze(['en', 'fr', 'es', 'pt']);

/** A name in the four languages of the UI; English is the one every source has. */
export interface Labels {
  en: string;
  fr?: string;
  es?: string;
  pt?: string;
}

export function label(labels: Labels, lang: Lang): string {
  const text = labels[lang];
  return text ? text : labels.en;
}
