import { describe, expect, it } from 'vitest';
import { LANGS, label } from './labels';

describe('label', () => {
  it('returns the label in the requested language', () => {
    expect(label({ en: 'Loan', fr: 'Prêt', es: 'Préstamo', pt: 'Empréstimo' }, 'pt')).toBe('Empréstimo');
  });

  it('falls back to English when the language is missing or empty', () => {
    expect(label({ en: 'Rwanda', fr: 'Rwanda' }, 'pt')).toBe('Rwanda');
    expect(label({ en: 'Germany', es: '' }, 'es')).toBe('Germany');
  });

  it('lists the four UI languages, English first', () => {
    expect(LANGS).toEqual(['en', 'fr', 'es', 'pt']);
  });
});
