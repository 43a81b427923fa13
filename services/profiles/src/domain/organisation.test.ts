import { readFileSync } from 'node:fs';
import { OrganisationSnapshot } from '@mutirao/contracts';
import { zodProblems } from '@mutirao/http';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { anOrganisation, someFields } from './factories';
import { applyPatch, normalise, sameFields, toSnapshot } from './organisation';
import { ImportedOrganisation, OrganisationInput, RegistrationInput } from './organisation-input';

/** What the input schema refuses, as the 400 answer names it: each field's path and why. */
const problems = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : zodProblems(r.error);
};
const member = { name: 'Ana', email: 'ana@esperanca.example', password: 'correct horse battery' };

describe('organisation fields against the reference data', () => {
  it('accepts a well-formed SSE entity', () => {
    expect(problems(OrganisationInput, someFields())).toEqual([]);
  });

  it('names the field path and the value of every unknown code', () => {
    const organisation = someFields({
      country: 'XX',
      languages: ['pt', 'qq'],
      sectors: ['99999'],
      sseForm: 'guild' as never,
    });
    expect(problems(RegistrationInput, { organisation, member })).toEqual([
      { path: 'organisation.sseForm', message: 'unknown SSE form "guild"' },
      { path: 'organisation.country', message: 'unknown ISO 3166-1 country code "XX"' },
      { path: 'organisation.languages.1', message: 'unknown ISO 639-1 language code "qq"' },
      { path: 'organisation.sectors.0', message: 'unknown DAC 5-digit sector code "99999"' },
    ]);
  });

  it('requires an SSE form for SSE entities and forbids it for partners', () => {
    const { sseForm: _, ...noForm } = someFields();
    expect(problems(OrganisationInput, noForm)).toEqual([
      { path: 'sseForm', message: 'required when kind is "sse-entity"' },
    ]);
    expect(problems(OrganisationInput, someFields({ kind: 'financier' }))).toEqual([
      { path: 'sseForm', message: 'only for kind "sse-entity", not "financier"' },
    ]);
    expect(
      problems(OrganisationInput, someFields({ kind: 'bank' as never, sseForm: undefined })),
    ).toContainEqual({
      path: 'kind',
      message: 'unknown organisation kind "bank"',
    });
  });

  it('accepts every organisation of the public sample exchange file', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../../../scenarios/sample.exchange.json', import.meta.url), 'utf8'),
    ) as { organisations: ({ ref: string } & Record<string, unknown>)[] };
    expect(file.organisations.length).toBeGreaterThan(0);
    for (const { ref, ...o } of file.organisations)
      expect(problems(ImportedOrganisation, o), ref).toEqual([]);
  });
});

describe('normalising and comparing', () => {
  it('drops duplicate codes and lower-cases the contact email', () => {
    const n = normalise(
      someFields({ languages: ['pt', 'pt', 'en'], contact: { email: 'Geral@Esperanca.Example' } }),
    );
    expect(n.languages).toEqual(['pt', 'en']);
    expect(n.contact.email).toBe('geral@esperanca.example');
  });

  it('treats the same fields in another key order as unchanged', () => {
    const a = someFields();
    const b = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(sameFields(a, b)).toBe(true);
    expect(sameFields(a, someFields({ description: 'outra' }))).toBe(false);
  });

  it('applies a patch, null removing an optional field', () => {
    const merged = applyPatch(someFields({ informal: true }), {
      kind: 'network',
      sseForm: null,
      informal: null,
    });
    expect(merged.kind).toBe('network');
    expect(merged).not.toHaveProperty('sseForm');
    expect(merged).not.toHaveProperty('informal');
    expect(merged.country).toBe('MZ');
  });
});

describe('public snapshot', () => {
  it('carries the contract fields and never the contact details', () => {
    const s = toSnapshot(anOrganisation({ ref: 'org-mz-1' }));
    expect(OrganisationSnapshot.parse(s)).toEqual(s);
    expect(s).not.toHaveProperty('contact');
    expect(JSON.stringify(s)).not.toContain('esperanca.example');
    expect(s).toMatchObject({ id: 'org-1', ref: 'org-mz-1', revision: 1, verification: 'pending' });
  });
});
