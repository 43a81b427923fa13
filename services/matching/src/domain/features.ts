import type { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import { categoryOf } from './reference';
import { termSet } from './text';

/**
 * What the rules and the score derive from a posting's own fields, computed once per snapshot.
 * Snapshots are immutable (a change arrives as a new snapshot with a new revision), so a WeakMap keyed
 * by the snapshot object is a cache that can never be stale and goes away with the snapshot.
 */
export interface PostingFeatures {
  /** Sorted hashed stems of title and description. */
  readonly terms: Uint32Array;
  /** Distinct 3-digit DAC categories of the sectors. */
  readonly categories: readonly string[];
  /** Bit g is set for each SDG g. */
  readonly sdgMask: number;
  readonly expiresAtMs: number;
}

const cache = new WeakMap<NeedSnapshot | OfferSnapshot, PostingFeatures>();

export function featuresOf(posting: NeedSnapshot | OfferSnapshot): PostingFeatures {
  let f = cache.get(posting);
  if (!f) {
    let sdgMask = 0;
    for (const goal of posting.sdgs) sdgMask |= 1 << goal;
    f = {
      terms: termSet(`${posting.title}\n${posting.description}`, posting.language),
      categories: [...new Set(posting.sectors.map(categoryOf))],
      sdgMask,
      expiresAtMs: Date.parse(posting.expiresAt),
    };
    cache.set(posting, f);
  }
  return f;
}

/** Set bits of a 32-bit mask (the classic SWAR popcount: no loop, no branch). */
export function bitCount(mask: number): number {
  let m = mask - ((mask >>> 1) & 0x55555555);
  m = (m & 0x33333333) + ((m >>> 2) & 0x33333333);
  return (Math.imul((m + (m >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
