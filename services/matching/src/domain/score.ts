import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot, Priority } from '@mutirao/contracts';
import { convert } from '@mutirao/reference-data';
import { bitCount, featuresOf } from './features';
import {
  CURRENCY,
  currencyAt,
  LOG_MAX,
  LOG_MIN,
  NO_CURRENCY,
  OfferColumns,
  OWNER,
  PRIORITY_MASK,
  FLAGS as RECORD_FLAGS,
  SDGS as RECORD_SDGS,
  SECTOR_CODES,
  SECTOR_COUNT,
  SPILLED,
  STRIDE,
} from './offer-columns';
import { type CountryFacts, countryAt, countryFacts, countryIndex } from './reference';
import { amountInOfferCurrency } from './rules';
import { TermProbe } from './text';
import type { CriterionName, Pair } from './types';

/**
 * The score of an eligible pair, in 0–1: a weighted sum of parts that each lie in 0–1. The numbers
 * only; `explain.ts` puts them into words for the proposals that reach a coordinator.
 */

/** Sector fit and the geography of the partnership weigh most: they are what coordinators check first. */
export const WEIGHTS: Readonly<Record<CriterionName, number>> = {
  sector: 0.25,
  geography: 0.2,
  text: 0.2,
  sdg: 0.15,
  amount: 0.1,
  priority: 0.1,
};

export const CRITERIA = Object.keys(WEIGHTS) as CriterionName[];

/** In a triad the provider does the work the need asks for; the funder makes it possible. */
export const TRIAD_SHARES = { provider: 0.65, funder: 0.35 } as const;

/** Given for a part the pair has no information about, so that it neither helps nor hurts much. */
export const NEUTRAL = 0.5;
/** An offer open to any sector fits, but less than one that names the need's sector. */
export const ANY_SECTOR = 0.3;
/** Two short texts on the same subject rarely share more than this share of their stems. */
const TEXT_SATURATION = 0.5;

export type PartValues = Record<CriterionName, number>;

/** 1 for the same country, less for the same intermediate region, sub-region, region. */
export function closeness(a: CountryFacts | undefined, b: CountryFacts | undefined): number {
  if (!a || !b) return 0;
  if (a.code === b.code) return 1;
  if (a.intermediateRegion && a.intermediateRegion === b.intermediateRegion) return 0.8;
  if (a.subRegion && a.subRegion === b.subRegion) return 0.6;
  if (a.region && a.region === b.region) return 0.4;
  return 0;
}

export function favours(priorities: readonly Priority[], facts: CountryFacts | undefined): boolean {
  return facts !== undefined && priorities.some((p) => facts[p]);
}

/** Where an amount sits in a range, on a log scale: 0 at the minimum, 1 at the maximum. */
export function positionOf(value: number, min: number, max: number): number {
  return positionOfLogs(Math.log1p(value), Math.log1p(min), Math.log1p(max));
}

function positionOfLogs(value: number, lo: number, hi: number): number {
  if (hi <= lo) return 0.5;
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

export function positionInRange(need: NeedSnapshot, offer: OfferSnapshot): number | undefined {
  const v = amountInOfferCurrency(need, offer);
  return offer.amount && v !== undefined ? positionOf(v, offer.amount.min, offer.amount.max) : undefined;
}

/**
 * Everything about one need that scoring reads, prepared once, so that scoring each of thousands of
 * candidate offers reads one packed record (see `OfferColumns`) and a few values cached here. The
 * engine scores in two steps: `partial` (every part but the text, which is cheap) and `complete`,
 * so that it can skip the text of offers that cannot make the cut whatever their text says.
 */
export class NeedProfile {
  private readonly sdgMask: number;
  private readonly sdgCount: number;
  private readonly sectorCodes: Int32Array;
  private readonly sectorCategories: Int32Array;
  /** The lowest code of each sector's category (category × 100). */
  private readonly categoryStarts: Int32Array;
  private readonly home: CountryFacts | undefined;
  private readonly homeMask: number;
  private readonly interests: readonly (CountryFacts | undefined)[];
  private readonly terms: TermProbe;
  /** Geography depends on the partner's country only: one value per country index, NaN until asked. */
  private readonly geographyByCountry = new Float64Array(256).fill(Number.NaN);
  /**
   * The weights of sector, geography, SDG, amount and priority, then the text's, ANY_SECTOR,
   * NEUTRAL, 0 and 1, as unboxed numbers for `partials`.
   */
  private readonly weights = Float64Array.of(
    WEIGHTS.sector,
    WEIGHTS.geography,
    WEIGHTS.sdg,
    WEIGHTS.amount,
    WEIGHTS.priority,
    WEIGHTS.text,
    ANY_SECTOR,
    NEUTRAL,
    0,
    1,
  );
  private readonly unboxed = new Float64Array(1);
  /** log1p of the need's amount in each currency index: NaN until asked, −1 when there is no rate. */
  private readonly amountByCurrency = new Float64Array(64).fill(Number.NaN);

  constructor(
    readonly need: NeedSnapshot,
    readonly needOrg: OrganisationSnapshot,
  ) {
    const features = featuresOf(need);
    this.sdgMask = features.sdgMask;
    this.sdgCount = bitCount(features.sdgMask);
    this.sectorCodes = Int32Array.from(need.sectors, Number);
    this.sectorCategories = this.sectorCodes.map((code) => Math.floor(code / 100));
    this.categoryStarts = this.sectorCategories.map((category) => category * 100);
    this.home = countryFacts(needOrg.country);
    this.homeMask = this.home
      ? (this.home.ldc ? 1 : 0) | (this.home.lldc ? 2 : 0) | (this.home.sids ? 4 : 0)
      : 0;
    this.interests = need.countriesOfInterest.map(countryFacts);
    this.terms = new TermProbe(features.terms);
  }

  /**
   * The share of the need's sectors the offer covers: an exact code counts 1, a code of the same
   * 3-digit category ½ (DAC categories are the first three digits of the code).
   */
  sector(columns: OfferColumns, slot: number): number {
    const need = this.sectorCodes;
    let count = columns.sectorCount(slot);
    const spilled = count === SPILLED ? (columns.offers[slot]?.sectors ?? []).map(Number) : undefined;
    if (spilled) count = spilled.length;
    if (count === 0 || need.length === 0) return ANY_SECTOR;
    let sum = 0;
    for (let i = 0; i < need.length; i++) {
      const code = need[i] as number;
      const category = this.sectorCategories[i] as number;
      let fit = 0;
      for (let j = 0; j < count && fit < 1; j++) {
        const offered = spilled ? (spilled[j] as number) : columns.sectorCode(slot, j);
        if (offered === code) fit = 1;
        else if (Math.floor(offered / 100) === category) fit = 0.5;
      }
      sum += fit;
    }
    return sum / need.length;
  }

  /** The share of the need's SDGs the offer works towards. */
  sdg(columns: OfferColumns, slot: number): number {
    if (this.sdgCount === 0) return NEUTRAL;
    return bitCount(this.sdgMask & columns.sdgMask(slot)) / this.sdgCount;
  }

  /**
   * A partner in one of the need's countries of interest is the strongest signal; a neighbour of one
   * of them counts for less. Without countries of interest, nearness to the entity itself counts.
   */
  geography(country: number): number {
    const cached = this.geographyByCountry[country];
    // NaN marks a country not asked about yet.
    if (cached !== undefined && !Number.isNaN(cached)) return cached;
    const b = countryFacts(countryAt(country));
    const near = closeness(this.home, b);
    let interest = 0;
    for (const c of this.interests) interest = Math.max(interest, closeness(c, b));
    const value =
      this.interests.length === 0 ? near : Math.max(interest === 1 ? 1 : interest * 0.6, near * 0.5);
    if (country >= 0 && country < this.geographyByCountry.length) this.geographyByCountry[country] = value;
    return value;
  }

  /** Tickets near the middle of a range fit best: at the edges a lender tends to say no or to cut. */
  amount(columns: OfferColumns, slot: number): number {
    const currency = columns.currency(slot);
    if (!this.need.amount || currency === NO_CURRENCY) return NEUTRAL;
    const logValue = this.logAmountIn(currency);
    if (logValue === undefined) return 0;
    return 1 - Math.abs(positionOfLogs(logValue, columns.logMin(slot), columns.logMax(slot)) - 0.5);
  }

  /** log1p of the need's amount in that currency, once per currency; undefined without a rate. */
  private logAmountIn(currency: number): number | undefined {
    const cached = this.amountByCurrency[currency];
    if (cached !== undefined && !Number.isNaN(cached)) return cached < 0 ? undefined : cached;
    const { amount } = this.need;
    const to = currencyAt(currency);
    const v = !amount
      ? undefined
      : amount.currency === to
        ? amount.value
        : convert(amount.value, amount.currency, to);
    const log = v === undefined ? undefined : Math.log1p(v);
    if (currency < this.amountByCurrency.length) this.amountByCurrency[currency] = log ?? -1;
    return log;
  }

  priority(columns: OfferColumns, slot: number): number {
    const favoured = columns.priorityMask(slot);
    if (favoured === 0) return NEUTRAL;
    return favoured & this.homeMask ? 1 : 0;
  }

  text(columns: OfferColumns, slot: number): number {
    const cosine = this.terms.cosine(columns.termPool(), columns.termStart(slot), columns.termCount(slot));
    return Math.min(1, cosine / TEXT_SATURATION);
  }

  /** The weighted sum of every part but the text. */
  partial(columns: OfferColumns, slot: number): number {
    return (
      WEIGHTS.sector * this.sector(columns, slot) +
      WEIGHTS.geography * this.geography(columns.ownerCountry(columns.owner(slot))) +
      WEIGHTS.sdg * this.sdg(columns, slot) +
      WEIGHTS.amount * this.amount(columns, slot) +
      WEIGHTS.priority * this.priority(columns, slot)
    );
  }

  /**
   * `partial` of `slots[0 … n)`, written to `out[0 … n)`: the same arithmetic as the parts above,
   * in one loop over the packed records that allocates nothing. It is the engine's first pass over
   * thousands of candidates per need, where a call per part returned boxed numbers the garbage
   * collector then had to sweep; a test holds it equal to `partial`, to the last bit.
   */
  partials(columns: OfferColumns, slots: ArrayLike<number>, n: number, out: Float64Array): void {
    const ints = columns.recordInts;
    const floats = columns.recordFloats;
    const countries = columns.ownerCountryIndexes;
    const codes = this.sectorCodes;
    const categoryStarts = this.categoryStarts;
    const needSectors = codes.length;
    const sdgMask = this.sdgMask;
    const sdgCount = this.sdgCount;
    const hasAmount = this.need.amount !== undefined;
    const homeMask = this.homeMask;
    const byCountry = this.geographyByCountry;
    const byCurrency = this.amountByCurrency;
    // Each part is added in the order `partial` adds them, so the sums agree to the bit. Every
    // constant is read from a Float64Array: a merge of a computed number with a literal made V8
    // box it, a heap number per offer.
    const weights = this.weights;
    const wSector = weights[0] as number;
    const wGeography = weights[1] as number;
    const wSdg = weights[2] as number;
    const wAmount = weights[3] as number;
    const wPriority = weights[4] as number;
    const anySector = weights[6] as number;
    const neutral = weights[7] as number;
    const zero = weights[8] as number;
    const one = weights[9] as number;
    // Where the rare calls (spilled sectors, a country or currency past the caches) leave their
    // number, so that it is read back unboxed like every other.
    const unboxed = this.unboxed;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
      const base = slot * STRIDE;

      const count = ints[base + SECTOR_COUNT] as number;
      let sector = anySector;
      if (count === SPILLED) {
        unboxed[0] = this.sector(columns, slot);
        sector = unboxed[0] as number;
      } else if (count > 0 && needSectors > 0) {
        let sum = 0;
        for (let a = 0; a < needSectors; a++) {
          const code = codes[a] as number;
          const category = categoryStarts[a] as number;
          // Twice the fit, an integer: 2 for the exact code, 1 for its category.
          let fit2 = 0;
          for (let b = 0; b < count && fit2 < 2; b++) {
            const offered = ints[base + SECTOR_CODES + b] as number;
            // In the category: category * 100 <= offered < category * 100 + 100, without a division.
            if (offered === code) fit2 = 2;
            else if ((offered - category) >>> 0 < 100) fit2 = 1;
          }
          sum += fit2;
        }
        sector = sum / 2 / needSectors;
      }
      let score = wSector * sector;

      const country = countries[ints[base + OWNER] as number] as number;
      let geography = zero;
      if (country >= 0 && country < byCountry.length) {
        // NaN: not asked about yet; the method fills the cache.
        if (Number.isNaN(byCountry[country] as number)) this.geography(country);
        geography = byCountry[country] as number;
      } else if (country >= 0) {
        unboxed[0] = this.geography(country);
        geography = unboxed[0] as number;
      }
      score = score + wGeography * geography;

      const sdg =
        sdgCount === 0 ? neutral : bitCount(sdgMask & (ints[base + RECORD_SDGS] as number)) / sdgCount;
      score = score + wSdg * sdg;

      const currency = ints[base + CURRENCY] as number;
      let amount = neutral;
      if (hasAmount && currency !== NO_CURRENCY) {
        if (currency < byCurrency.length && Number.isNaN(byCurrency[currency] as number))
          this.logAmountIn(currency);
        if (currency >= byCurrency.length) unboxed[0] = this.logAmountIn(currency) ?? Number.NaN;
        const logValue =
          currency < byCurrency.length ? (byCurrency[currency] as number) : (unboxed[0] as number);
        // −1 in the cache and NaN past it: no rate to the offer's currency.
        if (currency < byCurrency.length ? logValue < 0 : Number.isNaN(logValue)) amount = zero;
        else {
          const lo = floats[slot * (STRIDE / 2) + LOG_MIN] as number;
          const hi = floats[slot * (STRIDE / 2) + LOG_MAX] as number;
          const position = hi <= lo ? 0.5 : Math.min(1, Math.max(0, (logValue - lo) / (hi - lo)));
          amount = 1 - Math.abs(position - 0.5);
        }
      }
      score = score + wAmount * amount;

      const favoured = (ints[base + RECORD_FLAGS] as number) & PRIORITY_MASK;
      const priority = favoured === 0 ? neutral : favoured & homeMask ? one : zero;
      out[i] = score + wPriority * priority;
    }
  }

  /** The most a partial score can become once the text is compared. */
  static bound(partial: number): number {
    return partial + WEIGHTS.text;
  }

  complete(partial: number, columns: OfferColumns, slot: number): number {
    return partial + WEIGHTS.text * this.text(columns, slot);
  }

  /**
   * `complete(partials[i], columns, slot)` written to `out[i]`: the same arithmetic in one function,
   * where the engine's calls through `text` and `cosine` each returned their number boxed, a heap
   * number per candidate for the garbage collector.
   */
  completeInto(
    partials: Float64Array,
    i: number,
    columns: OfferColumns,
    slot: number,
    out: Float64Array,
  ): void {
    const terms = this.terms;
    const count = columns.termCount(slot);
    const weights = this.weights;
    if (terms.size === 0 || count === 0) out[i] = (partials[i] as number) + (weights[5] as number) * 0;
    else {
      const shared = terms.shared(columns.termPool(), columns.termStart(slot), count);
      const cosine = shared / Math.sqrt(terms.size * count);
      out[i] = (partials[i] as number) + (weights[5] as number) * Math.min(1, cosine / TEXT_SATURATION);
    }
  }

  score(columns: OfferColumns, slot: number): number {
    return this.complete(this.partial(columns, slot), columns, slot);
  }

  values(columns: OfferColumns, slot: number): PartValues {
    return {
      sector: this.sector(columns, slot),
      geography: this.geography(columns.ownerCountry(columns.owner(slot))),
      text: this.text(columns, slot),
      sdg: this.sdg(columns, slot),
      amount: this.amount(columns, slot),
      priority: this.priority(columns, slot),
    };
  }
}

/** One pair scored exactly as the engine scores it: through a one-offer set of columns. */
function single(p: Pair): [NeedProfile, OfferColumns] {
  const { columns } = OfferColumns.of([p.offer], () => p.offerOrg);
  return [new NeedProfile(p.need, p.needOrg), columns];
}

export const sectorValue = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.sector(columns, 0);
};
export const sdgValue = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.sdg(columns, 0);
};
export const textValue = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.text(columns, 0);
};
export const geographyValue = (p: Pair): number =>
  new NeedProfile(p.need, p.needOrg).geography(countryIndex(p.offerOrg.country));
export const amountValue = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.amount(columns, 0);
};
export const priorityValue = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.priority(columns, 0);
};
export const partValues = (p: Pair): PartValues => {
  const [profile, columns] = single(p);
  return profile.values(columns, 0);
};
export const scorePair = (p: Pair): number => {
  const [profile, columns] = single(p);
  return profile.score(columns, 0);
};

/** Strictly increasing in both, which lets the engine stop early when it pairs providers with funders. */
export function triadScore(provider: number, funder: number): number {
  return TRIAD_SHARES.provider * provider + TRIAD_SHARES.funder * funder;
}
