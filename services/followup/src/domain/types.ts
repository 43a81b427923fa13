import type { Modality, Money, NeedType, PartnershipStatus, Party, PartyRole } from '@mutirao/contracts';

export type { PartnershipStatus, Party, PartyRole };

/** What changed for an SSE entity, counted the same way by every party (see docs/followup.md). */
export interface Indicators {
  /** People who completed a training or a knowledge exchange. */
  peopleTrained: number;
  /** Members or workers of SSE entities the partnership reached. */
  membersReached: number;
  /** Jobs created or kept (full-time equivalents, rounded). */
  jobsCreated: number;
  /** New markets, buyers or sales channels gained. */
  marketsGained: number;
  /** Technologies, tools or practices adopted. */
  technologiesAdopted: number;
  /** Additional revenue over the period. */
  revenueGained?: Money;
  /** Money actually paid out under the partnership over the period. */
  amountDisbursed?: Money;
}

export interface Report {
  organisationId: string;
  /** Months after the agreement. */
  period: number;
  /** The person who filed it last. */
  by: string;
  filedAt: Date;
  updatedAt: Date;
  indicators: Indicators;
  story: string;
  /** SDG targets served, as the UN numbers them (`8.3`). */
  sdgTargets: string[];
}

export interface Comment {
  id: string;
  by: string;
  at: Date;
  text: string;
  /** The report it is about, if any. */
  about?: { organisationId: string; period: number };
}

export interface Partnership {
  id: string;
  revision: number;
  needId: string;
  offerIds: string[];
  parties: Party[];
  triad: boolean;
  modality: Modality;
  needType: NeedType;
  /** The beneficiary's country: the partnership's region is the one it lies in. */
  country: string;
  sectors: string[];
  sdgs: number[];
  amount?: Money;
  /** False until the need's snapshot was read (it may come after the agreement). */
  detailsKnown: boolean;
  agreedAt: Date;
  startDate: string;
  status: PartnershipStatus;
  reportPeriods: number[];
  reports: Report[];
  comments: Comment[];
  /** Periods whose reminder has been published. */
  reminded: number[];
  createdAt: Date;
  updatedAt: Date;
}

/** Who acts, as far as the rules care (a verified token's principal fits). */
export interface Actor {
  sub: string;
  org?: string;
  roles: readonly string[];
  regions: readonly string[];
}
