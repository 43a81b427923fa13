import {
  type NeedSnapshot,
  NeedType,
  type OfferSnapshot,
  type OrganisationSnapshot,
} from '@mutirao/contracts';
import { unitsPerUsd } from '@mutirao/reference-data';
import { featuresOf } from './features';
import { type CandidateSet, OfferColumns } from './offer-columns';
import { type PostingKey, PostingTable } from './posting-table';
import { areaKey, countryFacts, isDeveloping } from './reference';
import { fundsTriads, wantsTriad } from './triad-rules';

/**
 * The in-memory candidate index of the matching service: open offers filed by the part they can
 * play, where they are open to, their sector categories and their languages, so that a need looks up
 * the few keys it could match instead of scanning every offer; and open needs, so that a new offer
 * finds the needs it could answer.
 *
 * Every key is a necessary condition of a hard rule, never a sufficient one: the role part stands for
 * R1 and the offer's own side of R2 (its organisation is verified), R8 (its modalities admit a
 * partnership from its organisation's country with a Southern entity), the triad provider and funder
 * rules and "funds alone"; then R4's countries and regions, R6, R5 and R7. What the index returns still
 * goes through every rule, and the property test checks that nothing the rules would accept is left
 * out, also after organisations change.
 */

const ANY = '*';
/** The pseudo-type under which offers that can fund triads are filed (see `fundsTriads`). */
const FUNDER = 'F';
/**
 * Where an open offer is kept that can play no part now (its organisation is unknown, not verified,
 * or its modalities rule out every partnership): stored, so that brute force and a later change of
 * its organisation find it, but filed under a key no need looks up.
 */
const PARKED = '-';

/** Every key made of one part from each dimension, in order. */
function cross(...dimensions: readonly (readonly string[])[]): string[][] {
  let keys: string[][] = [[]];
  for (const values of dimensions) keys = keys.flatMap((k) => values.map((v) => [...k, v]));
  return keys;
}

function offerGeography(offer: OfferSnapshot): string[] {
  // R4 demands every field an offer sets, so filing under one of them is enough: the countries,
  // the more selective, when set.
  const { countries, regions } = offer.eligibility;
  if (countries?.length) return countries.map((c) => `c:${c}`);
  if (regions?.length) return regions.map((r) => `r:${areaKey(r)}`);
  return [ANY];
}

/** Offers without an amount range, or with one in a currency without a rate to the US dollar. */
const ANY_AMOUNT = '$*';
/** Every offer with a range that converts: what a need without an amount looks up. */
const EVERY_RANGE = '$';

/**
 * The half-decade band of an amount in US dollars (…, 10k–31.6k, 31.6k–100k, …), never below 0: a
 * non-decreasing function, so an amount within a range has a band within the range's bands.
 */
function usdBand(usd: number): number {
  return usd <= 1 ? 0 : Math.floor(2 * Math.log10(usd));
}

/**
 * R7 in the index: an offer with a range is filed under the bands its range spans (widened by a
 * rounding's worth, since the rule converts the need's amount into the offer's currency while the
 * bands compare both in dollars), so that a need with an amount only retrieves the ranges that
 * could hold it. A range that cannot be converted is filed where every need looks: the rule decides.
 */
function offerAmounts(offer: OfferSnapshot): string[] {
  const range = offer.amount;
  const rate = range && unitsPerUsd(range.currency);
  if (!range || rate === undefined) return [ANY_AMOUNT];
  const keys = [EVERY_RANGE];
  const last = usdBand((range.max / rate) * (1 + 1e-9));
  for (let band = usdBand((range.min / rate) * (1 - 1e-9)); band <= last; band++) keys.push(`$${band}`);
  return keys;
}

function needAmounts(need: NeedSnapshot): string[] {
  // Without an amount R7 holds whatever the offer's range.
  if (!need.amount) return [ANY_AMOUNT, EVERY_RANGE];
  const rate = unitsPerUsd(need.amount.currency);
  // Without a rate only a range in the need's own currency could hold it, and that one has no rate either.
  if (rate === undefined) return [ANY_AMOUNT];
  return [ANY_AMOUNT, `$${usdBand(need.amount.value / rate)}`];
}

/**
 * What of an organisation decides the parts its offers can play: a change re-files its offers.
 * Matching needs a verified need organisation in a developing country (`needCanBeAnswered`), so the
 * offer's side of every rule below is settled by these facts and the offer alone.
 */
type Standing = 'none' | 'south' | 'north';

function standingOf(org: OrganisationSnapshot | undefined): Standing {
  if (org?.verification !== 'verified') return 'none';
  return isDeveloping(org.country) ? 'south' : 'north';
}

/**
 * The parts an offer can play, each as a role key: `t:<type>` answers a need of that type alone
 * (R1, R2, R8), `a:<type>` also finances, so it answers alone a need of that type that requires
 * funding, `p:<type>` can be the provider of a triad (R1, R2, triad provider), and `F` its funder.
 */
function offerRoles(offer: OfferSnapshot, standing: Standing): string[] {
  if (standing === 'none') return [];
  const modalities = offer.modalities;
  const open = modalities.length === 0;
  const single = open || modalities.includes(standing === 'south' ? 'south-south' : 'north-south');
  const provider =
    standing === 'south' && (open || modalities.includes('south-south') || modalities.includes('triangular'));
  const finances = offer.types.includes('financing');
  const roles: string[] = [];
  for (const type of offer.types) {
    if (single) roles.push(`t:${type}`);
    if (single && finances && type !== 'financing') roles.push(`a:${type}`);
    if (provider) roles.push(`p:${type}`);
  }
  if (fundsTriads(offer)) roles.push(FUNDER);
  return roles;
}

function offerKeys(offer: OfferSnapshot, org: OrganisationSnapshot | undefined): PostingKey[] {
  if (offer.status !== 'open' || offer.capacity <= 0) return [];
  const roles = offerRoles(offer, standingOf(org));
  if (roles.length === 0) return [PARKED];
  const categories = featuresOf(offer).categories;
  return cross(
    roles,
    offerGeography(offer),
    categories.length ? categories : [ANY],
    offer.workingLanguages,
    offerAmounts(offer),
  );
}

function needKeys(need: NeedSnapshot): PostingKey[] {
  if (need.status !== 'open') return [];
  const types = [`t:${need.type}`];
  if (wantsTriad(need)) types.push(FUNDER);
  // Filed under ANY as well, for the offers that take any sector.
  return cross(types, [...featuresOf(need).categories, ANY], need.workingLanguages);
}

/** The role keys a need looks up, made once per need type rather than once per need. */
const FUNDER_ROLE: readonly string[] = [FUNDER];
const SINGLE_ROLES = byType((type) => [`t:${type}`]);
const TRIAD_ROLES = byType((type) => [`a:${type}`, `p:${type}`]);

function byType(keys: (type: NeedType) => readonly string[]): Record<NeedType, readonly string[]> {
  const out = {} as Record<NeedType, readonly string[]>;
  for (const type of NeedType.options) out[type] = keys(type);
  return out;
}

/** The places an offer open to the need's country is filed under: the country, its areas, anywhere. */
const geographyByCountry = new Map<string, readonly string[]>();

function needGeography(country: string): readonly string[] {
  let places = geographyByCountry.get(country);
  if (!places) {
    const areas = countryFacts(country)?.areas ?? [];
    places = [`c:${country}`, ...areas.map((a) => `r:${a}`), ANY];
    geographyByCountry.set(country, places);
  }
  return places;
}

function clusterKey(offer: OfferSnapshot): string {
  return `${offer.types[0]}|${featuresOf(offer).categories[0] ?? ANY}|${offer.workingLanguages[0]}`;
}

export class MatchIndex {
  /** Organisations and the scoring records of the open offers, by the slots of `openOffers`. */
  private readonly columns = new OfferColumns();
  private readonly openOffers = new PostingTable<OfferSnapshot>((offer) =>
    offerKeys(offer, this.columns.organisation(offer.organisationId)),
  );
  /** Where candidate lookups write their slots, one buffer per role (see `offerCandidates`). */
  private readonly buffers: Record<'offer' | 'funder', Int32Array> = {
    offer: new Int32Array(4096),
    funder: new Int32Array(1024),
  };
  /** The open offers of each organisation, known or not yet: re-filed when its standing changes. */
  private readonly offersByOrganisation = new Map<string, Set<string>>();
  private readonly openNeeds = new PostingTable<NeedSnapshot>(needKeys);
  /**
   * Open calls: offers assigned all at once when they close (see `calls/`), never pair by pair, so
   * they stay out of the offer table every need's ranking reads.
   */
  private readonly openCalls = new Map<string, OfferSnapshot>();

  static build(data: {
    organisations: Iterable<OrganisationSnapshot>;
    offers: Iterable<OfferSnapshot>;
    needs: Iterable<NeedSnapshot>;
  }): MatchIndex {
    const index = new MatchIndex();
    for (const o of data.organisations) index.upsertOrganisation(o);
    // Offers that share their first type, sector category and language get neighbouring slots: a need
    // retrieves them together, and reading neighbouring records is much cheaper than scattered ones.
    const offers = [...data.offers];
    const cluster = new Map(offers.map((o) => [o, clusterKey(o)]));
    offers.sort((a, b) => ((cluster.get(a) as string) < (cluster.get(b) as string) ? -1 : 1));
    for (const o of offers) index.upsertOffer(o);
    for (const n of data.needs) index.upsertNeed(n);
    // The lists grew offer by offer, each moving whenever it ran out of room: lay them out afresh.
    index.openOffers.pack();
    index.openNeeds.pack();
    return index;
  }

  /**
   * The rules read organisations at match time; only a change of standing (verification, or a move
   * between developing and developed countries) re-files the organisation's offers. They are taken
   * out while the index still holds the organisation as they were filed, since a posting table
   * finds an item's keys again from the item.
   */
  upsertOrganisation(org: OrganisationSnapshot): void {
    this.refiling(org.id, standingOf(org), () => this.columns.setOrganisation(org));
  }

  removeOrganisation(id: string): void {
    this.refiling(id, 'none', () => this.columns.clearOrganisation(id));
  }

  private refiling(orgId: string, next: Standing, change: () => void): void {
    const ids = this.offersByOrganisation.get(orgId);
    if (!ids?.size || standingOf(this.columns.organisation(orgId)) === next) {
      change();
      return;
    }
    const offers = [...ids].map((id) => this.openOffers.get(id)).filter((o) => o !== undefined);
    for (const offer of offers) this.removeOffer(offer.id);
    change();
    for (const offer of offers) this.upsertOffer(offer);
  }

  organisation(id: string): OrganisationSnapshot | undefined {
    return this.columns.organisation(id);
  }

  /** An offer that is no longer open or has no capacity left leaves the index. */
  upsertOffer(offer: OfferSnapshot): void {
    this.removeOffer(offer.id);
    if (offer.call) {
      if (offer.status === 'open') {
        this.openCalls.set(offer.id, offer);
        this.fileUnder(offer);
      }
      return;
    }
    const slot = this.openOffers.put(offer);
    if (slot < 0) return;
    this.columns.set(slot, offer);
    this.fileUnder(offer);
  }

  private fileUnder(offer: OfferSnapshot): void {
    let ids = this.offersByOrganisation.get(offer.organisationId);
    if (!ids) {
      ids = new Set();
      this.offersByOrganisation.set(offer.organisationId, ids);
    }
    ids.add(offer.id);
  }

  removeOffer(id: string): void {
    const call = this.openCalls.get(id);
    if (call) {
      this.openCalls.delete(id);
      this.unfile(call);
      return;
    }
    const slot = this.openOffers.slotOf(id);
    const offer = this.openOffers.get(id);
    if (slot === undefined || !offer) return;
    this.openOffers.remove(id);
    this.columns.clear(slot);
    this.unfile(offer);
  }

  private unfile(offer: OfferSnapshot): void {
    const ids = this.offersByOrganisation.get(offer.organisationId);
    ids?.delete(offer.id);
    if (ids?.size === 0) this.offersByOrganisation.delete(offer.organisationId);
  }

  /** An open offer, or an open call. */
  offer(id: string): OfferSnapshot | undefined {
    return this.openOffers.get(id) ?? this.openCalls.get(id);
  }

  /** The open calls. */
  calls(): IterableIterator<OfferSnapshot> {
    return this.openCalls.values();
  }

  /** The organisation's open offers and calls. */
  offersOfOrganisation(orgId: string): OfferSnapshot[] {
    return [...(this.offersByOrganisation.get(orgId) ?? [])]
      .map((id) => this.offer(id))
      .filter((o) => o !== undefined);
  }

  offers(): IterableIterator<OfferSnapshot> {
    return this.openOffers.values();
  }

  /** A need that is no longer open leaves the index. */
  upsertNeed(need: NeedSnapshot): void {
    this.openNeeds.put(need);
  }

  removeNeed(id: string): void {
    this.openNeeds.remove(id);
  }

  need(id: string): NeedSnapshot | undefined {
    return this.openNeeds.get(id);
  }

  needs(): IterableIterator<NeedSnapshot> {
    return this.openNeeds.values();
  }

  /**
   * Offers that may answer the need: alone or as a triad's provider (`role` 'offer'), or as the funder
   * of a triad ('funder'). Offers in the need's own sector categories come first: they tend to score
   * best, which lets the ranking discard the rest sooner.
   *
   * The slots are a view of a buffer the index reuses for the next lookup of the same role: matching
   * one need allocates almost nothing, which keeps the garbage collector's pauses out of it. Read
   * them before asking again.
   */
  offerCandidates(need: NeedSnapshot, needOrg: OrganisationSnapshot, role: 'offer' | 'funder'): CandidateSet {
    const roles =
      role === 'funder' ? FUNDER_ROLE : wantsTriad(need) ? TRIAD_ROLES[need.type] : SINGLE_ROLES[need.type];
    const dimensions = [
      roles,
      needGeography(needOrg.country),
      [...featuresOf(need).categories, ANY],
      need.workingLanguages,
      needAmounts(need),
    ];
    const { slots, count } = this.openOffers.collectAcross(dimensions, this.buffers[role]);
    this.buffers[role] = slots;
    return { columns: this.columns, slots: slots.subarray(0, count) };
  }

  /** Where an open offer's scoring record lives. */
  offerRecord(id: string): { columns: OfferColumns; slot: number } | undefined {
    const slot = this.openOffers.slotOf(id);
    return slot === undefined ? undefined : { columns: this.columns, slot };
  }

  /** Every open offer, unfiltered: what brute force scores. */
  everyOffer(): CandidateSet {
    const slots: number[] = [];
    for (const offer of this.openOffers.values()) slots.push(this.openOffers.slotOf(offer.id) as number);
    return { columns: this.columns, slots };
  }

  /** Open needs the offer may answer in any role; geography is left to the rules. */
  needCandidates(offer: OfferSnapshot): NeedSnapshot[] {
    const roles = offerRoles(offer, standingOf(this.columns.organisation(offer.organisationId)));
    const types = [...new Set(roles.map((r) => (r === FUNDER ? FUNDER : `t:${r.slice(2)}`)))];
    const categories = featuresOf(offer).categories;
    const found: NeedSnapshot[] = [];
    this.openNeeds.collect([types, categories.length ? categories : [ANY], offer.workingLanguages], found);
    return found;
  }

  stats(): { organisations: number; offers: TableStats; needs: TableStats } {
    return {
      organisations: this.columns.organisationCount(),
      offers: this.openOffers.stats(),
      needs: this.openNeeds.stats(),
    };
  }
}

type TableStats = ReturnType<PostingTable<NeedSnapshot>['stats']>;
