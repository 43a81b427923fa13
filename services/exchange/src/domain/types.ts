import type {
  Eligibility,
  Instrument,
  Modality,
  Money,
  MoneyRange,
  NeedType,
  OfferCall,
  PostingStatus,
  Priority,
} from '@mutirao/contracts';

export type Kind = 'need' | 'offer';

/** What an organisation says about a need; `confidentialNotes` never leaves the owner's side. */
export interface NeedContent {
  type: NeedType;
  title: string;
  description: string;
  language: string;
  workingLanguages: string[];
  sectors: string[];
  sdgs: number[];
  amount?: Money;
  fundingRequired: boolean;
  countriesOfInterest: string[];
  confidentialNotes?: string;
}

export interface OfferContent {
  types: NeedType[];
  instrument: Instrument;
  title: string;
  description: string;
  language: string;
  workingLanguages: string[];
  sectors: string[];
  sdgs: number[];
  eligibility: Eligibility;
  priorities: Priority[];
  amount?: MoneyRange;
  modalities: Modality[];
  /** Partnerships it can still enter. */
  capacity: number;
  /** A call: matching assigns it when it closes (ISO 8601 dates, see `checkCall`). */
  call?: OfferCall;
  confidentialNotes?: string;
}

export type Content = NeedContent | OfferContent;

/** A need or an offer, as the domain sees it. */
export interface Posting<C extends Content = Content> {
  id: string;
  kind: Kind;
  ref?: string;
  organisationId: string;
  status: PostingStatus;
  /** Grows by one with each change (drafts included); public events carry it. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  content: C;
  /** Ids of the agreed proposals already applied: replaying a report changes nothing. */
  appliedProposals: string[];
  /**
   * Set when the exchange closed the posting because its organisation's verification was
   * revoked: its owner may renew it once the organisation is verified again.
   */
  closedBy?: 'revocation';
}

/** Who acts, as far as the rules care (a verified token's principal fits). */
export interface Actor {
  sub: string;
  org?: string;
  roles: readonly string[];
  regions: readonly string[];
}

/** A command the rules refuse: `invalid` (with the field), `forbidden` or `conflict`. */
export { DomainError } from '@mutirao/kernel';
