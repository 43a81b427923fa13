import { PartnershipStatus } from '@mutirao/contracts';
import { KnownCurrency, KnownRegion, KnownSdgTarget } from '@mutirao/reference-data';
import { z } from 'zod';

const Count = (what: string) =>
  z
    .number({
      error: (iss) => (iss.input === undefined ? `${what}: required (0 if none)` : `${what}: a whole number`),
    })
    .int(`${what}: a whole number`)
    .nonnegative(`${what}: must not be negative`)
    .max(10_000_000, `${what}: is implausibly large`);

const Money = z.strictObject({
  value: z.number().nonnegative('must not be negative').max(1e13, 'is implausibly large'),
  currency: KnownCurrency,
});

/** What changed, counted over the months since the previous report (or since the start). */
export const IndicatorsIn = z.strictObject({
  peopleTrained: Count('people trained'),
  membersReached: Count('members or workers reached'),
  jobsCreated: Count('jobs created or kept'),
  marketsGained: Count('new markets, buyers or channels'),
  technologiesAdopted: Count('technologies or practices adopted'),
  revenueGained: Money.optional(),
  amountDisbursed: Money.optional(),
});

export const ReportIn = z.strictObject({
  indicators: IndicatorsIn,
  story: z
    .string({ error: 'required: what was done and what changed, in your words' })
    .trim()
    .min(20, 'at least 20 characters: what was done and what changed')
    .max(10_000, 'at most 10 000 characters'),
  sdgTargets: z
    .array(KnownSdgTarget, { error: 'required: the SDG targets served (an empty list if none)' })
    .max(30, 'at most 30 targets')
    .refine((l) => new Set(l).size === l.length, 'each target once'),
});

export const ReportParams = z.strictObject({
  id: z.string().min(1).max(200),
  period: z.coerce.number().int('a number of months').min(1).max(60),
});
export const ReportQuery = z.strictObject({
  /** The admin files for a party; members always for their own organisation. */
  organisationId: z.string().min(1).max(200).optional(),
});

export const IdParam = z.strictObject({ id: z.string().min(1).max(200) });

export const PartnershipPatch = z
  .strictObject({
    status: PartnershipStatus.optional(),
    startDate: z.iso.date('a date as YYYY-MM-DD').optional(),
    amount: Money.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give status, startDate or amount');

export const CommentIn = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty').max(5_000, 'at most 5 000 characters'),
  about: z
    .strictObject({ organisationId: z.string().min(1), period: z.number().int().min(1).max(60) })
    .optional(),
});

export const IdentifierIn = z.strictObject({
  /** `null` removes it. */
  identifier: z.string().trim().max(200).nullable(),
});

export const IatiQuery = z.strictObject({
  from: z.iso.date('a date as YYYY-MM-DD').optional(),
  to: z.iso.date('a date as YYYY-MM-DD').optional(),
  region: KnownRegion.optional(),
});

const Iso = z.string();
const PartyOut = z.object({
  organisationId: z.string(),
  role: z.enum(['beneficiary', 'provider', 'funder']),
  name: z.string().optional(),
  country: z.string().optional(),
});
export const ReportOut = z
  .object({
    organisationId: z.string(),
    period: z.number(),
    by: z.string(),
    filedAt: Iso,
    updatedAt: Iso,
    indicators: IndicatorsIn,
    story: z.string(),
    sdgTargets: z.array(z.string()),
  })
  .meta({ id: 'Report' });
export const PartnershipOut = z
  .object({
    id: z.string(),
    revision: z.number(),
    needId: z.string(),
    needTitle: z.string().optional(),
    offerIds: z.array(z.string()),
    parties: z.array(PartyOut),
    triad: z.boolean(),
    modality: z.string(),
    needType: z.string(),
    country: z.string(),
    sectors: z.array(z.string()),
    sdgs: z.array(z.number()),
    amount: z.object({ value: z.number(), currency: z.string() }).optional(),
    agreedAt: Iso,
    startDate: z.string(),
    status: PartnershipStatus,
    reportPeriods: z.array(
      z.object({ period: z.number(), dueAt: Iso, filed: z.array(z.string()), missing: z.array(z.string()) }),
    ),
    reports: z.array(ReportOut),
    comments: z.array(
      z.object({
        id: z.string(),
        by: z.string(),
        at: Iso,
        text: z.string(),
        about: z.object({ organisationId: z.string(), period: z.number() }).optional(),
      }),
    ),
  })
  .meta({ id: 'Partnership' });
export const LateOut = z.object({
  partnershipId: z.string(),
  organisationId: z.string(),
  organisationName: z.string().optional(),
  period: z.number(),
  dueAt: Iso,
  daysLate: z.number(),
  country: z.string(),
});

const FiguresOut = z
  .object({
    key: z.string(),
    partnerships: z.number().int(),
    triads: z.number().int(),
    reports: z.number().int(),
    peopleTrained: z.number().int(),
    membersReached: z.number().int(),
    jobsCreated: z.number().int(),
    marketsGained: z.number().int(),
    technologiesAdopted: z.number().int(),
  })
  .meta({ id: 'Figures' });
export const ImpactOut = z
  .object({
    generatedAt: z.string(),
    totals: FiguresOut,
    byRegion: z.array(FiguresOut),
    byResourceType: z.array(FiguresOut),
    bySdg: z.array(FiguresOut),
    byModality: z.array(FiguresOut),
    byQuarter: z.array(FiguresOut),
  })
  .meta({ id: 'Impact' });
