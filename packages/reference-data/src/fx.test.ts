import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from './build/csv';
import { currency } from './codelists';
import { country } from './countries';
import { convert, fxAsOf, unitsPerUsd } from './fx';
import { FxFile } from './schemas';

describe('convert', () => {
  it('leaves an amount in its own currency unchanged', () => {
    expect(convert(100, 'USD', 'USD')).toBe(100);
    expect(convert(250, 'XOF', 'XOF')).toBe(250);
  });

  it('converts an amount in a currency without a rate to itself only', () => {
    expect(unitsPerUsd('IRR')).toBeUndefined();
    expect(convert(1000, 'IRR', 'IRR')).toBe(1000);
    expect(convert(1000, 'IRR', 'USD')).toBeUndefined();
  });

  it('returns undefined for unknown currencies', () => {
    expect(convert(100, 'USD', 'ABC')).toBeUndefined();
    expect(convert(100, 'ABC', 'USD')).toBeUndefined();
    expect(convert(100, 'ABC', 'ABC')).toBeUndefined();
    expect(convert(100, 'usd', 'EUR')).toBeUndefined();
  });

  it('respects the fixed pegs of the CFA francs, the lev and the Gulf currencies', () => {
    expect(convert(1, 'EUR', 'XOF')).toBeCloseTo(655.957, 1);
    expect(convert(1, 'EUR', 'XAF')).toBeCloseTo(655.957, 1);
    expect(convert(1000, 'XOF', 'XAF')).toBeCloseTo(1000, 6);
    expect(convert(1, 'EUR', 'BGN')).toBeCloseTo(1.95583, 3);
    expect(convert(100, 'USD', 'SAR')).toBeCloseTo(375, 6);
    expect(convert(100, 'NAD', 'ZAR')).toBeCloseTo(100, 6);
  });

  it('gives plausible amounts for the currencies of the exchange’s users', () => {
    const usdInBrl = convert(1, 'USD', 'BRL') ?? Number.NaN;
    expect(usdInBrl).toBeGreaterThan(4);
    expect(usdInBrl).toBeLessThan(8);
    const eurInUsd = convert(1, 'EUR', 'USD') ?? Number.NaN;
    expect(eurInUsd).toBeGreaterThan(0.9);
    expect(eurInUsd).toBeLessThan(1.3);
  });

  it('round-trips through another currency', () => {
    const kes = convert(5000, 'BRL', 'KES') ?? Number.NaN;
    expect(convert(kes, 'KES', 'BRL')).toBeCloseTo(5000, 6);
  });

  it('has rates for the most used currencies and states their date', () => {
    const mostUsed =
      'USD EUR GBP JPY CNY CHF CAD AUD NZD HKD SGD KRW INR BRL MXN ZAR RUB TRY SEK NOK DKK PLN IDR THB MYR PHP VND ' +
      'ARS CLP COP PEN EGP NGN KES GHS MAD XOF XAF ETB TZS UGX RWF PKR BDT LKR NPR SAR AED';
    for (const code of mostUsed.split(' ')) expect(unitsPerUsd(code), code).toBeGreaterThan(0);
    expect(fxAsOf()).toBe('2024-12-31');
  });

  it('has rates only for ISO 4217 currencies', () => {
    const rates = FxFile.parse(
      JSON.parse(readFileSync(new URL('../data/fx-usd.json', import.meta.url), 'utf8')),
    );
    // Zimbabwe Gold (2024) and the Caribbean guilder (2025) are newer than the IATI currency list.
    const unlisted = Object.keys(rates.unitsPerUsd).filter((code) => !currency(code));
    expect(unlisted).toEqual(['XCG', 'ZWG']);
  });

  it('has a rate for the currency of every developing country but the documented exceptions', () => {
    const csv = readFileSync(new URL('../data/countries/country-codes.csv', import.meta.url), 'utf8');
    const missing = new Set<string>();
    for (const row of parseCsv(csv)) {
      if (country(row['ISO3166-1-Alpha-2'] ?? '')?.developing !== true) continue;
      for (const code of (row['ISO4217-currency_alphabetic_code'] ?? '').split(',')) {
        if (code && unitsPerUsd(code) === undefined) missing.add(code);
      }
    }
    // Several rates or none that means anything (see data/README.md), and Uruguay's index unit.
    expect([...missing].sort()).toEqual(['CUP', 'IRR', 'KPW', 'MMK', 'SDG', 'SSP', 'UYW', 'YER']);
  });
});
