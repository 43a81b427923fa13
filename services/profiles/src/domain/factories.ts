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
