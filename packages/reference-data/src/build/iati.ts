import type { SourceLabels } from '../schemas';

export interface CodelistItem {
  code: string;
  name: SourceLabels;
  category: string | undefined;
}

/**
 * The active items of an IATI codelist file (IATI-Codelists-NonEmbedded layout). An item with
 * no `status` attribute is active; withdrawn items are left out.
 */
export function parseIatiCodelist(xml: string): CodelistItem[] {
  const items: CodelistItem[] = [];
  for (const [, attributes = '', body = ''] of xml.matchAll(
    /<codelist-item\b([^>]*)>([\s\S]*?)<\/codelist-item>/g,
  )) {
    const status = /\bstatus="([^"]*)"/.exec(attributes)?.[1] ?? 'active';
    if (status !== 'active') continue;
    const code = element(body, 'code');
    const nameXml = /<name>([\s\S]*?)<\/name>/.exec(body)?.[1];
    if (!code || nameXml === undefined)
      throw new Error(`IATI item without code or name: ${body.slice(0, 80)}`);
    items.push({ code, name: narratives(nameXml, code), category: element(body, 'category') });
  }
  return items;
}

function element(xml: string, tag: string): string | undefined {
  const text = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
  return text === undefined ? undefined : decodeXml(text.trim());
}

function narratives(xml: string, code: string): SourceLabels {
  const byLang = new Map<string, string>();
  for (const [, lang = 'en', text = ''] of xml.matchAll(
    /<narrative(?:\s+xml:lang="([a-z]+)")?\s*>([\s\S]*?)<\/narrative>/g,
  )) {
    byLang.set(lang, decodeXml(text.trim()));
  }
  const en = byLang.get('en');
  if (!en) throw new Error(`IATI item ${code} has no English name`);
  const fr = byLang.get('fr');
  const es = byLang.get('es');
  return { en, ...(fr ? { fr } : {}), ...(es ? { es } : {}) };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}
