import {
  type Phrase,
  SENTENCE_CODES,
  SENTENCES_EN,
  type Sentence,
  type SentenceValue,
} from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { explainSingle, explainTriad } from './explain';
import { english } from './sentences';
import { aPair } from './testing/factories';
import type { Explanation } from './types';

/** Every sentence and phrase in an explanation, nested ones included. */
function allSentences(e: Explanation): (Sentence | Phrase)[] {
  const out: (Sentence | Phrase)[] = [];
  const visit = (s: Sentence | Phrase) => {
    out.push(s);
    for (const v of Object.values(s.params) as SentenceValue[])
      if (typeof v === 'object' && 'phrases' in v) v.phrases.forEach(visit);
  };
  [...e.summarySentences, ...e.rules.map((r) => r.sentence), ...e.criteria.map((c) => c.sentence)].forEach(
    visit,
  );
  return out;
}

const byRule = (e: Explanation, rule: string) => e.rules.find((r) => r.rule === rule)?.sentence;
const byCriterion = (e: Explanation, name: string, role = 'offer') =>
  e.criteria.find((c) => c.name === name && c.role === role)?.sentence;

describe('the structured explanation', () => {
  it('gives every rule, every part of the score and the summary a sentence code, written out in English beside it', () => {
    const e = explainSingle(aPair(), 'south-south', 0.8, new Set());
    for (const r of e.rules) {
      expect(r.sentence.code.startsWith(`${r.rule}.`), r.sentence.code).toBe(true);
      expect(r.text).toBe(english(r.sentence));
    }
    for (const c of e.criteria) {
      expect(c.sentence.code.startsWith(`${c.name}.`), c.sentence.code).toBe(true);
      expect(c.text).toBe(english(c.sentence));
    }
    expect(e.summarySentences[0]?.code).toBe('summary.single');
    expect(e.summary).toBe(e.summarySentences.map(english).join(' '));
    for (const s of allSentences(e)) expect(SENTENCE_CODES).toContain(s.code);
  });

  it('names countries, languages, sectors and modalities by code, for the reader’s language', () => {
    const e = explainSingle(
      aPair({
        need: { workingLanguages: ['pt'], sectors: ['23230'] },
        needOrg: { country: 'GW' },
        offer: { workingLanguages: ['fr', 'en'], sectors: ['31120'] },
        offerOrg: { country: 'SN' },
      }),
      'south-south',
      0.5,
      new Set(),
    );
    expect(byRule(e, 'R5')).toEqual({
      code: 'R5.fail',
      params: {
        needLanguages: { of: 'language', codes: ['pt'] },
        offerLanguages: { of: 'language', codes: ['fr', 'en'] },
      },
    });
    expect(byRule(e, 'R6')).toMatchObject({
      code: 'R6.fail',
      params: {
        needSectors: { of: 'sector', codes: ['23230'] },
        needCategories: { of: 'sectorCategory', codes: ['232'] },
        offerSectors: { of: 'sector', codes: ['31120'] },
      },
    });
    expect(byRule(e, 'R8')).toMatchObject({
      code: 'R8.okAny',
      params: {
        needCountry: { of: 'country', code: 'GW' },
        modality: { of: 'modality', code: 'south-south' },
      },
    });
    expect(e.summarySentences[0]?.params).toMatchObject({
      modality: { of: 'modality', code: 'south-south' },
      score: 0.5,
      needCountry: { of: 'country', code: 'GW' },
    });
  });

  it('keeps amounts with their currency, shares as numbers and counts for the plural', () => {
    const e = explainSingle(
      aPair({
        need: { amount: { value: 10_000, currency: 'EUR' }, sdgs: [7, 13] },
        offer: { amount: { min: 1_000, max: 100_000, currency: 'USD' }, sdgs: [7], capacity: 1 },
      }),
      'south-south',
      0.5,
      new Set(),
    );
    const r7 = byRule(e, 'R7');
    expect(r7?.code).toBe('R7.okConverted');
    expect(r7?.params).toMatchObject({
      amount: { money: 10_000, currency: 'EUR' },
      min: { money: 1_000, currency: 'USD' },
      max: { money: 100_000, currency: 'USD' },
    });
    expect(r7?.params.converted).toMatchObject({ currency: 'USD' });
    expect(byRule(e, 'R3')).toMatchObject({ code: 'R3.ok', params: { n: 1 } });
    // One partnership, not "partnership(s)".
    expect(e.rules.find((r) => r.rule === 'R3')?.text).toContain('1 more partnership.');
    expect(byCriterion(e, 'sdg')).toEqual({
      code: 'sdg.shared',
      params: { goals: { of: 'sdg', codes: ['7'] }, n: 1, total: 2 },
    });
    const amount = byCriterion(e, 'amount');
    expect(amount?.code).toBe('amount.position');
    expect(amount?.params.position).toEqual({ percent: expect.any(Number) });
  });

  it('lists the failed conditions of a rule as phrases with their own codes', () => {
    const e = explainSingle(
      aPair({
        needOrg: { country: 'NP' },
        offer: { eligibility: { regions: ['Sub-Saharan Africa'], developingOnly: true } },
      }),
      'south-south',
      0.5,
      new Set(),
    );
    expect(byRule(e, 'R4')).toEqual({
      code: 'R4.fail',
      params: {
        org: expect.any(String),
        kind: { of: 'sseForm', code: 'cooperative' },
        country: { of: 'country', code: 'NP' },
        areas: { of: 'region', codes: ['Southern Asia', 'Asia'], join: 'none' },
        conditions: {
          phrases: [
            {
              code: 'part.regions',
              params: { regions: { of: 'region', codes: ['Sub-Saharan Africa'], join: 'or' } },
            },
          ],
        },
      },
    });
  });

  it('says which part a triad’s strengths are about by the role’s code', () => {
    const provider = aPair({ offerOrg: { id: 'p', country: 'RW' } });
    const funder = aPair({
      offer: { id: 'f', types: ['financing'], modalities: ['triangular'] },
      offerOrg: { id: 'f-org', country: 'NO', kind: 'financier', sseForm: undefined },
    });
    const e = explainTriad(provider, funder, 0.6, new Set());
    expect(e.summarySentences[0]?.code).toBe('summary.triad');
    const roles = e.summarySentences.slice(1).map((s) => s.params.role);
    expect(roles.length).toBeGreaterThan(0);
    for (const r of roles) expect(['provider', 'funder']).toContain((r as { code: string }).code);
    expect(byRule(e, 'triad-partners')?.code).toBe('triad-partners.ok');
    // The English text of a triad's line says whose it is; the sentence leaves that to `role`.
    const funderLine = e.rules.find((r) => r.role === 'funder' && r.rule === 'triad-funder');
    expect(funderLine?.text).toBe(`Funder: ${english(funderLine?.sentence as Sentence)}`);
    for (const s of allSentences(e)) expect(SENTENCE_CODES).toContain(s.code);
  });

  it('has an English template for every code, whose placeholders the plural forms share', () => {
    for (const [code, template] of Object.entries(SENTENCES_EN)) {
      if (typeof template === 'string') continue;
      const names = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(template.one), code).toEqual(names(template.other));
      expect(template.other, code).toContain('{n}');
    }
  });
});
