import type { z } from 'zod';
import { DomainError } from './errors';

/** A page of a list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An opaque cursor: the position of the last item served, as base64url JSON. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor holds, checked against `schema`; a cursor we did not give out is a 400. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.infer<S> {
  const refused = () =>
    new DomainError('invalid', 'cursor is not one this list gave out', { path: 'cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const r = schema.safeParse(parsed);
  if (!r.success) throw refused();
  return r.data;
}

/**
 * A page from `found`, fetched with `limit + 1` items: the extra one only says another page
 * follows, whose cursor is the position of the last item kept.
 */
export function pageOf<T, V>(
  found: readonly T[],
  limit: number,
  positionOf: (last: T) => unknown,
  view: (item: T) => V,
): Page<V> {
  const items = found.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(view),
    nextCursor: found.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}
