import { describe, expect, it } from 'vitest';
import { LANGS } from './labels';
import { sseForm, sseForms, VOCABULARY_NAMES, vocabulary, vocabularyLabel } from './vocabularies';

describe('SSE forms', () => {
  it('lists the ILO forms in order', () => {
    expect(sseForms().map((f) => f.code)).toEqual([
      'cooperative',
      'association',
      'mutual',
      'foundation',
      'social-enterprise',
      'self-help-group',
      'other',
    ]);
  });

  it('labels every form in the four languages, Portuguese included', () => {
    for (const form of sseForms()) {
      for (const lang of LANGS) expect(form.name[lang]?.trim(), `${form.code} ${lang}`).toBeTruthy();
    }
    expect(sseForm('cooperative')?.name.pt).toBe('Cooperativa');
    expect(sseForm('self-help-group')?.name.pt).toBe('Grupo de autoajuda');
    expect(sseForm('company')).toBeUndefined();
  });
});

describe('vocabularyLabel', () => {
  it('labels the codes of every vocabulary', () => {
    expect(vocabularyLabel('instrument', 'grant', 'fr')).toBe('Subvention');
    expect(vocabularyLabel('instrument', 'loan', 'es')).toBe('Préstamo');
    expect(vocabularyLabel('modality', 'south-south', 'pt')).toBe('Cooperação Sul-Sul');
    expect(vocabularyLabel('needType', 'capacity-building', 'fr')).toBe('Renforcement des capacités');
    expect(vocabularyLabel('organisationKind', 'sse-entity', 'en')).toBe('SSE entity');
    expect(vocabularyLabel('sseForm', 'mutual', 'fr')).toBe('Mutuelle');
  });

  it('returns undefined for a code of another vocabulary or an unknown code', () => {
    expect(vocabularyLabel('instrument', 'cooperative', 'en')).toBeUndefined();
    expect(vocabularyLabel('modality', 'bilateral', 'en')).toBeUndefined();
  });

  it('has the codes of the exchange contracts, each labelled in the four languages', () => {
    const codes = Object.fromEntries(VOCABULARY_NAMES.map((v) => [v, vocabulary(v).map((e) => e.code)]));
    expect(codes).toEqual({
      organisationKind: [
        'sse-entity',
        'financier',
        'technology-provider',
        'market-partner',
        'training-provider',
        'network',
        'public-agency',
        'international-organisation',
      ],
      needType: [
        'market-access',
        'technology',
        'financing',
        'capacity-building',
        'knowledge-exchange',
        'supply-chain',
      ],
      instrument: [
        'grant',
        'loan',
        'equity',
        'guarantee',
        'technical-assistance',
        'training',
        'technology-licence',
        'equipment',
        'market-agreement',
        'peer-exchange',
      ],
      modality: ['south-south', 'triangular', 'north-south'],
      sseForm: [
        'cooperative',
        'association',
        'mutual',
        'foundation',
        'social-enterprise',
        'self-help-group',
        'other',
      ],
    });
    for (const v of VOCABULARY_NAMES) {
      for (const entry of vocabulary(v)) {
        for (const lang of LANGS) expect(entry.name[lang]?.trim(), `${v} ${entry.code} ${lang}`).toBeTruthy();
      }
    }
  });
});
