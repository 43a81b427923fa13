import { z } from 'zod';
import { CountryCode, Modality, Money, NeedType, SdgGoal, SectorCode } from './vocab';

/** What a party brings to a partnership: the need's organisation, the offer's provider, a triad's funder. */
export const PartyRole = z.enum(['beneficiary', 'provider', 'funder']);
export type PartyRole = z.infer<typeof PartyRole>;

/** Kept by the parties: `not-started` and `ended-early` close a partnership as `completed` does. */
export const PartnershipStatus = z.enum(['ongoing', 'completed', 'ended-early', 'not-started']);
export type PartnershipStatus = z.infer<typeof PartnershipStatus>;

/** Months after the agreement at which each party reports (3, 6 and 12 by default). */
export const ReportPeriod = z.number().int().min(1).max(60);

export const Party = z.object({
  organisationId: z.string().min(1),
  role: PartyRole,
  /** The organisation's country when the partnership was recorded, if known then. */
  country: CountryCode.optional(),
});
export type Party = z.infer<typeof Party>;

/**
 * A partnership's public snapshot, carried by every event of it (reports' stories and comments stay
 * in the follow-up service; their indicators reach the public figures only summed).
 */
export const PartnershipSnapshot = z.object({
  /** The agreed proposal's id: one partnership per agreed proposal. */
  id: z.string().min(1),
  revision: z.number().int().positive(),
  updatedAt: z.iso.datetime({ offset: true }),
  needId: z.string().min(1),
  offerIds: z.array(z.string().min(1)).min(1).max(2),
  /** Beneficiary first, then provider, then funder (a triad has all three). */
  parties: z.array(Party).min(2).max(3),
  triad: z.boolean(),
  modality: Modality,
  needType: NeedType,
  sectors: z.array(SectorCode),
  sdgs: z.array(SdgGoal),
  amount: Money.optional(),
  agreedAt: z.iso.datetime({ offset: true }),
  /** The day the work starts (YYYY-MM-DD); the agreement's day until the parties say otherwise. */
  startDate: z.iso.date(),
  status: PartnershipStatus,
  /** The periods reports are due at, and the reports filed so far (organisation and period). */
  reportPeriods: z.array(ReportPeriod),
  filed: z.array(z.object({ organisationId: z.string().min(1), period: ReportPeriod })),
});
export type PartnershipSnapshot = z.infer<typeof PartnershipSnapshot>;

/**
 * Events of the follow-up service on `mutirao.followup.partnership.v1`, keyed by partnership id.
 *
 * - `recorded`: an agreed proposal became a partnership.
 * - `updated`: a party changed its status, start date or amount.
 * - `report-filed`: a party filed (or amended) its report for a period.
 * - `report-due`: a period's reports are due and these parties have not filed theirs (a reminder,
 *   sent once per period when it falls due; the notifications service tells their members).
 */
export const PartnershipEventType = z.enum([
  'org.mutirao.followup.partnership.recorded',
  'org.mutirao.followup.partnership.updated',
  'org.mutirao.followup.partnership.report-filed',
  'org.mutirao.followup.partnership.report-due',
]);
export type PartnershipEventType = z.infer<typeof PartnershipEventType>;

export const PartnershipEventData = z.object({ partnership: PartnershipSnapshot });
export type PartnershipEventData = z.infer<typeof PartnershipEventData>;

export const ReportDueData = z.object({
  partnership: PartnershipSnapshot,
  period: ReportPeriod,
  dueAt: z.iso.datetime({ offset: true }),
  /** The parties whose report for the period is missing. */
  organisationIds: z.array(z.string().min(1)).min(1),
});
export type ReportDueData = z.infer<typeof ReportDueData>;

export const PartnershipEventSchemas = {
  'org.mutirao.followup.partnership.recorded': PartnershipEventData,
  'org.mutirao.followup.partnership.updated': PartnershipEventData,
  'org.mutirao.followup.partnership.report-filed': PartnershipEventData,
  'org.mutirao.followup.partnership.report-due': ReportDueData,
} satisfies Record<PartnershipEventType, z.ZodType>;
