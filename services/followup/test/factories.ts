import type { ProposalSnapshot } from '@mutirao/contracts';
import type { Indicators } from '../src/domain/types';

/** An agreed proposal: a triad by default (beneficiary in Guinea-Bissau, provider in Rwanda, funder in Norway). */
export const anAgreedProposal = (over: Partial<ProposalSnapshot> = {}): ProposalSnapshot => ({
  id: 'p-triad',
  revision: 5,
  updatedAt: '2026-01-15T10:00:00.000Z',
  needId: 'need-1',
  offerIds: ['offer-provider', 'offer-funder'],
  needOrganisationId: 'org-gw',
  offerOrganisationIds: ['org-rw', 'org-no'],
  needType: 'technology',
  needCountry: 'GW',
  modality: 'triangular',
  score: 0.8,
  rank: 1,
  status: 'agreed',
  explanation: { summary: 'fits', rules: [], criteria: [] },
  consents: { 'org-gw': 'accepted', 'org-rw': 'accepted', 'org-no': 'accepted' },
  ...over,
});

export const aPairing = (over: Partial<ProposalSnapshot> = {}): ProposalSnapshot =>
  anAgreedProposal({
    id: 'p-pair',
    needId: 'need-2',
    offerIds: ['offer-provider'],
    offerOrganisationIds: ['org-rw'],
    modality: 'south-south',
    consents: { 'org-gw': 'accepted', 'org-rw': 'accepted' },
    ...over,
  });

export const someIndicators = (over: Partial<Indicators> = {}): Indicators => ({
  peopleTrained: 12,
  membersReached: 140,
  jobsCreated: 3,
  marketsGained: 1,
  technologiesAdopted: 2,
  ...over,
});

/** A report body as a party sends it. */
export const aReport = (over: Record<string, unknown> = {}) => ({
  indicators: someIndicators(),
  story: 'Twelve members learnt to maintain the solar mini-grid; the market stays lit after dark.',
  sdgTargets: ['7.1', '8.3'],
  ...over,
});
