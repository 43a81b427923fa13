import type {
  Modality,
  NeedSnapshot,
  NeedType,
  OfferSnapshot,
  OrganisationKind,
  OrganisationSnapshot,
  Priority,
  SseForm,
} from '@mutirao/contracts';
import { mulberry32 } from '@mutirao/kernel';
import { proposalKey } from '../triad-rules';

/**
 * Small random worlds for property tests: few countries, sectors and languages, so that offers and
 * needs collide often and every rule both passes and fails many times. Seeded, so a failure replays.
 */

/** The seeded generator of the property tests (see @mutirao/kernel). */
export const random = mulberry32;

export class Dice {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  some<T>(items: readonly T[], max: number, min = 0): T[] {
    const n = this.int(min, max);
    return [...new Set(Array.from({ length: n }, () => this.pick(items)))];
  }
}

// Developing, developed, and Taiwan (no published status); across a few regions.
const COUNTRIES = ['GW', 'SN', 'RW', 'KE', 'NP', 'IN', 'PY', 'BR', 'CR', 'MN', 'NO', 'CH', 'DE', 'TW'];
const REGIONS = [
  'Sub-Saharan Africa',
  'Western Africa',
  'Southern Asia',
  'South America',
  'Americas',
  'Asia',
  'Europe',
  'latin america and the caribbean',
];
const SECTORS = ['23231', '23210', '31140', '31161', '41030', '41020', '33210'];
const LANGUAGES = ['en', 'fr', 'es', 'pt'];
const TYPES: NeedType[] = ['technology', 'financing', 'capacity-building', 'market-access'];
const KINDS: OrganisationKind[] = ['sse-entity', 'sse-entity', 'financier', 'network', 'technology-provider'];
const FORMS: SseForm[] = ['cooperative', 'association', 'mutual'];
const MODALITIES: Modality[] = ['south-south', 'triangular', 'north-south'];
const PRIORITIES: Priority[] = ['ldc', 'lldc', 'sids'];
const CURRENCIES = ['USD', 'EUR', 'XOF', 'ZZZ'];
const WORDS =
  'solar grid pumps irrigation training cooperative market tourism forest loan grant women technicians water seeds coffee'.split(
    ' ',
  );

export const WORLD_NOW = new Date('2026-11-28T00:00:00Z');
const PAST = '2026-01-01T00:00:00Z';
const FUTURE = '2029-01-01T00:00:00Z';

export interface World {
  organisations: OrganisationSnapshot[];
  needs: NeedSnapshot[];
  offers: OfferSnapshot[];
  rejected: Set<string>;
}

export function randomOrganisation(d: Dice, id: string): OrganisationSnapshot {
  const kind = d.pick(KINDS);
  return {
    id,
    revision: 1,
    updatedAt: PAST,
    name: `Organisation ${id}`,
    kind,
    sseForm: kind === 'sse-entity' ? d.pick(FORMS) : undefined,
    country: d.pick(COUNTRIES),
    languages: d.some(LANGUAGES, 2, 1),
    sectors: d.some(SECTORS, 2),
    description: '',
    verification: d.chance(0.9) ? 'verified' : 'pending',
  };
}

const text = (d: Dice) => d.some(WORDS, 8, 2).join(' ');

export function randomNeed(d: Dice, id: string, orgIds: readonly string[]): NeedSnapshot {
  return {
    id,
    revision: 1,
    updatedAt: PAST,
    organisationId: d.pick(orgIds),
    type: d.pick(TYPES),
    title: text(d),
    description: text(d),
    language: d.pick(LANGUAGES),
    workingLanguages: d.some(LANGUAGES, 2, 1),
    sectors: d.some(SECTORS, 2),
    sdgs: d.some([1, 2, 5, 7, 8, 13, 15], 3),
    amount: d.chance(0.5) ? { value: d.int(1, 40) * 5_000, currency: d.pick(CURRENCIES) } : undefined,
    fundingRequired: d.chance(0.35),
    countriesOfInterest: d.some(COUNTRIES, 2),
    expiresAt: d.chance(0.9) ? FUTURE : PAST,
    status: d.chance(0.92) ? 'open' : 'matched',
  };
}

export function randomOffer(d: Dice, id: string, orgIds: readonly string[]): OfferSnapshot {
  const min = d.int(0, 10) * 5_000;
  return {
    id,
    revision: 1,
    updatedAt: PAST,
    organisationId: d.pick(orgIds),
    types: d.some(TYPES, 2, 1),
    instrument: 'technical-assistance',
    title: text(d),
    description: text(d),
    language: d.pick(LANGUAGES),
    workingLanguages: d.some(LANGUAGES, 3, 1),
    sectors: d.chance(0.25) ? [] : d.some(SECTORS, 2, 1),
    sdgs: d.some([1, 2, 5, 7, 8, 13, 15], 3),
    eligibility: {
      countries: d.chance(0.15) ? d.some(COUNTRIES, 3) : undefined,
      regions: d.chance(0.25) ? d.some(REGIONS, 2) : undefined,
      developingOnly: d.chance(0.4) ? true : undefined,
      sseForms: d.chance(0.15) ? d.some(FORMS, 2, 1) : undefined,
      organisationKinds: d.chance(0.1) ? d.some(KINDS, 2, 1) : undefined,
    },
    priorities: d.some(PRIORITIES, 2),
    amount: d.chance(0.4)
      ? { min, max: min + d.int(1, 30) * 10_000, currency: d.pick(CURRENCIES) }
      : undefined,
    modalities: d.some(MODALITIES, 2),
    capacity: d.int(0, 3),
    expiresAt: d.chance(0.9) ? FUTURE : PAST,
    status: d.chance(0.9) ? 'open' : 'withdrawn',
  };
}

export function randomWorld(seed: number, size = { organisations: 60, needs: 120, offers: 300 }): World {
  const d = new Dice(random(seed));
  const organisations = Array.from({ length: size.organisations }, (_, i) =>
    randomOrganisation(d, `org${i}`),
  );
  const orgIds = organisations.map((o) => o.id);
  const needs = Array.from({ length: size.needs }, (_, i) => randomNeed(d, `need${i}`, orgIds));
  const offers = Array.from({ length: size.offers }, (_, i) => randomOffer(d, `offer${i}`, orgIds));
  const rejected = new Set<string>();
  for (let i = 0; i < size.needs; i++) {
    const needId = d.pick(needs).id;
    rejected.add(
      d.chance(0.5)
        ? proposalKey(needId, [d.pick(offers).id])
        : proposalKey(needId, [d.pick(offers).id, d.pick(offers).id]),
    );
  }
  return { organisations, needs, offers, rejected };
}
