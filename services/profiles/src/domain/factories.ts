import type { ProposalSnapshot } from '@mutirao/contracts';
import type { Organisation, OrganisationFields } from './organisation';

/** Test data builders (used by unit and integration tests). */
export const someFields = (o: Partial<OrganisationFields> = {}): OrganisationFields => ({
  name: 'Cooperativa Agrícola Esperança',
  kind: 'sse-entity',
  sseForm: 'cooperative',
  country: 'MZ',
  languages: ['pt'],
  sectors: ['31161'],
  description: 'Uma cooperativa de agricultoras.',
  contact: { email: 'geral@esperanca.example' },
  ...o,
});

export const anOrganisation = (o: Partial<Organisation> = {}): Organisation => ({
  id: 'org-1',
  ...someFields(),
  revision: 1,
  version: 1,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  verification: { status: 'pending', criteria: [] },
  ...o,
});

/** A proposal matching agreed on: its need's organisation and the offer's accepted. */
export const anAgreedProposal = (
  o: Partial<ProposalSnapshot> & Pick<ProposalSnapshot, 'needOrganisationId' | 'offerOrganisationIds'>,
): ProposalSnapshot => ({
  id: 'proposal-1',
  revision: 3,
  updatedAt: '2026-11-27T10:00:00Z',
  needId: 'need-1',
  offerIds: o.offerOrganisationIds.map((_, i) => `offer-${i + 1}`),
  needType: 'technology',
  needCountry: 'MZ',
  modality: 'south-south',
  score: 0.8,
  rank: 1,
  status: 'agreed',
  explanation: { summary: 'A good fit.', rules: [], criteria: [] },
  consents: Object.fromEntries(
    [o.needOrganisationId, ...o.offerOrganisationIds].map((id) => [id, 'accepted' as const]),
  ),
  ...o,
});
