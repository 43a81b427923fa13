import { describe, expect, it } from 'vitest';
import { currencies, currency, language, languages } from './codelists';

describe('currencies', () => {
  it('knows the currencies of the exchange’s users', () => {
    expect(currency('XOF')?.name.en).toBe('CFA Franc BCEAO');
    expect(currency('BRL')?.name.en).toBe('Brazilian Real');
    expect(currency('SLE')).toBeDefined();
  });

  it('leaves out withdrawn codes and rejects non-canonical ones', () => {
    expect(currency('VEF')).toBeUndefined();
    expect(currency('ZMK')).toBeUndefined();
    expect(currency('usd')).toBeUndefined();
    expect(currency('ABC')).toBeUndefined();
  });

  it('lists active ISO 4217 codes only', () => {
    expect(currencies().length).toBeGreaterThan(150);
    for (const { code } of currencies()) expect(code).toMatch(/^[A-Z]{3}$/);
  });
});

describe('languages', () => {
  it('knows ISO 639-1 languages by their lower-case code', () => {
    expect(language('pt')?.name.en).toBe('Portuguese');
    expect(language('sw')?.name.en).toBe('Swahili');
    expect(language('PT')).toBeUndefined();
    expect(language('por')).toBeUndefined();
    for (const { code } of languages()) expect(code).toMatch(/^[a-z]{2}$/);
  });
});
