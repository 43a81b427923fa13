import { describe, expect, it } from 'vitest';
import type { NeedContent, Posting } from '../domain/types';
import { entryOf, PostingCatalog } from '../store/catalog';
import type { PostingRepo } from '../store/postings';
import { type Expirable, sweep } from './expiry';
import type { PostingService } from './postings';

const T0 = new Date('2030-01-01T00:00:00Z');

const aNeed = (over: Partial<Posting<NeedContent>> = {}): Posting<NeedContent> => ({
  id: 'n1',
  kind: 'need',
  organisationId: 'org1',
  status: 'open',
  revision: 1,
  createdAt: T0,
  updatedAt: T0,
  expiresAt: new Date(T0.getTime() + 1_000),
  content: {
    type: 'financing',
    title: 'Cold room',
    description: 'Fish spoils',
    language: 'pt',
    workingLanguages: ['pt'],
    sectors: [],
    sdgs: [],
    fundingRequired: true,
    countriesOfInterest: [],
  },
  appliedProposals: [],
  ...over,
});

/** The repository as the sweep uses it, over a real catalog; the store holds `stored`. */
function kindOver(catalog: PostingCatalog, stored: Posting): Expirable {
  const repo = {
    dueForExpiry: (now: Date, limit: number) => catalog.dueForExpiry(now.getTime(), limit),
    note: (p: Posting) => catalog.put(entryOf(p)),
  } as unknown as PostingRepo;
  const service = {
    // The store's posting is no longer open: the rules decide nothing.
    execute: async () => ({ stored: { posting: stored, version: 2 }, changed: false }),
  } as unknown as PostingService<NeedContent>;
  return { repo, service: service as never };
}

describe('the expiry sweep', () => {
  it('takes the state it read when the catalog was behind the store, so that nothing stays due', async () => {
    // This instance's catalog still holds revision 1, open and due; another instance has expired it.
    const catalog = new PostingCatalog('need');
    catalog.put(entryOf(aNeed()));
    const at = new Date(T0.getTime() + 2_000);
    expect(catalog.dueForExpiry(at.getTime(), 10)).toEqual(['n1']);
    const expired = aNeed({ status: 'expired', revision: 2 });

    expect(await sweep([kindOver(catalog, expired)], at)).toBe(0);
    expect(catalog.dueForExpiry(at.getTime(), 10)).toEqual([]);
    expect(catalog.get('n1')).toMatchObject({ status: 'expired', revision: 2 });
    expect(catalog.nextExpiry()).toBeUndefined();
  });
});
