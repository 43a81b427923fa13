import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';

/**
 * The public snapshots of the contracts, for tests of any service. Their defaults make a pair that
 * passes every hard rule of matching: a verified cooperative in Guinea-Bissau (developing, LDC,
 * SIDS) needing solar technology, and a verified cooperative in Rwanda offering it, so that a test
 * changes only what it is about. Ids are unique unless given.
 */

export const NOW = new Date('2026-11-28T00:00:00Z');
const UPDATED = '2026-11-01T00:00:00Z';
const LATER = '2030-12-31T23:59:59Z';

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${++sequence}`;

export function anOrganisationSnapshot(overrides: Partial<OrganisationSnapshot> = {}): OrganisationSnapshot {
  const id = overrides.id ?? nextId('org');
  return {
    id,
    revision: 1,
    updatedAt: UPDATED,
    name: `Organisation ${id}`,
    kind: 'sse-entity',
    sseForm: 'cooperative',
    country: 'GW',
    languages: ['pt', 'fr'],
    sectors: ['23231'],
    description: '',
    verification: 'verified',
    ...overrides,
  };
}

export function aNeedSnapshot(overrides: Partial<NeedSnapshot> = {}): NeedSnapshot {
  return {
    id: overrides.id ?? nextId('need'),
    revision: 1,
    updatedAt: UPDATED,
    organisationId: 'org-need',
    type: 'technology',
    title: 'Solar mini-grid for the market',
    description: 'Install a solar mini-grid with storage and train local technicians.',
    language: 'en',
    workingLanguages: ['pt', 'fr'],
    sectors: ['23231'],
    sdgs: [7, 5],
    fundingRequired: false,
    countriesOfInterest: [],
    expiresAt: LATER,
    status: 'open',
    ...overrides,
  };
}

export function anOfferSnapshot(overrides: Partial<OfferSnapshot> = {}): OfferSnapshot {
  return {
    id: overrides.id ?? nextId('offer'),
    revision: 1,
    updatedAt: UPDATED,
    organisationId: 'org-offer',
    types: ['technology'],
    instrument: 'technical-assistance',
    title: 'Solar mini-grids installed by trained technicians',
    description: 'We design and install solar mini-grids and train community technicians.',
    language: 'en',
    workingLanguages: ['en', 'fr'],
    sectors: ['23231'],
    sdgs: [7],
    eligibility: {},
    priorities: [],
    modalities: [],
    capacity: 2,
    expiresAt: LATER,
    status: 'open',
    ...overrides,
  };
}
