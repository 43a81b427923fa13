import { z } from 'zod';

/**
 * Shapes of the JSON files in `data/generated/`, written by `scripts/convert.ts` from the source
 * files beside them. A schema and its type share one name.
 */
export const SourceLabels = z.strictObject({
  en: z.string().min(1),
  fr: z.string().min(1).optional(),
  es: z.string().min(1).optional(),
});
export type SourceLabels = z.infer<typeof SourceLabels>;

export const CountryRecord = z.strictObject({
  code: z.string().regex(/^[A-Z]{2}$/),
  iso3: z.string().regex(/^[A-Z]{3}$/),
  m49: z.string().regex(/^\d{3}$/),
  name: SourceLabels,
  region: z.string().min(1).nullable(),
  subRegion: z.string().min(1).nullable(),
  intermediateRegion: z.string().min(1).nullable(),
  developing: z.boolean().nullable(),
  ldc: z.boolean(),
  lldc: z.boolean(),
  sids: z.boolean(),
});
export type CountryRecord = z.infer<typeof CountryRecord>;
export const CountriesFile = z.array(CountryRecord);
export type CountriesFile = z.infer<typeof CountriesFile>;

const CodeName = z.strictObject({ code: z.string().min(1), name: SourceLabels });

export const SectorsFile = z.strictObject({
  categories: z.array(z.strictObject({ code: z.string().regex(/^\d{3}$/), name: SourceLabels })),
  sectors: z.array(
    z.strictObject({
      code: z.string().regex(/^\d{5}$/),
      category: z.string().regex(/^\d{3}$/),
      name: SourceLabels,
    }),
  ),
});
export type SectorsFile = z.infer<typeof SectorsFile>;

export const SdgFile = z.strictObject({
  goals: z.array(
    z.strictObject({ number: z.number().int().min(1).max(17), name: SourceLabels, title: SourceLabels }),
  ),
  targets: z.array(
    z.strictObject({
      code: z.string().regex(/^\d{1,2}\.(\d{1,2}|[a-z])$/),
      goal: z.number().int().min(1).max(17),
      name: SourceLabels,
    }),
  ),
});
export type SdgFile = z.infer<typeof SdgFile>;

export const CodelistsFile = z.strictObject({ currencies: z.array(CodeName), languages: z.array(CodeName) });
export type CodelistsFile = z.infer<typeof CodelistsFile>;

export const FxFile = z.strictObject({
  asOf: z.iso.date(),
  base: z.literal('USD'),
  note: z.string(),
  unitsPerUsd: z.record(z.string().regex(/^[A-Z]{3}$/), z.number().positive()),
});
export type FxFile = z.infer<typeof FxFile>;
