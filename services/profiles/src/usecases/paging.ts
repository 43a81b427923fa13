import { hasRole, type Principal } from '@mutirao/http';
import { m49Region } from '@mutirao/reference-data';
import type { Organisation } from '../domain/organisation';
import type { PageQuery } from '../store/organisations';

export const MAX_PAGE = 100;

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; null on the last one. */
  nextCursor: string | null;
}

/** The countries of a coordinator's regions; undefined for the admin, who sees every country. */
export function staffCountries(p: Principal): string[] | undefined {
  if (hasRole(p, 'admin')) return undefined;
  return [...new Set(p.regions.flatMap((r) => m49Region(r)?.countries ?? []))];
}

/** One page of organisations: asks for one more than the limit to know whether another follows. */
export async function pageOf<V>(
  fetch: (q: PageQuery) => Promise<Organisation[]>,
  q: { countries?: readonly string[] | undefined; cursor?: string | undefined; limit: number },
  view: (o: Organisation) => V,
): Promise<Page<V>> {
  const limit = Math.min(q.limit, MAX_PAGE);
  const found = await fetch({
    ...(q.countries ? { countries: q.countries } : {}),
    ...(q.cursor ? { after: q.cursor } : {}),
    limit: limit + 1,
  });
  const items = found.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: found.length > limit && last ? last.id : null };
}
