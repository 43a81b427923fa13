import { coordinates, type Principal } from '@mutirao/http';
import { decodeCursor, type Page, pageOf } from '@mutirao/kernel';
import { countryInRegion } from '@mutirao/reference-data';
import { z } from 'zod';
import type { Organisation } from '../domain/organisation';
import type { PageQuery } from '../store/organisations';

/** The largest page; a client asking for more gets this many. */
export const MAX_PAGE = 100;

/** Where a page ended: the id of the last organisation served (ids are in registration order). */
const Position = z.string().min(1).max(100);

/**
 * One page of the organisations a coordinator coordinates (every one for the admin), oldest
 * first: asks the store for one more than the limit to know whether another page follows.
 */
export async function organisationPage<V>(
  fetch: (q: PageQuery) => Promise<Organisation[]>,
  p: Principal,
  q: { cursor?: string | undefined; limit: number; verification?: string | undefined },
  view: (o: Organisation) => V,
): Promise<Page<V>> {
  const limit = Math.min(q.limit, MAX_PAGE);
  const found = await fetch({
    inScope: (country) => coordinates(p, country, countryInRegion),
    ...(q.cursor ? { after: decodeCursor(Position, q.cursor) } : {}),
    ...(q.verification !== undefined ? { verification: q.verification } : {}),
    limit: limit + 1,
  });
  return pageOf(found, limit, (last) => last.id, view);
}
