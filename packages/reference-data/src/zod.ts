import { CountryCode, CurrencyCode, LanguageCode, SectorCode } from '@mutirao/contracts';
import { z } from 'zod';
import { currency, language } from './codelists';
import { country, m49Region } from './countries';
import { sdgTarget } from './sdg';
import { sector, sectorCategory } from './sectors';

/**
 * Codes checked against the reference data, one zod type each: the shape first (the contracts'
 * pattern), then existence. Every service and the command line parse with these, so a code is
 * refused with the same words everywhere ("unknown DAC 5-digit sector code \"99999\"").
 */
const known =
  (what: string, exists: (code: string) => unknown) =>
  <S extends z.ZodType<string>>(shape: S) =>
    shape.refine((c) => exists(c) !== undefined, {
      error: (iss) => `unknown ${what} ${JSON.stringify(iss.input)}`,
    });

export const KnownCountry = known('ISO 3166-1 country code', country)(CountryCode);
export const KnownLanguage = known('ISO 639-1 language code', language)(LanguageCode);
export const KnownCurrency = known('ISO 4217 currency code', currency)(CurrencyCode);
export const KnownSector = known('DAC 5-digit sector code', sector)(SectorCode);
export const KnownSectorCategory = known(
  'DAC 3-digit sector category',
  sectorCategory,
)(z.string().regex(/^\d{3}$/, 'a DAC 3-digit sector category'));
export const KnownRegion = known('UN M49 region or sub-region name', m49Region)(z.string().min(1).max(100));

/** An SDG target as the UN numbers it (`8.3`, `1.a`). */
export const KnownSdgTarget = known(
  'SDG target',
  sdgTarget,
)(z.string().regex(/^\d{1,2}\.(\d{1,2}|[a-z])$/, 'an SDG target code such as 8.3 or 1.a'));
