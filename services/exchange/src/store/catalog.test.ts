import { aNeedSnapshot, anOfferSnapshot } from '@mutirao/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CatalogEntry,
  type CatalogFilter,
  entryOf,
  entryOfSnapshot,
  OrganisationCountries,
  PostingCatalog,
  type SortOrder,
} from './catalog';

const STATUSES = ['draft', 'open', 'expired', 'closed'] as const;

const anEntry = fc.record({
  n: fc.nat(1_000),
  status: fc.constantFrom(...STATUSES),
  org: fc.constantFrom('o1', 'o2', 'o3', 'o4'),
  types: fc.subarray(['financing', 'technology', 'markets'], { minLength: 1 }),
  categories: fc.subarray(['231', '311', '321']),
  sdgs: fc.subarray([1, 5, 7, 8]),
  languages: fc.subarray(['en', 'fr', 'pt'], { minLength: 1 }),
  // Few distinct dates, so that ties on the sort key are common.
  created: fc.nat(20),
  expires: fc.nat(20),
});

type RawEntry = typeof anEntry extends fc.Arbitrary<infer T> ? T : never;

/** The organisations' countries (o4's is not known). */
const COUNTRIES: Record<string, string> = { o1: 'GW', o2: 'SN', o3: 'RW' };
const countries = () => {
  const c = new OrganisationCountries();
  for (const [org, country] of Object.entries(COUNTRIES)) c.apply(org, 1, country);
  return c;
};

const toEntry = (e: RawEntry, i: number): CatalogEntry => ({
  id: `p${String(i).padStart(4, '0')}-${e.n}`,
  revision: 1,
  status: e.status,
  organisationId: e.org,
  types: e.types,
  sectorCategories: e.categories,
  sdgs: e.sdgs,
  workingLanguages: e.languages,
  createdAt: e.created * 1_000,
  expiresAt: e.expires * 1_000,
});

/** Each condition present one time in six: most filters keep enough postings for several pages. */
const sometimes = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const aFilter: fc.Arbitrary<CatalogFilter> = fc
  .record({
    openOrOwnedBy: sometimes(fc.constantFrom('o1', null)),
    status: sometimes(fc.constantFrom(...STATUSES)),
    type: sometimes(fc.constantFrom('financing', 'technology')),
    countries: sometimes(fc.constantFrom(new Set(['GW']), new Set(['GW', 'SN']))),
    sectorCategory: sometimes(fc.constantFrom('231', '311')),
    sdg: sometimes(fc.constantFrom(5, 7)),
    language: sometimes(fc.constantFrom('fr', 'pt')),
    organisationId: sometimes(fc.constantFrom('o1', 'o2')),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as CatalogFilter);

/** What a page must hold: every match, sorted, by brute force. */
function expected(entries: CatalogEntry[], f: CatalogFilter, sort: SortOrder): string[] {
  const ok = (e: CatalogEntry) =>
    (f.openOrOwnedBy === undefined || e.status === 'open' || e.organisationId === f.openOrOwnedBy) &&
    (f.status === undefined || e.status === f.status) &&
    (f.type === undefined || e.types.includes(f.type)) &&
    (f.countries === undefined ||
      (COUNTRIES[e.organisationId] !== undefined &&
        f.countries.has(COUNTRIES[e.organisationId] as string))) &&
    (f.sectorCategory === undefined || e.sectorCategories.includes(f.sectorCategory)) &&
    (f.sdg === undefined || e.sdgs.includes(f.sdg)) &&
    (f.language === undefined || e.workingLanguages.includes(f.language)) &&
    (f.organisationId === undefined || e.organisationId === f.organisationId);
  const key = (e: CatalogEntry) => (sort === 'newest' ? -e.createdAt : e.expiresAt);
  const sign = sort === 'newest' ? -1 : 1;
  return entries
    .filter(ok)
    .sort((a, b) => key(a) - key(b) || sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => e.id);
}

describe('the browse catalog', () => {
  it('pages through exactly the matching postings, in order, with a cursor', () => {
    let severalPages = 0;
    fc.assert(
      fc.property(
        fc.array(anEntry, { maxLength: 80 }),
        aFilter,
        fc.constantFrom<SortOrder>('newest', 'expiry'),
        fc.integer({ min: 1, max: 7 }),
        (raw, filter, sort, limit) => {
          const entries = raw.map(toEntry);
          const catalog = new PostingCatalog('need', countries());
          for (const e of entries) catalog.put(e);
          const seen: string[] = [];
          let after: { value: number; id: string } | undefined;
          for (let pages = 0; pages < 200; pages++) {
            const page = catalog.search(filter, sort, limit, after);
            expect(page.ids.length).toBeLessThanOrEqual(limit);
            seen.push(...page.ids);
            if (!page.next) break;
            expect(page.ids).toHaveLength(limit);
            after = page.next;
          }
          expect(seen).toEqual(expected(entries, filter, sort));
          if (seen.length > limit) severalPages++;
          expect(catalog.count(filter)).toBe(seen.length);
        },
      ),
      { seed: 20261130, numRuns: 300 },
    );
    // The cases must page: a generator whose filters match nothing would prove nothing.
    expect(severalPages).toBeGreaterThan(60);
  });

  it('keeps one entry per posting, follows country changes, and knows what expires next', () => {
    const shared = countries();
    const catalog = new PostingCatalog('offer', shared);
    const base = toEntry(
      {
        n: 1,
        status: 'open',
        org: 'o1',
        types: ['financing'],
        categories: [],
        sdgs: [],
        languages: ['en'],
        created: 1,
        expires: 9,
      },
      1,
    );
    catalog.put(base);
    catalog.put({ ...base, id: 'q2', expiresAt: 5_000 });
    catalog.put({ ...base, id: 'q3', expiresAt: 2_000, status: 'closed' });
    catalog.put({ ...base, expiresAt: 4_000 });
    expect(catalog.size).toBe(3);
    expect(catalog.nextExpiry()).toBe(4_000);
    expect(catalog.dueForExpiry(4_500, 10)).toEqual([base.id]);
    expect(catalog.dueForExpiry(10_000, 10)).toEqual([base.id, 'q2']);
    expect(catalog.count({ countries: new Set(['GW']) })).toBe(3);
    expect(shared.apply('o1', 2, 'SN')).toBe(true);
    expect(catalog.count({ countries: new Set(['SN']) })).toBe(3);
    // An older revision of the organisation changes nothing.
    expect(shared.apply('o1', 1, 'GW')).toBe(false);
    expect(catalog.count({ countries: new Set(['GW']) })).toBe(0);
    expect(catalog.ofOrganisation('o1').sort()).toEqual([base.id, 'q2', 'q3'].sort());
  });

  it('never goes back to an older revision of a posting; the same one again is harmless', () => {
    const catalog = new PostingCatalog('need');
    const rev3 = { ...toEntry(anEntryOf('open'), 1), revision: 3, expiresAt: 9_000 };
    expect(catalog.put(rev3)).toBe(true);
    expect(catalog.put({ ...rev3, revision: 2, status: 'draft', expiresAt: 1_000 })).toBe(false);
    expect(catalog.get(rev3.id)).toEqual(rev3);
    expect(catalog.put(rev3)).toBe(true);
    expect(catalog.put({ ...rev3, revision: 4, status: 'expired' })).toBe(true);
    expect(catalog.get(rev3.id)?.status).toBe('expired');
    expect(catalog.size).toBe(1);
  });

  it("makes from an event's snapshot the entry the posting itself gives", () => {
    const need = aNeedSnapshot({ revision: 4, sectors: ['23231', '23210', '31120'], sdgs: [7, 5] });
    const offer = anOfferSnapshot({ revision: 2, types: ['technology', 'financing'] });
    const createdAt = Date.parse('2026-01-02T03:04:05.678Z');
    const posting = (s: typeof need | typeof offer, kind: 'need' | 'offer') => {
      const { id, revision, organisationId, status, updatedAt, expiresAt, ref: _, ...content } = s;
      return entryOf({
        id,
        kind,
        organisationId,
        status,
        revision,
        createdAt: new Date(createdAt),
        updatedAt: new Date(updatedAt),
        expiresAt: new Date(expiresAt),
        content: content as never,
        appliedProposals: [],
      });
    };
    expect(entryOfSnapshot(need, createdAt)).toEqual(posting(need, 'need'));
    expect(entryOfSnapshot(need, createdAt).sectorCategories).toEqual(['232', '311']);
    expect(entryOfSnapshot(offer, createdAt)).toEqual(posting(offer, 'offer'));
    expect(entryOfSnapshot(offer, createdAt).types).toEqual(['technology', 'financing']);
  });
});

function anEntryOf(status: RawEntry['status']): RawEntry {
  return {
    n: 1,
    status,
    org: 'o1',
    types: ['financing'],
    categories: [],
    sdgs: [],
    languages: ['en'],
    created: 1,
    expires: 9,
  };
}
