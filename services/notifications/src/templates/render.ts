import { type Lang, vocabularyLabel } from '@mutirao/reference-data';
import escapeHtml from 'escape-html';
import type { Facts } from '../domain/decide';
import type { Kind } from '../domain/kinds';
import { CATALOG, type Text } from './catalog';
import { webWord } from './web-words';

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export interface RenderInput {
  kind: Kind;
  language: Lang;
  facts: Facts;
  /** The absolute address of the one link. */
  link: string;
  name?: string;
  /** The one-click unsubscribe address (none for invitations and resets). */
  unsubscribeUrl?: string;
  /** Where to choose channels (none for invitations and resets). */
  preferencesUrl?: string;
}

const PLACEHOLDER = /\{([a-z]+)\}/g;
const WEB_WORD = /\{w:([A-Za-z0-9.-]+)\}/g;

/** The form of a text for a count, by the language's plural rules. */
export function pluralForm(text: Text, lang: Lang, n: number | undefined): string {
  if (typeof text === 'string') return text;
  const category = new Intl.PluralRules(lang).select(n ?? 0);
  return text[category] ?? text.other;
}

const dateOf = (iso: string | undefined, lang: Lang): string | undefined =>
  iso === undefined
    ? undefined
    : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

function countryName(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The values of the placeholders, in `lang`: labels for codes, dates and lists as the language writes them. */
export function valuesOf(facts: Facts, lang: Lang, name?: string): Record<string, string> {
  const v: Record<string, string | undefined> = {
    name,
    organisation: facts.organisation,
    parties:
      facts.parties && facts.parties.length > 0
        ? new Intl.ListFormat(lang, { type: 'conjunction' }).format(facts.parties)
        : undefined,
    type: facts.needType ? (vocabularyLabel('needType', facts.needType, lang) ?? facts.needType) : undefined,
    modality: facts.modality
      ? (vocabularyLabel('modality', facts.modality, lang) ?? facts.modality)
      : undefined,
    title: facts.title,
    country: facts.country ? countryName(facts.country, lang) : undefined,
    note: facts.note ?? CATALOG[lang].common.noNote,
    answer: facts.answer,
    date: dateOf(facts.expiresAt, lang),
    days: facts.days === undefined ? undefined : new Intl.NumberFormat(lang).format(facts.days),
    months: facts.months === undefined ? undefined : new Intl.NumberFormat(lang).format(facts.months),
    count: facts.items ? new Intl.NumberFormat(lang).format(facts.items.length) : undefined,
  };
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * Fills a text: web words first, then the placeholders; `escaped` is applied to each value (the
 * catalogue's own words are trusted, the values are not). A placeholder without a value is left as
 * it is, which the template tests catch.
 */
function fill(
  template: string,
  lang: Lang,
  values: Record<string, string>,
  escaped: (s: string) => string,
): string {
  return template
    .replace(WEB_WORD, (whole, key: string) => {
      const w = webWord(lang, key);
      return w === undefined ? whole : escaped(w);
    })
    .replace(PLACEHOLDER, (whole, key: string) => {
      const value = values[key];
      return value === undefined ? whole : escaped(value);
    });
}

const same = (s: string) => s;

/** A mail (subject, plain text, HTML) or an in-app item's words, for one notice in its language. */
export function render(input: RenderInput): Rendered {
  const { kind, language: lang, facts } = input;
  const words = CATALOG[lang];
  const t = words.kinds[kind];
  const n = kind === 'digest' ? facts.items?.length : kind === 'report-due' ? facts.months : facts.days;
  const values = valuesOf(facts, lang, input.name);
  const plain = (x: Text) => fill(pluralForm(x, lang, n), lang, values, same);
  const html = (x: Text) => fill(pluralForm(x, lang, n), lang, values, escapeHtml);
  const greeting = input.name ? words.common.greetingNamed : words.common.greeting;

  const subject = plain(t.subject);
  const items = facts.items ?? [];
  const text = [
    fill(greeting, lang, values, same),
    '',
    plain(t.happened),
    ...items.map((i) => `- ${i.title}\n  ${i.link}`),
    '',
    plain(t.todo),
    '',
    `${plain(t.action)}: ${input.link}`,
    ...(input.unsubscribeUrl || input.preferencesUrl
      ? [
          '',
          '--',
          fill(words.common.why, lang, values, same),
          ...(input.preferencesUrl ? [`${words.common.preferences}: ${input.preferencesUrl}`] : []),
          ...(input.unsubscribeUrl ? [`${words.common.unsubscribe}: ${input.unsubscribeUrl}`] : []),
        ]
      : []),
    '',
  ].join('\n');

  const a = (href: string, label: string, style = '') =>
    `<a href="${escapeHtml(href)}"${style ? ` style="${style}"` : ''}>${label}</a>`;
  const body = [
    `<p>${fill(greeting, lang, values, escapeHtml)}</p>`,
    `<p>${html(t.happened)}</p>`,
    ...(items.length > 0
      ? [`<ul>${items.map((i) => `<li>${a(i.link, escapeHtml(i.title))}</li>`).join('')}</ul>`]
      : []),
    `<p>${html(t.todo)}</p>`,
    `<p>${a(
      input.link,
      html(t.action),
      'display:inline-block;padding:10px 16px;background:#1d5e3a;color:#ffffff;text-decoration:none;border-radius:4px',
    )}</p>`,
    ...(input.unsubscribeUrl || input.preferencesUrl
      ? [
          `<hr><p style="font-size:12px;color:#555555">${fill(words.common.why, lang, values, escapeHtml)}` +
            (input.preferencesUrl
              ? `<br>${a(input.preferencesUrl, escapeHtml(words.common.preferences))}`
              : '') +
            (input.unsubscribeUrl
              ? `<br>${a(input.unsubscribeUrl, escapeHtml(words.common.unsubscribe))}`
              : '') +
            '</p>',
        ]
      : []),
  ].join('\n');
  const htmlDoc = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:600px">
${body}
</body>
</html>
`;
  return { subject, text, html: htmlDoc };
}
