import type { NeedSnapshot, OfferSnapshot, PostingStatus } from '@mutirao/contracts';
import type { Kind, NeedContent, OfferContent, Posting } from '../domain/types';

/**
 * What browsing and expiry need of one posting, held in memory for every posting of a kind.
 *
 * Browse filters on several fields at once, sorts and pages; the embedded FerretDB can answer
 * none of that from an index (it sorts in Go, after reading every matching document), so at 100k
 * postings a page took seconds. The repository keeps this projection in step with every write it
 * makes, filters and pages here, and reads only the page's documents by `_id`. A few hundred
 * bytes per posting: 100k postings hold ~30 MB. Other instances' writes come in from the need and
 * offer topics (`follow`, see docs/scaling.md); an entry is replaced only by one of the same or a
 * newer revision. See docs/store.md.
 */
export interface CatalogEntry {
  id: string;
  /** The posting's revision: the catalog never goes back to an older one. */
  revision: number;
  status: PostingStatus;
  organisationId: string;
  /** A need's type, or an offer's types. */
  types: readonly string[];
  sectorCategories: readonly string[];
  sdgs: readonly number[];
  workingLanguages: readonly string[];
  createdAt: number;
  expiresAt: number;
}

export type SortOrder = 'newest' | 'expiry';

/** Every condition is optional; all given ones must hold. */
export interface CatalogFilter {
  /** Postings this organisation owns are visible whatever their status (with `openOrOwn`). */
  openOrOwnedBy?: string | null;
  status?: PostingStatus;
  type?: string;
  countries?: ReadonlySet<string>;
  sectorCategory?: string;
  sdg?: number;
  language?: string;
  organisationId?: string;
}

export interface CatalogPage {
  ids: string[];
  /** The sort key and id of the last item served, when more follow. */
  next?: { value: number; id: string };
}

const sectorCategoriesOf = (c: { sectors: readonly string[] }): string[] => [
  ...new Set(c.sectors.map((s) => s.slice(0, 3))),
];

export function entryOf(p: Posting): CatalogEntry {
  const c = p.content;
  return {
    id: p.id,
    revision: p.revision,
    status: p.status,
    organisationId: p.organisationId,
    types: p.kind === 'need' ? [(c as NeedContent).type] : (c as OfferContent).types,
    sectorCategories: sectorCategoriesOf(c),
    sdgs: c.sdgs,
    workingLanguages: c.workingLanguages,
    createdAt: p.createdAt.getTime(),
    expiresAt: p.expiresAt.getTime(),
  };
}

/**
 * The entry of a public snapshot (an event's), which has everything but the creation date: the
 * caller knows it (see PostingRepo.follow).
 */
export function entryOfSnapshot(s: NeedSnapshot | OfferSnapshot, createdAt: number): CatalogEntry {
  return {
    id: s.id,
    revision: s.revision,
    status: s.status,
    organisationId: s.organisationId,
    types: 'types' in s ? s.types : [s.type],
    sectorCategories: sectorCategoriesOf(s),
    sdgs: s.sdgs,
    workingLanguages: s.workingLanguages,
    createdAt,
    expiresAt: Date.parse(s.expiresAt),
  };
}

/**
 * The country of each organisation, by revision, for the country and region filters: one map for
 * both catalogs, filled at start from the organisation read model and then from the organisation
 * topic (each instance follows it; see Exchange.start).
 */
export class OrganisationCountries {
  private readonly held = new Map<string, { revision: number; country: string }>();

  get(organisationId: string): string | undefined {
    return this.held.get(organisationId)?.country;
  }

  /** Holds the country if the revision is newer than the one held; false when it is not. */
  apply(organisationId: string, revision: number, country: string): boolean {
    const old = this.held.get(organisationId);
    if (old && old.revision >= revision) return false;
    this.held.set(organisationId, { revision, country });
    return true;
  }

  get size(): number {
    return this.held.size;
  }
}

function matches(e: CatalogEntry, f: CatalogFilter, countryOf: (org: string) => string | undefined): boolean {
  if (f.openOrOwnedBy !== undefined && e.status !== 'open' && e.organisationId !== f.openOrOwnedBy)
    return false;
  if (f.status !== undefined && e.status !== f.status) return false;
  if (f.type !== undefined && !e.types.includes(f.type)) return false;
  if (f.countries !== undefined) {
    const country = countryOf(e.organisationId);
    if (country === undefined || !f.countries.has(country)) return false;
  }
  if (f.sectorCategory !== undefined && !e.sectorCategories.includes(f.sectorCategory)) return false;
  if (f.sdg !== undefined && !e.sdgs.includes(f.sdg)) return false;
  if (f.language !== undefined && !e.workingLanguages.includes(f.language)) return false;
  if (f.organisationId !== undefined && e.organisationId !== f.organisationId) return false;
  return true;
}

/** The postings of one kind, by id, with the lookups browsing and expiry need. */
export class PostingCatalog {
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly byOrganisation = new Map<string, Set<string>>();

  private readonly countryOf: (organisationId: string) => string | undefined;

  constructor(
    readonly kind: Kind,
    readonly countries: OrganisationCountries = new OrganisationCountries(),
  ) {
    this.countryOf = (id) => countries.get(id);
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): CatalogEntry | undefined {
    return this.entries.get(id);
  }

  /** Holds the entry unless one of a newer revision is held; false when it is not held. */
  put(e: CatalogEntry): boolean {
    const old = this.entries.get(e.id);
    if (old && old.revision > e.revision) return false;
    if (old && old.organisationId !== e.organisationId)
      this.byOrganisation.get(old.organisationId)?.delete(e.id);
    this.entries.set(e.id, e);
    let ids = this.byOrganisation.get(e.organisationId);
    if (!ids) {
      ids = new Set();
      this.byOrganisation.set(e.organisationId, ids);
    }
    ids.add(e.id);
    return true;
  }

  /** The organisation's postings. */
  ofOrganisation(organisationId: string): string[] {
    return [...(this.byOrganisation.get(organisationId) ?? [])];
  }

  /**
   * One page of the postings that match, newest first (creation, then id, both descending) or by
   * expiry (soonest first, then id), after the cursor's sort key and id.
   */
  search(
    f: CatalogFilter,
    sort: SortOrder,
    limit: number,
    after?: { value: number; id: string },
  ): CatalogPage {
    const newest = sort === 'newest';
    const keyOf = (e: CatalogEntry) => (newest ? e.createdAt : e.expiresAt);
    // a before b in the order served
    const before = (a: CatalogEntry, b: CatalogEntry): boolean => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      if (ka !== kb) return newest ? ka > kb : ka < kb;
      return newest ? a.id > b.id : a.id < b.id;
    };
    const afterCursor = (e: CatalogEntry): boolean => {
      if (!after) return true;
      const k = keyOf(e);
      if (k !== after.value) return newest ? k < after.value : k > after.value;
      return newest ? e.id < after.id : e.id > after.id;
    };
    // The best `limit + 1` in one pass: a small sorted list, kept by insertion.
    const best: CatalogEntry[] = [];
    const keep = limit + 1;
    for (const e of this.entries.values()) {
      if (!matches(e, f, this.countryOf) || !afterCursor(e)) continue;
      if (best.length === keep && !before(e, best[keep - 1] as CatalogEntry)) continue;
      let i = best.length;
      while (i > 0 && before(e, best[i - 1] as CatalogEntry)) i--;
      best.splice(i, 0, e);
      if (best.length > keep) best.pop();
    }
    const page = best.slice(0, limit);
    const last = page[page.length - 1];
    return {
      ids: page.map((e) => e.id),
      ...(best.length > limit && last ? { next: { value: keyOf(last), id: last.id } } : {}),
    };
  }

  count(f: CatalogFilter = {}): number {
    let n = 0;
    for (const e of this.entries.values()) if (matches(e, f, this.countryOf)) n++;
    return n;
  }

  /** Open postings whose expiry is at or before `now`, soonest first (one pass; few are due at once). */
  dueForExpiry(now: number, limit: number): string[] {
    const due: CatalogEntry[] = [];
    for (const e of this.entries.values()) if (e.status === 'open' && e.expiresAt <= now) due.push(e);
    return due
      .sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1))
      .slice(0, limit)
      .map((e) => e.id);
  }

  /** The soonest expiry among open postings. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const e of this.entries.values())
      if (e.status === 'open' && (next === undefined || e.expiresAt < next)) next = e.expiresAt;
    return next;
  }
}
