import type { PersonSnapshot, ProposalSnapshot } from '@mutirao/contracts';
import { countryInRegion } from '@mutirao/reference-data';
import { anOrganisationSnapshot } from '@mutirao/testing';
import type { DirectoryView, Organisation, Person } from '../src/domain/decide';
import type { Preferences } from '../src/domain/kinds';

export const T0 = new Date('2026-03-02T10:00:00.000Z');

export const aPerson = (over: Partial<PersonSnapshot> = {}): PersonSnapshot => ({
  id: 'person-1',
  revision: 1,
  updatedAt: T0.toISOString(),
  email: 'ana@coop.example',
  name: 'Ana',
  organisationId: 'org-need',
  roles: ['member'],
  regions: [],
  active: true,
  ...over,
});

export const anOrganisation = anOrganisationSnapshot;

export const aProposal = (over: Partial<ProposalSnapshot> = {}): ProposalSnapshot => ({
  id: 'proposal-1',
  revision: 2,
  updatedAt: T0.toISOString(),
  needId: 'need-1',
  offerIds: ['offer-1'],
  needOrganisationId: 'org-need',
  offerOrganisationIds: ['org-offer'],
  needType: 'financing',
  needCountry: 'MZ',
  modality: 'south-south',
  score: 0.8,
  rank: 1,
  status: 'approved',
  explanation: { summary: 'A good fit.', rules: [], criteria: [] },
  review: { decision: 'approved', by: 'coord-1', at: T0.toISOString() },
  consents: {},
  ...over,
});

/** An in-memory directory, as the decisions see the stored one. */
export function aDirectory(
  people: PersonSnapshot[],
  orgs: Organisation[],
  prefs: Record<string, Preferences> = {},
): DirectoryView {
  return {
    organisation: (id) => orgs.find((o) => o.id === id),
    membersOf: (org) =>
      people.filter((p) => p.active && p.organisationId === org && p.roles.includes('member')),
    coordinatorsOf: (country) =>
      people.filter(
        (p) =>
          p.active && p.roles.includes('coordinator') && p.regions.some((r) => countryInRegion(country, r)),
      ) as Person[],
    preferences: (id) => prefs[id],
  };
}
