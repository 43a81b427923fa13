import { NeedType, type OfferSnapshot, type OrganisationSnapshot, type Priority } from '@mutirao/contracts';
import { featuresOf } from './features';
import { countryIndex } from './reference';
import { fundsTriads } from './triad-rules';

/**
 * What scoring reads of each offer, packed into one 64-byte record per slot of a flat buffer, and the
 * text terms of all offers back to back in one pool: one cache line and one run of the pool per
 * candidate instead of a walk through half a dozen objects spread over the heap. Memory latency,
 * not arithmetic, is what matching one need costs, so the index also gives neighbouring slots to
 * offers that tend to be retrieved together (see `MatchIndex.build`). The snapshots stay beside the
 * records for the rules and the explanations.
 */

// The record's layout, exported for the one loop that reads records directly (`NeedProfile.partials`).
export const STRIDE = 16; // int32 words per record
export const OWNER = 0;
export const SDGS = 1;
export const FLAGS = 2; // bits 0–2 priorities, 3–8 the need types provided, 9 funds triads, 10 live
export const SECTOR_COUNT = 3;
export const CURRENCY = 4;
const TERM_START = 5;
// float64 words, at int32 words 6–7 and 8–9: log1p of the range's ends, taken once per offer.
export const LOG_MIN = 3;
export const LOG_MAX = 4;
export const SECTOR_CODES = 10;
const INLINE_SECTORS = 5;
const TERM_COUNT = 15;
/** Sector count of an offer whose codes do not fit the record: they are read from the snapshot. */
export const SPILLED = -1;
export const NO_CURRENCY = -1;

export const PRIORITY_BITS: Record<Priority, number> = { ldc: 1, lldc: 2, sids: 4 };
export const PRIORITY_MASK = 7;
const TYPE_SHIFT = 3;
const TYPE_MASK = (1 << NeedType.options.length) - 1;
const FUNDS_TRIADS = 1 << 9;
const LIVE = 1 << 10;

/** The bit of a need type in `typeMask`. */
export function typeBit(type: NeedType): number {
  return 1 << NeedType.options.indexOf(type);
}

const currencies = new Map<string, number>();
const currencyCodes: string[] = [];

function currencyIndex(code: string): number {
  let i = currencies.get(code);
  if (i === undefined) {
    i = currencyCodes.length;
    currencyCodes.push(code);
    currencies.set(code, i);
  }
  return i;
}

export function currencyAt(index: number): string {
  return currencyCodes[index] ?? '';
}

export class OfferColumns {
  private ints: Int32Array;
  private floats: Float64Array;
  readonly offers: (OfferSnapshot | undefined)[] = [];
  /** Every offer's text terms back to back, found through the record's start and count. */
  private pool = new Uint32Array(1024);
  private poolUsed = 0;
  private poolGarbage = 0;

  /** Organisations by a small index, shared by all their offers: an update reaches them at once. */
  private readonly ownerIndexes = new Map<string, number>();
  readonly owners: (OrganisationSnapshot | undefined)[] = [];
  private ownerCountries = new Int32Array(64);

  constructor(capacity = 1024) {
    const buffer = new ArrayBuffer(capacity * STRIDE * 4);
    this.ints = new Int32Array(buffer);
    this.floats = new Float64Array(buffer);
  }

  /** Columns for the given offers in slots 0…n-1: how brute force and single pairs are scored. */
  static of(
    offers: Iterable<OfferSnapshot>,
    organisation: (id: string) => OrganisationSnapshot | undefined,
  ): { columns: OfferColumns; slots: number[] } {
    const list = [...offers];
    const columns = new OfferColumns(Math.max(1, list.length));
    list.forEach((offer, slot) => {
      const org = organisation(offer.organisationId);
      if (org) columns.setOrganisation(org);
      columns.set(slot, offer);
    });
    return { columns, slots: list.map((_, slot) => slot) };
  }

  ownerIndex(orgId: string): number {
    let i = this.ownerIndexes.get(orgId);
    if (i === undefined) {
      i = this.owners.length;
      this.owners.push(undefined);
      this.ownerIndexes.set(orgId, i);
      if (i >= this.ownerCountries.length) {
        const grown = new Int32Array(this.ownerCountries.length * 2);
        grown.set(this.ownerCountries);
        this.ownerCountries = grown;
      }
      this.ownerCountries[i] = -1;
    }
    return i;
  }

  setOrganisation(org: OrganisationSnapshot): void {
    const i = this.ownerIndex(org.id);
    this.owners[i] = org;
    this.ownerCountries[i] = countryIndex(org.country);
  }

  /** Offers of an organisation that is gone keep pointing at its index, which now holds nothing. */
  clearOrganisation(id: string): void {
    const i = this.ownerIndexes.get(id);
    if (i === undefined) return;
    this.owners[i] = undefined;
    this.ownerCountries[i] = -1;
  }

  organisation(id: string): OrganisationSnapshot | undefined {
    const i = this.ownerIndexes.get(id);
    return i === undefined ? undefined : this.owners[i];
  }

  organisationCount(): number {
    return this.owners.reduce((n, o) => (o ? n + 1 : n), 0);
  }

  set(slot: number, offer: OfferSnapshot): void {
    this.ensure(slot);
    const features = featuresOf(offer);
    this.offers[slot] = offer;
    const base = slot * STRIDE;
    const ints = this.ints;
    ints[base + TERM_START] = this.store(features.terms);
    ints[base + TERM_COUNT] = features.terms.length;
    ints[base + OWNER] = this.ownerIndex(offer.organisationId);
    ints[base + SDGS] = features.sdgMask;
    let flags = 0;
    for (const p of offer.priorities) flags |= PRIORITY_BITS[p];
    for (const t of offer.types) flags |= typeBit(t) << TYPE_SHIFT;
    if (fundsTriads(offer)) flags |= FUNDS_TRIADS;
    ints[base + FLAGS] = flags | LIVE;
    const sectors = offer.sectors;
    ints[base + SECTOR_COUNT] = sectors.length <= INLINE_SECTORS ? sectors.length : SPILLED;
    for (let j = 0; j < Math.min(sectors.length, INLINE_SECTORS); j++)
      ints[base + SECTOR_CODES + j] = Number(sectors[j]);
    const range = offer.amount;
    ints[base + CURRENCY] = range ? currencyIndex(range.currency) : NO_CURRENCY;
    this.floats[slot * (STRIDE / 2) + LOG_MIN] = range ? Math.log1p(range.min) : 0;
    this.floats[slot * (STRIDE / 2) + LOG_MAX] = range ? Math.log1p(range.max) : 0;
  }

  clear(slot: number): void {
    if (!this.offers[slot]) return;
    this.offers[slot] = undefined;
    this.ints[slot * STRIDE + FLAGS] = 0;
    this.poolGarbage += this.termCount(slot);
    this.ints[slot * STRIDE + TERM_COUNT] = 0;
  }

  /** The terms of the offer in `slot` are `termPool()[termStart(slot) … + termCount(slot)]`. */
  termPool(): Uint32Array {
    return this.pool;
  }

  termStart(slot: number): number {
    return this.ints[slot * STRIDE + TERM_START] as number;
  }

  termCount(slot: number): number {
    return this.ints[slot * STRIDE + TERM_COUNT] as number;
  }

  /** Appends terms to the pool, first compacting it when removed offers left it half empty. */
  private store(terms: Uint32Array): number {
    if (this.poolGarbage > 65_536 && this.poolGarbage > this.poolUsed / 2) this.compact();
    if (this.poolUsed + terms.length > this.pool.length) {
      const grown = new Uint32Array(Math.max(this.poolUsed + terms.length, this.pool.length * 2));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    const start = this.poolUsed;
    this.pool.set(terms, start);
    this.poolUsed += terms.length;
    return start;
  }

  private compact(): void {
    const pool = new Uint32Array(Math.max(1024, (this.poolUsed - this.poolGarbage) * 2));
    let used = 0;
    for (let slot = 0; slot < this.offers.length; slot++) {
      if (!this.offers[slot]) continue;
      const start = this.termStart(slot);
      const count = this.termCount(slot);
      pool.set(this.pool.subarray(start, start + count), used);
      this.ints[slot * STRIDE + TERM_START] = used;
      used += count;
    }
    this.pool = pool;
    this.poolUsed = used;
    this.poolGarbage = 0;
  }

  owner(slot: number): number {
    return this.ints[slot * STRIDE + OWNER] as number;
  }

  /** The records as int32 words (`STRIDE` per slot); replaced when the columns grow. */
  get recordInts(): Int32Array {
    return this.ints;
  }

  /** The same records as float64 words (`STRIDE / 2` per slot). */
  get recordFloats(): Float64Array {
    return this.floats;
  }

  /** The country index of each owner, -1 when it is not known; replaced when owners are added. */
  get ownerCountryIndexes(): Int32Array {
    return this.ownerCountries;
  }

  /** The country index of the organisation, -1 when it is not known. */
  ownerCountry(owner: number): number {
    return this.ownerCountries[owner] as number;
  }

  sdgMask(slot: number): number {
    return this.ints[slot * STRIDE + SDGS] as number;
  }

  priorityMask(slot: number): number {
    return (this.ints[slot * STRIDE + FLAGS] as number) & PRIORITY_MASK;
  }

  /** The need types the offer provides, as `typeBit`s. */
  typeMask(slot: number): number {
    return ((this.ints[slot * STRIDE + FLAGS] as number) >>> TYPE_SHIFT) & TYPE_MASK;
  }

  /**
   * Whether the slot holds an offer whose organisation is known: what `offers[slot]` and
   * `owners[owner(slot)]` would say, read from the record a candidate's scoring reads anyway rather
   * than from two more arrays (a cache miss each, per candidate).
   */
  scorable(slot: number): boolean {
    return (
      ((this.ints[slot * STRIDE + FLAGS] as number) & LIVE) !== 0 &&
      (this.ownerCountries[this.ints[slot * STRIDE + OWNER] as number] as number) >= 0
    );
  }

  fundsTriads(slot: number): boolean {
    return ((this.ints[slot * STRIDE + FLAGS] as number) & FUNDS_TRIADS) !== 0;
  }

  sectorCount(slot: number): number {
    return this.ints[slot * STRIDE + SECTOR_COUNT] as number;
  }

  sectorCode(slot: number, j: number): number {
    return this.ints[slot * STRIDE + SECTOR_CODES + j] as number;
  }

  currency(slot: number): number {
    return this.ints[slot * STRIDE + CURRENCY] as number;
  }

  logMin(slot: number): number {
    return this.floats[slot * (STRIDE / 2) + LOG_MIN] as number;
  }

  logMax(slot: number): number {
    return this.floats[slot * (STRIDE / 2) + LOG_MAX] as number;
  }

  private ensure(slot: number): void {
    const capacity = this.ints.length / STRIDE;
    if (slot < capacity) return;
    const buffer = new ArrayBuffer(Math.max(slot + 1, capacity * 2) * STRIDE * 4);
    const ints = new Int32Array(buffer);
    ints.set(this.ints);
    this.ints = ints;
    this.floats = new Float64Array(buffer);
  }
}

/**
 * A subset of the offers of some columns: what the index retrieved, or everything for brute force.
 * The index hands out views of buffers it reuses (see `MatchIndex.offerCandidates`).
 */
export interface CandidateSet {
  readonly columns: OfferColumns;
  readonly slots: ArrayLike<number>;
}
