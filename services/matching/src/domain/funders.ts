import type { OfferColumns } from './offer-columns';
import { NeedProfile } from './score';
import { FUNDER_RULES, isRejected, passes } from './triad-rules';
import type { Pair } from './types';

export interface Funder {
  readonly pair: Pair;
  readonly score: number;
  readonly slot: number;
}

/**
 * The funders of a triad-seeking need, best first, worked out only as far as they are asked for.
 * Thousands of offers may fund triangular exchanges in a region, and a triad only ever pairs a
 * provider with the first few of them. Every funder's cheap parts are computed in one pass and it is
 * put in a bucket by the most it could score; buckets are opened from the top, their funders' texts
 * compared, and a funder leaves (once its rules are checked) when no funder in an unopened bucket
 * could reach its score. Equal scores come out by id.
 *
 * Entries are numbers into typed arrays rather than objects, reused from stream to stream: a stream
 * is built for every such need and should leave no garbage behind.
 */
export class FunderStream {
  private readonly ready: Funder[] = [];
  private readonly scores: Float64Array;
  private readonly partials: Float64Array;
  private readonly slots: Int32Array;
  private readonly order: Int32Array;
  /** Entries opened and scored but not yet out, as a binary heap (best at 0). */
  private readonly heap: Int32Array;
  private readonly starts = new Int32Array(BUCKETS + 1);
  private size = 0;
  private heapSize = 0;
  /** The highest bucket not opened yet; -1 once all are. */
  private bucket = BUCKETS - 1;

  constructor(
    private readonly profile: NeedProfile,
    private readonly columns: OfferColumns,
    candidates: ArrayLike<number>,
    private readonly now: Date,
    rejected: ReadonlySet<string>,
  ) {
    const n = candidates.length;
    const space = scratchFor(n);
    this.scores = space.scores;
    this.partials = space.partials;
    this.slots = space.slots;
    this.order = space.order;
    this.heap = space.heap;
    for (let i = 0; i < n; i++) {
      const slot = candidates[i] as number;
      if (!columns.fundsTriads(slot) || !columns.scorable(slot)) continue;
      if (rejected.size > 0 && isRejected(profile.need.id, [columns.offers[slot]?.id ?? ''], rejected))
        continue;
      this.slots[this.size++] = slot;
    }
    profile.partials(columns, this.slots, this.size, this.partials);
    // A counting sort by bucket: order[starts[b] … starts[b + 1]) lists the entries of bucket b.
    const counts = this.starts;
    const buckets = space.buckets;
    for (let e = 0; e < this.size; e++) {
      const b = bucketOf(NeedProfile.bound(this.partials[e] as number));
      buckets[e] = b;
      counts[b + 1] = (counts[b + 1] as number) + 1;
    }
    for (let b = 1; b <= BUCKETS; b++) counts[b] = (counts[b] as number) + (counts[b - 1] as number);
    const next = counts.slice(0, BUCKETS);
    for (let e = 0; e < this.size; e++) {
      const b = buckets[e] as number;
      this.order[next[b] as number] = e;
      next[b] = (next[b] as number) + 1;
    }
  }

  /** The i-th best funder (from 0), or undefined when there are fewer. */
  at(i: number): Funder | undefined {
    const { columns } = this;
    while (this.ready.length <= i) {
      if (this.heapSize > 0 && (this.scores[this.heap[0] as number] as number) > this.unopened()) {
        const e = this.pop();
        const slot = this.slots[e] as number;
        const offer = columns.offers[slot];
        const offerOrg = columns.owners[columns.owner(slot)];
        if (offer === undefined || offerOrg === undefined) continue;
        const { need, needOrg } = this.profile;
        const pair: Pair = { need, needOrg, offer, offerOrg, now: this.now };
        if (passes(FUNDER_RULES, pair)) this.ready.push({ pair, score: this.scores[e] as number, slot });
      } else if (this.bucket >= 0) this.open();
      else break;
    }
    return this.ready[i];
  }

  /** The most the i-th best funder can score, working out no more funders than that takes. */
  boundAt(i: number): number | undefined {
    if (i < this.ready.length) return this.ready[i]?.score;
    if (i === this.ready.length) {
      const scored =
        this.heapSize > 0 ? (this.scores[this.heap[0] as number] as number) : Number.NEGATIVE_INFINITY;
      const bound = Math.max(scored, this.unopened());
      return bound === Number.NEGATIVE_INFINITY ? undefined : bound;
    }
    return this.at(i)?.score;
  }

  /** More than any funder in a bucket not opened yet could score; −∞ once all are open. */
  private unopened(): number {
    // Skip empty buckets, so that the bound is that of a funder that exists.
    while (this.bucket >= 0 && this.starts[this.bucket] === this.starts[this.bucket + 1]) this.bucket--;
    return this.bucket < 0 ? Number.NEGATIVE_INFINITY : (this.bucket + 1) / BUCKETS + ROUNDING;
  }

  /** Compares the texts of the highest unopened bucket's funders and puts them in the heap. */
  private open(): void {
    const b = this.bucket--;
    for (let k = this.starts[b] as number; k < (this.starts[b + 1] as number); k++) {
      const e = this.order[k] as number;
      this.profile.completeInto(this.partials, e, this.columns, this.slots[e] as number, this.scores);
      let at = this.heapSize++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!this.above(e, this.heap[parent] as number)) break;
        this.heap[at] = this.heap[parent] as number;
        at = parent;
      }
      this.heap[at] = e;
    }
  }

  /** Higher score first; equal scores by offer id. */
  private above(a: number, b: number): boolean {
    const sa = this.scores[a] as number;
    const sb = this.scores[b] as number;
    if (sa !== sb) return sa > sb;
    const { offers } = this.columns;
    return (offers[this.slots[a] as number]?.id ?? '') < (offers[this.slots[b] as number]?.id ?? '');
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0] as number;
    this.heapSize--;
    if (this.heapSize > 0) {
      const entry = heap[this.heapSize] as number;
      let k = 0;
      for (;;) {
        const left = 2 * k + 1;
        if (left >= this.heapSize) break;
        const right = left + 1;
        const child =
          right < this.heapSize && this.above(heap[right] as number, heap[left] as number) ? right : left;
        if (!this.above(heap[child] as number, entry)) break;
        heap[k] = heap[child] as number;
        k = child;
      }
      heap[k] = entry;
    }
    return top;
  }
}

/** Buckets of the score scale, as in the ranking's first pass. */
const BUCKETS = 64;
/** Slack for the rounding of a bound × BUCKETS at a bucket's edge. */
const ROUNDING = 1e-9;

function bucketOf(bound: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.floor(bound * BUCKETS)));
}

/** Scratch space for the stream's entries, grown as needed and shared by successive streams. */
let scratch = allocate(1024);

function allocate(size: number) {
  return {
    scores: new Float64Array(size),
    partials: new Float64Array(size),
    slots: new Int32Array(size),
    order: new Int32Array(size),
    heap: new Int32Array(size),
    buckets: new Uint8Array(size),
  };
}

function scratchFor(n: number): typeof scratch {
  if (scratch.slots.length < n) scratch = allocate(Math.max(n, scratch.slots.length * 2));
  return scratch;
}
