import { z } from 'zod';
import { Explanation } from './proposal-events';
import {
  CountryCode,
  Eligibility,
  Instrument,
  LanguageCode,
  Modality,
  Money,
  MoneyRange,
  NeedType,
  OrganisationKind,
  Priority,
  ProposalStatus,
  SdgGoal,
  SectorCode,
  SseForm,
} from './vocab';

/**
 * The exchange file, format `mutirao.exchange/v1` (shared/design/EXCHANGE-FILE.md): a public
 * interface, so strict (unknown fields are errors) and versioned by its `format` tag. This is the
 * shape; whether codes exist is checked against the reference data by the importer.
 */
export const EXCHANGE_FORMAT = 'mutirao.exchange/v1';

const Ref = z.string().trim().min(1).max(200);
const DateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const FileOrganisation = z.strictObject({
  ref: Ref,
  name: z.string().trim().min(1).max(300),
  kind: OrganisationKind,
  sseForm: SseForm.optional(),
  informal: z.boolean().optional(),
  country: CountryCode,
  languages: z.array(LanguageCode).min(1),
  sectors: z.array(SectorCode),
  description: z.string().max(5000),
  verified: z.boolean().optional(),
  contact: z.strictObject({ email: z.email(), phone: z.string().max(50).optional() }).optional(),
});
export type FileOrganisation = z.infer<typeof FileOrganisation>;

const Posting = {
  ref: Ref,
  organisation: Ref,
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10_000),
  language: LanguageCode,
  workingLanguages: z.array(LanguageCode).min(1),
  sectors: z.array(SectorCode),
  sdgs: z.array(SdgGoal),
  expiresAt: DateTime,
};

export const FileNeed = z.strictObject({
  ...Posting,
  type: NeedType,
  amount: Money.optional(),
  fundingRequired: z.boolean().optional(),
  countriesOfInterest: z.array(CountryCode).optional(),
  /** Exported only: where the need stands. */
  status: z.string().optional(),
});
export type FileNeed = z.infer<typeof FileNeed>;

export const FileOffer = z.strictObject({
  ...Posting,
  types: z.array(NeedType).min(1),
  instrument: Instrument,
  eligibility: Eligibility.optional(),
  priorities: z.array(Priority).optional(),
  amount: MoneyRange.optional(),
  modalities: z.array(Modality).optional(),
  capacity: z.number().int().nonnegative(),
  /** A call: its capacity assigned all at once when it closes (see `OfferCall`). */
  call: z
    .strictObject({
      places: z.number().int().positive().optional(),
      budget: Money.optional(),
      opensAt: DateTime,
      closesAt: DateTime,
      fairness: z
        .strictObject({
          lowestFirst: z.boolean().optional(),
          countryCap: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
  status: z.string().optional(),
});
export type FileOffer = z.infer<typeof FileOffer>;

export const FileProposal = z.object({
  id: z.string(),
  need: Ref,
  offers: z.array(Ref).min(1).max(2),
  modality: Modality,
  score: z.number().min(0).max(1),
  rank: z.number().int().positive(),
  status: ProposalStatus,
  /** English sentences and, for proposals made since it exists, the structured form beside them. */
  explanation: Explanation,
});
export type FileProposal = z.infer<typeof FileProposal>;

export const ExchangeFile = z.strictObject({
  format: z.literal(EXCHANGE_FORMAT),
  organisations: z.array(FileOrganisation).default([]),
  needs: z.array(FileNeed).default([]),
  offers: z.array(FileOffer).default([]),
  /** Written on export; ignored on import. */
  proposals: z.array(z.unknown()).optional(),
});
export type ExchangeFile = z.infer<typeof ExchangeFile>;
