import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** Runs `init` on the first call only: importing the package reads no file. */
export function lazy<T>(init: () => T): () => T {
  let cache: { value: T } | undefined;
  return () => {
    cache ??= { value: init() };
    return cache.value;
  };
}

/**
 * Reads one JSON file of `data/` and checks it against its schema, so that a hand edit or a
 * conversion bug fails at the first lookup instead of returning a wrong label later.
 */
export function readData<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const text = readFileSync(new URL(`../data/${file}`, import.meta.url), 'utf8');
  return deepFreeze(schema.parse(JSON.parse(text)));
}

/** Lookups hand out shared objects: freezing them stops one caller from changing another's labels. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Builds the index behind a lookup, failing loudly on a duplicate code (a conversion bug). */
export function indexBy<T, K>(items: readonly T[], key: (item: T) => K): ReadonlyMap<K, T> {
  const map = new Map<K, T>();
  for (const item of items) {
    const k = key(item);
    if (map.has(k)) throw new Error(`duplicate reference code ${String(k)}`);
    map.set(k, item);
  }
  return map;
}
