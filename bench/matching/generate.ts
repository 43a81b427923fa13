import { mulberry32 } from '@mutirao/kernel';
import type {
  Eligibility,
  Instrument,
  Modality,
  NeedSnapshot,
  NeedType,
  OfferSnapshot,
  OrganisationKind,
  OrganisationSnapshot,
  Priority,
  SseForm,
} from '../../packages/contracts/src';
import { type Country, countries, sectors } from '../../packages/reference-data/src';

/**
 * A synthetic, seeded exchange of realistic shape for the matching benchmark: organisations mostly
 * in developing countries (financiers mostly in developed ones), DAC sectors concentrated where the
 * SSE works, the four working languages by region, eligibility mixes, amounts and triad-capable
 * funders. Texts are pseudo-words drawn per sector category and language, so that the token
 * statistics (length, overlap) look like real postings without shipping a corpus.
 */

/** The seeded generator of the engine's property tests, so both draw alike. */
export { mulberry32 };

export class Rng {
  constructor(private readonly next: () => number) {}
  float(): number {
    return this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }
  distinct<T>(n: number, draw: () => T): T[] {
    const out = new Set<T>();
    for (let tries = 0; out.size < n && tries < n * 5; tries++) out.add(draw());
    return [...out];
  }
}

/** Where SSE entities work, by 3-digit DAC category, with rough shares. */
const SSE_CATEGORIES: readonly (readonly [string, number])[] = [
  ['311', 20], // agriculture
  ['312', 5], // forestry
  ['313', 5], // fishing
  ['321', 8], // industry
  ['232', 8], // renewable energy
  ['332', 5], // tourism
  ['410', 7], // environment
  ['250', 8], // business services
  ['240', 7], // banking and financial services
  ['160', 8], // other social infrastructure
  ['140', 5], // water and sanitation
  ['112', 3], // basic education
  ['113', 2], // secondary education
  ['122', 3], // basic health
  ['331', 3], // trade policy
  ['430', 3], // other multisector
];

const LANGUAGES_BY_REGION: Record<string, readonly (readonly [string, number])[]> = {
  Africa: [
    ['fr', 4],
    ['en', 4],
    ['pt', 1],
  ],
  Americas: [
    ['es', 6],
    ['pt', 2],
    ['en', 2],
  ],
  Asia: [
    ['en', 8],
    ['fr', 1],
  ],
  Europe: [
    ['en', 5],
    ['fr', 3],
    ['es', 2],
    ['pt', 1],
  ],
  Oceania: [
    ['en', 8],
    ['fr', 2],
  ],
};

const SSE_FORMS: readonly (readonly [SseForm, number])[] = [
  ['cooperative', 45],
  ['association', 25],
  ['mutual', 5],
  ['foundation', 5],
  ['social-enterprise', 12],
  ['self-help-group', 6],
  ['other', 2],
];
const PARTNER_KINDS: readonly (readonly [OrganisationKind, number])[] = [
  ['financier', 30],
  ['technology-provider', 20],
  ['market-partner', 15],
  ['training-provider', 15],
  ['network', 12],
  ['public-agency', 4],
  ['international-organisation', 4],
];
const NEED_TYPES: readonly (readonly [NeedType, number])[] = [
  ['financing', 25],
  ['capacity-building', 20],
  ['market-access', 17],
  ['technology', 15],
  ['knowledge-exchange', 13],
  ['supply-chain', 10],
];
const TYPE_INSTRUMENTS: Record<NeedType, readonly Instrument[]> = {
  financing: ['grant', 'loan', 'equity', 'guarantee'],
  technology: ['technology-licence', 'equipment', 'technical-assistance'],
  'capacity-building': ['training', 'technical-assistance'],
  'knowledge-exchange': ['peer-exchange', 'training'],
  'market-access': ['market-agreement'],
  'supply-chain': ['market-agreement', 'technical-assistance'],
};
const CURRENCIES: readonly (readonly [string, number])[] = [
  ['USD', 6],
  ['EUR', 3],
  ['XOF', 1],
  ['BRL', 1],
  ['INR', 1],
];

const SYLLABLES =
  'ba be bi bo bu ca ce co cu da de di do fa fe fi fo ga go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo'.split(
    ' ',
  );

export interface World {
  organisations: OrganisationSnapshot[];
  needs: NeedSnapshot[];
  offers: OfferSnapshot[];
}

export interface Sizes {
  organisations: number;
  needs: number;
  offers: number;
}

const UPDATED = '2026-11-01T00:00:00Z';
/** The benchmark's clock: every generated posting is open at this instant. */
export const BENCH_NOW = new Date('2026-11-28T00:00:00Z');

export class Generator {
  private readonly rng: Rng;
  private readonly south: readonly Country[];
  private readonly north: readonly Country[];
  private readonly sectorsByCategory = new Map<string, string[]>();
  private readonly vocabulary = new Map<string, string[]>();
  private readonly sseOrgs: OrganisationSnapshot[] = [];
  private readonly partnerOrgs: OrganisationSnapshot[] = [];
  private sequence = 0;

  constructor(seed: number) {
    this.rng = new Rng(mulberry32(seed));
    const all = countries().filter((c) => c.region !== null && c.developing !== null);
    this.south = all.filter((c) => c.developing);
    this.north = all.filter((c) => !c.developing);
    for (const s of sectors()) {
      const list = this.sectorsByCategory.get(s.category) ?? [];
      list.push(s.code);
      this.sectorsByCategory.set(s.category, list);
    }
  }

  world(sizes: Sizes): World {
    const organisations = Array.from({ length: sizes.organisations }, () => this.organisation());
    const offers = Array.from({ length: sizes.offers }, () => this.offer());
    const needs = Array.from({ length: sizes.needs }, () => this.need());
    return { organisations, needs, offers };
  }

  organisation(): OrganisationSnapshot {
    const r = this.rng;
    const sse = r.chance(0.7);
    const kind: OrganisationKind = sse ? 'sse-entity' : r.weighted(PARTNER_KINDS);
    // Financiers sit mostly in the North; everyone else mostly in the South.
    const home = r.chance(kind === 'financier' || kind === 'international-organisation' ? 0.75 : 0.12)
      ? r.pick(this.north)
      : this.southernCountry();
    const org: OrganisationSnapshot = {
      id: `org-${++this.sequence}`,
      revision: 1,
      updatedAt: UPDATED,
      name: `Organisation ${this.sequence}`,
      kind,
      sseForm: sse ? r.weighted(SSE_FORMS) : undefined,
      informal: sse && r.chance(0.2),
      country: home.code,
      languages: this.languages(home, 2),
      sectors: this.sectorCodes(r.int(1, 3)),
      description: '',
      verification: r.chance(0.93) ? 'verified' : 'pending',
    };
    (sse ? this.sseOrgs : this.partnerOrgs).push(org);
    return org;
  }

  offer(): OfferSnapshot {
    const r = this.rng;
    // Partners post most offers; Southern SSE entities offer peer know-how too.
    const org = r.chance(0.7) ? r.pick(this.partnerOrgs) : r.pick(this.sseOrgs);
    const financier = org.kind === 'financier';
    const main: NeedType = financier
      ? 'financing'
      : r.weighted(NEED_TYPES.filter(([t]) => t !== 'financing'));
    const types = [main];
    if (r.chance(0.3)) types.push(r.weighted(NEED_TYPES));
    const developed = !this.isSouthern(org.country);
    const modalities: Modality[] = financier
      ? r.weighted<Modality[]>([
          [['north-south'], 4],
          [['triangular'], 2],
          [['north-south', 'triangular'], 3],
          [[], 1],
        ])
      : developed
        ? r.weighted<Modality[]>([
            [['north-south'], 6],
            [['north-south', 'triangular'], 2],
            [[], 2],
          ])
        : r.weighted<Modality[]>([
            [['south-south', 'triangular'], 6],
            [['south-south'], 2],
            [[], 2],
          ]);
    const categoryCount = r.chance(0.15) ? 0 : r.int(1, 2);
    const language = r.pick(org.languages);
    const categories = r.distinct(categoryCount, () => r.weighted(SSE_CATEGORIES));
    return {
      id: `offer-${++this.sequence}`,
      revision: 1,
      updatedAt: UPDATED,
      organisationId: org.id,
      types: [...new Set(types)],
      instrument: r.pick(TYPE_INSTRUMENTS[main]),
      title: this.text(categories, language, 6),
      description: this.text(categories, language, r.int(25, 60)),
      language,
      workingLanguages: org.languages,
      sectors: categories.flatMap((c) => this.sectorsIn(c, r.int(1, 2))),
      sdgs: r.distinct(r.int(0, 3), () => r.int(1, 17)),
      eligibility: this.eligibility(),
      priorities: r.chance(0.2)
        ? r.distinct(r.int(1, 2), () => r.pick<Priority>(['ldc', 'lldc', 'sids']))
        : [],
      amount: financier ? this.range() : undefined,
      modalities,
      capacity: r.int(1, 10),
      expiresAt: `${r.int(2027, 2030)}-${String(r.int(1, 12)).padStart(2, '0')}-28T23:59:59Z`,
      status: 'open',
    };
  }

  need(): NeedSnapshot {
    const r = this.rng;
    const org = r.pick(this.sseOrgs);
    const type = r.weighted(NEED_TYPES);
    const language = r.pick(org.languages);
    const categories = r.distinct(r.int(1, 2), () => r.weighted(SSE_CATEGORIES));
    return {
      id: `need-${++this.sequence}`,
      revision: 1,
      updatedAt: UPDATED,
      organisationId: org.id,
      type,
      title: this.text(categories, language, 6),
      description: this.text(categories, language, r.int(25, 60)),
      language,
      workingLanguages: org.languages,
      sectors: categories.flatMap((c) => this.sectorsIn(c, 1)),
      sdgs: r.distinct(r.int(1, 3), () => r.int(1, 17)),
      amount:
        type === 'financing' || r.chance(0.3)
          ? { value: r.int(1, 60) * 5_000, currency: r.weighted(CURRENCIES) }
          : undefined,
      fundingRequired: type !== 'financing' && r.chance(0.25),
      countriesOfInterest: r.chance(0.3) ? r.distinct(r.int(1, 3), () => this.southernCountry().code) : [],
      expiresAt: `${r.int(2027, 2030)}-${String(r.int(1, 12)).padStart(2, '0')}-28T23:59:59Z`,
      status: 'open',
    };
  }

  private southernCountry(): Country {
    // Weighted to where SSE networks are dense: Africa, then the Americas and Asia.
    const r = this.rng;
    const region = r.weighted([
      ['Africa', 4],
      ['Americas', 3],
      ['Asia', 3],
      ['Oceania', 0.3],
    ]);
    const inRegion = this.south.filter((c) => c.region === region);
    return r.pick(inRegion.length ? inRegion : this.south);
  }

  private isSouthern(code: string): boolean {
    return this.south.some((c) => c.code === code);
  }

  private languages(home: Country, max: number): string[] {
    const choices = LANGUAGES_BY_REGION[home.region ?? ''] ?? LANGUAGES_BY_REGION.Asia ?? [];
    return this.rng.distinct(this.rng.int(1, max), () => this.rng.weighted(choices));
  }

  private sectorCodes(n: number): string[] {
    return this.rng.distinct(n, () => this.sectorsIn(this.rng.weighted(SSE_CATEGORIES), 1)[0] ?? '31110');
  }

  private sectorsIn(category: string, n: number): string[] {
    const codes = this.sectorsByCategory.get(category) ?? [];
    return codes.length ? this.rng.distinct(n, () => this.rng.pick(codes)) : [];
  }

  private eligibility(): Eligibility {
    const r = this.rng;
    const e: Eligibility = {};
    const geo = r.float();
    if (geo < 0.12) e.countries = r.distinct(r.int(1, 6), () => this.southernCountry().code);
    else if (geo < 0.4) {
      const c = this.southernCountry();
      const areas = [c.region, c.subRegion, c.intermediateRegion].filter((a): a is string => a !== null);
      e.regions = r.distinct(r.int(1, 2), () => r.pick(areas));
    }
    if (r.chance(0.5)) e.developingOnly = true;
    if (r.chance(0.15))
      e.sseForms = r
        .distinct(r.int(1, 3), () => r.weighted(SSE_FORMS))
        .filter((f): f is SseForm => f !== undefined);
    if (r.chance(0.1)) e.organisationKinds = ['sse-entity', 'network'];
    return e;
  }

  private range(): { min: number; max: number; currency: string } {
    const r = this.rng;
    const min = r.pick([0, 5_000, 10_000, 20_000, 50_000, 100_000]);
    return { min, max: min * r.int(3, 20) + r.int(1, 10) * 10_000, currency: r.weighted(CURRENCIES) };
  }

  /** Pseudo-words: a third from the categories' own vocabulary, the rest from the language's. */
  private text(categories: readonly string[], language: string, words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const topical = categories.length > 0 && this.rng.chance(0.35);
      const key = topical ? `${language}:${this.rng.pick(categories)}` : language;
      const list = this.vocabularyFor(key, topical ? 40 : 600);
      // Squaring the draw skews it towards the first words, like the Zipf curve of real text.
      out.push(list[Math.floor(this.rng.float() ** 2 * list.length)] ?? '');
    }
    return out.join(' ');
  }

  private vocabularyFor(key: string, size: number): string[] {
    let list = this.vocabulary.get(key);
    if (!list) {
      const local = new Rng(mulberry32(hash(key)));
      list = Array.from({ length: size }, () =>
        Array.from({ length: local.int(2, 4) }, () => local.pick(SYLLABLES)).join(''),
      );
      this.vocabulary.set(key, list);
    }
    return list;
  }
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
