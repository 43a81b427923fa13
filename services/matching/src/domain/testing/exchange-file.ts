import { readFileSync } from 'node:fs';
import {
  Eligibility,
  Instrument,
  Modality,
  Money,
  MoneyRange,
  NeedSnapshot,
  NeedType,
  OfferSnapshot,
  OrganisationKind,
  OrganisationSnapshot,
  Priority,
  SseForm,
} from '@mutirao/contracts';
import { z } from 'zod';

/**
 * Turns an exchange file (`mutirao.exchange/v1`) into the snapshots the matching service would hold
 * after an import: id = ref, revision 1, every posting open. A test helper only; the import itself
 * belongs to the exchange service and the CLI.
 */

const FileOrganisation = z.object({
  ref: z.string(),
  name: z.string(),
  kind: OrganisationKind,
  sseForm: SseForm.optional(),
  informal: z.boolean().optional(),
  country: z.string(),
  languages: z.array(z.string()),
  sectors: z.array(z.string()),
  description: z.string(),
  verified: z.boolean().optional(),
});

const Posting = {
  ref: z.string(),
  organisation: z.string(),
  title: z.string(),
  description: z.string(),
  language: z.string(),
  workingLanguages: z.array(z.string()),
  sectors: z.array(z.string()),
  sdgs: z.array(z.number()),
  expiresAt: z.string(),
};

const FileNeed = z.object({
  ...Posting,
  type: NeedType,
  amount: Money.optional(),
  fundingRequired: z.boolean().optional(),
  countriesOfInterest: z.array(z.string()).optional(),
});

const FileOffer = z.object({
  ...Posting,
  types: z.array(NeedType),
  instrument: Instrument,
  eligibility: Eligibility.optional(),
  priorities: z.array(Priority).optional(),
  amount: MoneyRange.optional(),
  modalities: z.array(Modality).optional(),
  capacity: z.number().int(),
});

const ExchangeFile = z.object({
  format: z.literal('mutirao.exchange/v1'),
  organisations: z.array(FileOrganisation),
  needs: z.array(FileNeed),
  offers: z.array(FileOffer),
});

export interface Snapshots {
  organisations: OrganisationSnapshot[];
  needs: NeedSnapshot[];
  offers: OfferSnapshot[];
}

const UPDATED = '2026-01-01T00:00:00Z';

/** A date without a time means the posting stays open through that whole day (UTC). */
function endOfDay(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59Z` : date;
}

export function snapshotsFromExchangeFile(json: unknown): Snapshots {
  const file = ExchangeFile.parse(json);
  const common = (p: z.infer<z.ZodObject<typeof Posting>>) => ({
    id: p.ref,
    ref: p.ref,
    revision: 1,
    updatedAt: UPDATED,
    organisationId: p.organisation,
    title: p.title,
    description: p.description,
    language: p.language,
    workingLanguages: p.workingLanguages,
    sectors: p.sectors,
    sdgs: p.sdgs,
    expiresAt: endOfDay(p.expiresAt),
    status: 'open' as const,
  });
  return {
    organisations: file.organisations.map(({ ref, verified, ...o }) =>
      OrganisationSnapshot.parse({
        ...o,
        id: ref,
        ref,
        revision: 1,
        updatedAt: UPDATED,
        verification: verified ? 'verified' : 'pending',
      }),
    ),
    needs: file.needs.map((n) =>
      NeedSnapshot.parse({
        ...common(n),
        type: n.type,
        amount: n.amount,
        fundingRequired: n.fundingRequired ?? false,
        countriesOfInterest: n.countriesOfInterest ?? [],
      }),
    ),
    offers: file.offers.map((o) =>
      OfferSnapshot.parse({
        ...common(o),
        types: o.types,
        instrument: o.instrument,
        eligibility: o.eligibility ?? {},
        priorities: o.priorities ?? [],
        amount: o.amount,
        modalities: o.modalities ?? [],
        capacity: o.capacity,
      }),
    ),
  };
}

export function loadExchangeFile(path: string | URL): Snapshots {
  return snapshotsFromExchangeFile(JSON.parse(readFileSync(path, 'utf8')));
}
