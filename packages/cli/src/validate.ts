import { ExchangeFile, type FileNeed, type FileOffer, type FileOrganisation } from '@mutirao/contracts';
import {
  KnownCountry,
  KnownCurrency,
  KnownLanguage,
  KnownRegion,
  KnownSector,
  sdgGoal,
} from '@mutirao/reference-data';
import type { z } from 'zod';

/** One thing wrong with a file: where (a JSON path such as `$.needs[3].sectors[0]`) and why. */
export interface Problem {
  path: string;
  message: string;
}

export type Validation = { ok: true; file: ExchangeFile } | { ok: false; problems: Problem[] };

const jsonPath = (parts: readonly PropertyKey[]): string =>
  `$${parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;

/**
 * Checks a whole file before anything is stored: the format and every field's type (strict:
 * unknown fields are problems), then what a schema cannot see: codes that do not exist in the
 * reference data, duplicate refs, postings of organisations the file does not hold.
 * Every problem is listed, not just the first.
 */
export function validateFile(json: unknown): Validation {
  const parsed = ExchangeFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      path: jsonPath(i.path),
      message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
    }));
    // Reference checks still run on the parts that parsed, so one pass lists everything.
    return { ok: false, problems: [...problems, ...referenceProblems(json)] };
  }
  const problems = referenceProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, file: parsed.data };
}

type Loose = Partial<Record<'organisations' | 'needs' | 'offers', unknown>>;

function referenceProblems(json: unknown): Problem[] {
  const problems: Problem[] = [];
  if (typeof json !== 'object' || json === null) return problems;
  const file = json as Loose;
  const list = <T>(v: unknown): Partial<T>[] => (Array.isArray(v) ? (v as Partial<T>[]) : []);
  const orgs = list<FileOrganisation>(file.organisations);
  const needs = list<FileNeed>(file.needs);
  const offers = list<FileOffer>(file.offers);
  const add = (path: string, message: string) => problems.push({ path, message });

  // The reference-checked types every service parses with: the same words for the same code.
  const code = (path: string, v: unknown, known: z.ZodType) => {
    if (typeof v !== 'string') return;
    const r = known.safeParse(v);
    if (!r.success) add(path, r.error.issues[0]?.message ?? `unknown code "${v}"`);
  };
  const codes = (base: string, field: string, values: unknown, known: z.ZodType) => {
    if (!Array.isArray(values)) return;
    values.forEach((v, i) => {
      code(`${base}.${field}[${i}]`, v, known);
    });
  };
  const duplicates = (kind: string, items: { ref?: unknown }[]) => {
    const seen = new Map<unknown, number>();
    items.forEach((it, i) => {
      if (typeof it.ref !== 'string') return;
      const first = seen.get(it.ref);
      if (first !== undefined)
        add(`$.${kind}[${i}].ref`, `duplicate ref "${it.ref}" (also at $.${kind}[${first}])`);
      else seen.set(it.ref, i);
    });
  };

  duplicates('organisations', orgs);
  duplicates('needs', needs);
  duplicates('offers', offers);
  const orgRefs = new Set(orgs.map((o) => o.ref));

  orgs.forEach((o, i) => {
    const base = `$.organisations[${i}]`;
    code(`${base}.country`, o.country, KnownCountry);
    codes(base, 'languages', o.languages, KnownLanguage);
    codes(base, 'sectors', o.sectors, KnownSector);
    if (o.kind === 'sse-entity' && !o.sseForm) add(`${base}.sseForm`, 'required when kind is sse-entity');
    if (o.kind && o.kind !== 'sse-entity' && o.sseForm)
      add(`${base}.sseForm`, 'only SSE entities have an SSE form');
  });

  const posting = (kind: 'needs' | 'offers', p: Partial<FileNeed> | Partial<FileOffer>, i: number) => {
    const base = `$.${kind}[${i}]`;
    if (typeof p.organisation === 'string' && !orgRefs.has(p.organisation)) {
      add(`${base}.organisation`, `no organisation with ref "${p.organisation}" in this file`);
    }
    code(`${base}.language`, p.language, KnownLanguage);
    codes(base, 'workingLanguages', p.workingLanguages, KnownLanguage);
    codes(base, 'sectors', p.sectors, KnownSector);
    if (Array.isArray(p.sdgs)) {
      p.sdgs.forEach((g, j) => {
        if (typeof g === 'number' && !sdgGoal(g)) add(`${base}.sdgs[${j}]`, `unknown SDG goal ${g}`);
      });
    }
    code(`${base}.amount.currency`, p.amount?.currency, KnownCurrency);
  };
  needs.forEach((n, i) => {
    posting('needs', n, i);
    codes(`$.needs[${i}]`, 'countriesOfInterest', n.countriesOfInterest, KnownCountry);
  });
  offers.forEach((o, i) => {
    posting('offers', o, i);
    const base = `$.offers[${i}].eligibility`;
    codes(base, 'countries', o.eligibility?.countries, KnownCountry);
    codes(base, 'regions', o.eligibility?.regions, KnownRegion);
  });
  return problems;
}
