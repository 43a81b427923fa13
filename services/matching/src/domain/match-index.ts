import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { featuresOf } from './features';
import { type CandidateSet, OfferColumns } from './offer-columns';
import { PostingTable } from './posting-table';
import { areaKey, countryFacts } from './reference';
import { fundsTriads, wantsTriad } from './triad-rules';

/**
 * The in-memory candidate index of the matching service: open offers filed by what they provide,
 * where they are open to, their sector categories and their languages, so that a need looks up the
 * few keys it could match instead of scanning every offer; and open needs, so that a new offer finds
 * the needs it could answer.
 *
 * Every key is a necessary condition of a hard rule (R1/triad funder, R4, R6, R5), never a
 * sufficient one: what the index returns still goes through every rule, and the property test
 * checks that nothing the rules would accept is left out.
 */

const ANY = '*';
/** The pseudo-type under which offers that can fund triads are filed (see `fundsTriads`). */
const FUNDER = 'F';

function cross(...dimensions: readonly (readonly string[])[]): string[] {
  let keys = [''];
  for (const values of dimensions) keys = keys.flatMap((k) => values.map((v) => (k ? `${k}|${v}` : v)));
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

function offerKeys(offer: OfferSnapshot): string[] {
  if (offer.status !== 'open' || offer.capacity <= 0) return [];
  const types = offer.types.map((t) => `t:${t}`);
  if (fundsTriads(offer)) types.push(FUNDER);
  const categories = featuresOf(offer).categories;
  return cross(types, offerGeography(offer), categories.length ? categories : [ANY], offer.workingLanguages);
}

function needKeys(need: NeedSnapshot): string[] {
  if (need.status !== 'open') return [];
  const types = [`t:${need.type}`];
  if (wantsTriad(need)) types.push(FUNDER);
  // Filed under ANY as well, for the offers that take any sector.
  return cross(types, [...featuresOf(need).categories, ANY], need.workingLanguages);
}

function clusterKey(offer: OfferSnapshot): string {
  return `${offer.types[0]}|${featuresOf(offer).categories[0] ?? ANY}|${offer.workingLanguages[0]}`;
}

export class MatchIndex {
  /** Organisations and the scoring records of the open offers, by the slots of `openOffers`. */
  private readonly columns = new OfferColumns();
  private readonly openOffers = new PostingTable<OfferSnapshot>(offerKeys);
  private readonly openNeeds = new PostingTable<NeedSnapshot>(needKeys);

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
    return index;
  }

  /** Kept whatever their verification: the rules read it at match time, so nothing is re-filed. */
  upsertOrganisation(org: OrganisationSnapshot): void {
    this.columns.setOrganisation(org);
  }

  removeOrganisation(id: string): void {
    this.columns.clearOrganisation(id);
  }

  organisation(id: string): OrganisationSnapshot | undefined {
    return this.columns.organisation(id);
  }

  /** An offer that is no longer open or has no capacity left leaves the index. */
  upsertOffer(offer: OfferSnapshot): void {
    this.removeOffer(offer.id);
    const slot = this.openOffers.put(offer);
    if (slot >= 0) this.columns.set(slot, offer);
  }

  removeOffer(id: string): void {
    const slot = this.openOffers.slotOf(id);
    if (slot === undefined) return;
    this.openOffers.remove(id);
    this.columns.clear(slot);
  }

  offer(id: string): OfferSnapshot | undefined {
    return this.openOffers.get(id);
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
   * Offers that may answer the need: as the offer or triad provider (`role` 'offer'), or as the funder
   * of a triad ('funder'). Offers in the need's own sector categories come first: they tend to score
   * best, which lets the ranking discard the rest sooner.
   */
  offerCandidates(need: NeedSnapshot, needOrg: OrganisationSnapshot, role: 'offer' | 'funder'): CandidateSet {
    const type = role === 'funder' ? FUNDER : `t:${need.type}`;
    const areas = countryFacts(needOrg.country)?.areas ?? [];
    const geography = [`c:${needOrg.country}`, ...areas.map((a) => `r:${a}`), ANY];
    const keys: string[] = [];
    for (const category of [...featuresOf(need).categories, ANY])
      for (const place of geography)
        for (const language of need.workingLanguages) keys.push(`${type}|${place}|${category}|${language}`);
    const slots: number[] = [];
    this.openOffers.collectSlots(keys, slots);
    return { columns: this.columns, slots };
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
    const types = offer.types.map((t) => `t:${t}`);
    if (fundsTriads(offer)) types.push(FUNDER);
    const categories = featuresOf(offer).categories;
    const keys = cross(types, categories.length ? categories : [ANY], offer.workingLanguages);
    const found: NeedSnapshot[] = [];
    this.openNeeds.collect(keys, found);
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
