import { z } from 'zod';

/** Closed vocabularies of the exchange file (`mutirao.exchange/v1`). */
export const OrganisationKind = z.enum([
  'sse-entity',
  'financier',
  'technology-provider',
  'market-partner',
  'training-provider',
  'network',
  'public-agency',
  'international-organisation',
]);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

/** The ILO's SSE entity forms (2022 resolution). */
export const SseForm = z.enum([
  'cooperative',
  'association',
  'mutual',
  'foundation',
  'social-enterprise',
  'self-help-group',
  'other',
]);
export type SseForm = z.infer<typeof SseForm>;

export const NeedType = z.enum([
  'market-access',
  'technology',
  'financing',
  'capacity-building',
  'knowledge-exchange',
  'supply-chain',
]);
export type NeedType = z.infer<typeof NeedType>;

export const Instrument = z.enum([
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
]);
export type Instrument = z.infer<typeof Instrument>;

export const Modality = z.enum(['south-south', 'triangular', 'north-south']);
export type Modality = z.infer<typeof Modality>;

export const Priority = z.enum(['ldc', 'lldc', 'sids']);
export type Priority = z.infer<typeof Priority>;

/** Lifecycle of needs and offers. `expired` is the closing done by the scheduler at `expiresAt`. */
export const PostingStatus = z.enum(['draft', 'open', 'matched', 'closed', 'withdrawn', 'expired']);
export type PostingStatus = z.infer<typeof PostingStatus>;

export const ProposalStatus = z.enum([
  'proposed',
  'approved',
  'rejected',
  'info-requested',
  /** The party answered the coordinator's question: it awaits the coordinator again. */
  'info-provided',
  'accepted',
  'declined',
  'agreed',
  'expired',
]);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

/** Shapes of codes; whether a code exists is checked against `@mutirao/reference-data`. */
export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
export const LanguageCode = z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
export const SectorCode = z.string().regex(/^\d{5}$/, 'a DAC 5-digit purpose code');
export const SdgGoal = z.number().int().min(1).max(17);

export const Money = z.strictObject({ value: z.number().nonnegative(), currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

export const MoneyRange = z
  .strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative(), currency: CurrencyCode })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] });
export type MoneyRange = z.infer<typeof MoneyRange>;

export const Eligibility = z.strictObject({
  countries: z.array(CountryCode).optional(),
  regions: z.array(z.string().min(1)).optional(),
  developingOnly: z.boolean().optional(),
  sseForms: z.array(SseForm).optional(),
  organisationKinds: z.array(OrganisationKind).optional(),
});
export type Eligibility = z.infer<typeof Eligibility>;
