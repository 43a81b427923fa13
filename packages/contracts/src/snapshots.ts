import { z } from 'zod';
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
  PostingStatus,
  Priority,
  SdgGoal,
  SectorCode,
  SseForm,
} from './vocab';

/**
 * Public snapshots carried by every event of an aggregate (event-carried state transfer).
 * `revision` grows by one with each change; consumers apply an event only when its revision is
 * newer than the one they hold. Contact details are never part of a public snapshot.
 */
const Aggregate = {
  id: z.string().min(1),
  revision: z.number().int().positive(),
  /** External reference kept from an exchange-file import (`ref`), if any. */
  ref: z.string().min(1).optional(),
  updatedAt: z.iso.datetime({ offset: true }),
};

export const VerificationStatus = z.enum(['pending', 'verified', 'declined', 'revoked']);
export type VerificationStatus = z.infer<typeof VerificationStatus>;

export const OrganisationSnapshot = z.object({
  ...Aggregate,
  name: z.string().min(1),
  kind: OrganisationKind,
  sseForm: SseForm.optional(),
  informal: z.boolean().optional(),
  country: CountryCode,
  languages: z.array(LanguageCode),
  sectors: z.array(SectorCode),
  description: z.string(),
  verification: VerificationStatus,
});
export type OrganisationSnapshot = z.infer<typeof OrganisationSnapshot>;

export const NeedSnapshot = z.object({
  ...Aggregate,
  organisationId: z.string().min(1),
  type: NeedType,
  title: z.string().min(1),
  description: z.string(),
  language: LanguageCode,
  workingLanguages: z.array(LanguageCode).min(1),
  sectors: z.array(SectorCode),
  sdgs: z.array(SdgGoal),
  amount: Money.optional(),
  fundingRequired: z.boolean(),
  countriesOfInterest: z.array(CountryCode),
  expiresAt: z.iso.datetime({ offset: true }),
  status: PostingStatus,
  /**
   * `revocation`: the exchange closed it because its organisation's verification was revoked; its
   * owner may renew it once the organisation is verified again. Absent otherwise.
   */
  closedBy: z.enum(['revocation']).optional(),
});
export type NeedSnapshot = z.infer<typeof NeedSnapshot>;

/**
 * A call: an offer whose capacity (a number of places, a budget in its currency, or both) is assigned
 * all at once when it closes, across every eligible need, instead of to whichever need came first.
 * At least one of `places` and `budget`; `closesAt` after `opensAt` (the exchange checks both).
 */
export const CallFairness = z.object({
  /** Raise the lowest score among the chosen needs first, then the total. */
  lowestFirst: z.boolean().optional(),
  /** At most this many chosen needs from one country. */
  countryCap: z.number().int().positive().optional(),
});
export type CallFairness = z.infer<typeof CallFairness>;

export const OfferCall = z.object({
  places: z.number().int().positive().optional(),
  budget: Money.optional(),
  opensAt: z.iso.datetime({ offset: true }),
  closesAt: z.iso.datetime({ offset: true }),
  fairness: CallFairness.optional(),
});
export type OfferCall = z.infer<typeof OfferCall>;

export const OfferSnapshot = z.object({
  ...Aggregate,
  organisationId: z.string().min(1),
  types: z.array(NeedType).min(1),
  instrument: Instrument,
  title: z.string().min(1),
  description: z.string(),
  language: LanguageCode,
  workingLanguages: z.array(LanguageCode).min(1),
  /** Empty means any sector. */
  sectors: z.array(SectorCode),
  sdgs: z.array(SdgGoal),
  eligibility: Eligibility,
  priorities: z.array(Priority),
  amount: MoneyRange.optional(),
  modalities: z.array(Modality),
  /** Partnerships it can still enter; at zero the offer is no longer matchable. */
  capacity: z.number().int().nonnegative(),
  /** Present on a call: matching assigns it when it closes, never pair by pair. */
  call: OfferCall.optional(),
  expiresAt: z.iso.datetime({ offset: true }),
  status: PostingStatus,
  /**
   * `revocation`: the exchange closed it because its organisation's verification was revoked; its
   * owner may renew it once the organisation is verified again. Absent otherwise.
   */
  closedBy: z.enum(['revocation']).optional(),
});
export type OfferSnapshot = z.infer<typeof OfferSnapshot>;
