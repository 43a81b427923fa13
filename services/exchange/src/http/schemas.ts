import {
  Instrument,
  Modality,
  NeedType,
  OrganisationKind,
  PostingStatus,
  Priority,
  SseForm,
} from '@mutirao/contracts';
import {
  KnownCountry as Country,
  KnownCurrency as Currency,
  KnownLanguage as Language,
  KnownRegion as Region,
  KnownSector as Sector,
  KnownSectorCategory as SectorCategoryCode,
} from '@mutirao/reference-data';
import { z } from 'zod';

export { Country, Currency, Language, Region, Sector, SectorCategoryCode };

export const Sdg = z
  .number()
  .int()
  .min(1, 'SDG goals run from 1 to 17')
  .max(17, 'SDG goals run from 1 to 17');

const Amount = z.number().nonnegative('must not be negative').max(1e13, 'is implausibly large');
const Money = z.strictObject({ value: Amount, currency: Currency });
const MoneyRange = z
  .strictObject({ min: Amount, max: Amount, currency: Currency })
  .refine((r) => r.min <= r.max, { error: 'min must not exceed max', path: ['min'] });

/** ISO 8601: a date-time with offset, or a date (the posting then runs to the end of that day, UTC). */
export const Expiry = z
  .string()
  .refine((s) => z.iso.datetime({ offset: true }).safeParse(s).success || z.iso.date().safeParse(s).success, {
    error: 'an ISO 8601 date (2030-06-30) or date-time with offset',
  })
  .transform((s) => (s.length === 10 ? new Date(`${s}T23:59:59.999Z`) : new Date(s)));

/** A call's date: a date-time with offset, or a date (then the start of that day, UTC, or its end for `end`). */
const callDate = (end: boolean) =>
  z
    .string()
    .refine(
      (s) => z.iso.datetime({ offset: true }).safeParse(s).success || z.iso.date().safeParse(s).success,
      {
        error: 'an ISO 8601 date (2030-06-30) or date-time with offset',
      },
    )
    .transform((s) =>
      (s.length === 10
        ? new Date(`${s}T${end ? '23:59:59.999' : '00:00:00.000'}Z`)
        : new Date(s)
      ).toISOString(),
    );

/**
 * A call's terms as a caller writes them; which combinations make sense (a capacity, the order of
 * the dates) is the domain's to say (`checkCall`), under the same field paths.
 */
const Call = z.strictObject({
  places: z.number().int('must be a whole number').min(1, 'at least 1').max(100_000).optional(),
  budget: Money.optional(),
  opensAt: callDate(false),
  closesAt: callDate(true),
  fairness: z
    .strictObject({
      lowestFirst: z.boolean().optional(),
      countryCap: z.number().int('must be a whole number').min(1, 'at least 1').max(100_000).optional(),
    })
    .optional(),
});

const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `at most ${max} items`);
const Title = z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters');
const Description = z.string().max(10_000, 'at most 10 000 characters');
const Notes = z.string().max(5_000, 'at most 5 000 characters');
const Ref = z.string().min(1).max(200);

const Eligibility = z.strictObject({
  countries: list(Country, 300).optional(),
  regions: list(Region, 50).optional(),
  developingOnly: z.boolean().optional(),
  sseForms: list(SseForm, 10).optional(),
  organisationKinds: list(OrganisationKind, 10).optional(),
});

/** Fields of a need a caller writes; optional lists default to empty, `fundingRequired` to false. */
const needFields = {
  type: NeedType,
  title: Title,
  description: Description,
  language: Language,
  workingLanguages: list(Language, 20).min(1, 'at least one working language'),
  sectors: list(Sector, 50).optional(),
  sdgs: list(Sdg, 17).optional(),
  amount: Money.optional(),
  fundingRequired: z.boolean().optional(),
  countriesOfInterest: list(Country, 300).optional(),
  confidentialNotes: Notes.optional(),
};

const offerFields = {
  types: list(NeedType, 6).min(1, 'at least one type'),
  instrument: Instrument,
  title: Title,
  description: Description,
  language: Language,
  workingLanguages: list(Language, 20).min(1, 'at least one working language'),
  sectors: list(Sector, 100).optional(),
  sdgs: list(Sdg, 17).optional(),
  eligibility: Eligibility.optional(),
  priorities: list(Priority, 3).optional(),
  amount: MoneyRange.optional(),
  modalities: list(Modality, 3).min(1, 'at least one modality'),
  capacity: z.number().int('must be a whole number').min(0, 'must not be negative').max(100_000),
  call: Call.optional(),
  confidentialNotes: Notes.optional(),
};

const Status = z.enum(['draft', 'open']);

export const NeedCreate = z.strictObject({
  ...needFields,
  expiresAt: Expiry,
  status: Status.default('open'),
  ref: Ref.optional(),
  /** The admin posts on behalf of an organisation; a member may only name its own. */
  organisationId: z.string().min(1).max(100).optional(),
});
export const OfferCreate = z.strictObject({
  ...offerFields,
  expiresAt: Expiry,
  status: Status.default('open'),
  ref: Ref.optional(),
  organisationId: z.string().min(1).max(100).optional(),
});

export const NeedUpsert = z.strictObject({
  ...needFields,
  expiresAt: Expiry,
  status: Status,
  organisationId: z.string().min(1).max(100),
});
export const OfferUpsert = z.strictObject({
  ...offerFields,
  expiresAt: Expiry,
  status: Status,
  organisationId: z.string().min(1).max(100),
});

/** PATCH: any content field, or the expiry; `null` removes an optional field. */
export const NeedPatch = z.strictObject({
  type: needFields.type.optional(),
  title: Title.optional(),
  description: Description.optional(),
  language: Language.optional(),
  workingLanguages: needFields.workingLanguages.optional(),
  sectors: list(Sector, 50).optional(),
  sdgs: list(Sdg, 17).optional(),
  amount: Money.nullable().optional(),
  fundingRequired: z.boolean().optional(),
  countriesOfInterest: list(Country, 300).optional(),
  confidentialNotes: Notes.nullable().optional(),
  expiresAt: Expiry.optional(),
});
export const OfferPatch = z.strictObject({
  types: offerFields.types.optional(),
  instrument: Instrument.optional(),
  title: Title.optional(),
  description: Description.optional(),
  language: Language.optional(),
  workingLanguages: offerFields.workingLanguages.optional(),
  sectors: list(Sector, 100).optional(),
  sdgs: list(Sdg, 17).optional(),
  eligibility: Eligibility.optional(),
  priorities: list(Priority, 3).optional(),
  amount: MoneyRange.nullable().optional(),
  modalities: offerFields.modalities.optional(),
  capacity: offerFields.capacity.optional(),
  call: Call.nullable().optional(),
  confidentialNotes: Notes.nullable().optional(),
  expiresAt: Expiry.optional(),
});

export const Renew = z.strictObject({ expiresAt: Expiry });
export const NoBody = z.strictObject({});

export const RefParam = Ref.regex(/^[A-Za-z0-9._:~-]+$/, 'letters, digits and . _ : ~ -');

export const SearchQuery = z.strictObject({
  type: NeedType.optional(),
  country: Country.optional(),
  region: Region.optional(),
  sectorCategory: SectorCategoryCode.optional(),
  sdg: z.coerce.number().pipe(Sdg).optional(),
  language: Language.optional(),
  status: PostingStatus.optional(),
  organisationId: z.string().min(1).max(100).optional(),
  sort: z.enum(['newest', 'expiry']).default('newest'),
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100, 'at most 100 per page').default(20),
});

/** The most postings in one import request: a client sends a large file in chunks of this size. */
export const IMPORT_MAX = 1_000;

/** Refs unique within one import request: two items of one ref would overwrite each other. */
const uniqueRefs = (items: { ref: string }[], ctx: z.RefinementCtx) => {
  const first = new Map<string, number>();
  items.forEach((item, i) => {
    const seen = first.get(item.ref);
    if (seen === undefined) first.set(item.ref, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'ref'], message: `ref ${item.ref} repeats item ${seen}` });
  });
};

const importItems = <T extends z.ZodType<{ ref: string }>>(item: T) =>
  z
    .array(item)
    .min(1, 'at least one item')
    .max(IMPORT_MAX, `at most ${IMPORT_MAX} items per request`)
    .superRefine((items, ctx) => uniqueRefs(items as { ref: string }[], ctx));

export const NeedImport = z.strictObject({ items: importItems(NeedUpsert.extend({ ref: RefParam })) });
export const OfferImport = z.strictObject({ items: importItems(OfferUpsert.extend({ ref: RefParam })) });
