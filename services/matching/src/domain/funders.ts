import type { OfferColumns } from './offer-columns';
import { NeedProfile } from './score';
import { FUNDER_RULES, isRejected, passes } from './triad-rules';
import type { Pair } from './types';

export interface Funder {
  readonly pair: Pair;
  readonly score: number;
  readonly slot: number;
}

/** How far a funder in the heap has been worked out: its score is a bound until it is scored. */
const BOUND = 0;
const SCORED = 1;

/**
 * The funders of a triad-seeking need, best first, worked out only as far as they are asked for.
 * Hundreds of offers may fund triangular exchanges in a region, and a triad only ever pairs a
 * provider with the first few of them: each funder enters a heap at the most it could score; its
 * text is compared when it reaches the top, and its rules are checked when it reaches the top again
 * with its exact score. Equal scores come out by id.
 *
 * The heap holds entry numbers into typed arrays rather than objects: a stream is built for every
 * such need, over hundreds of funders, and should leave no garbage behind.
 */
export class FunderStream {
  private readonly ready: Funder[] = [];
  private readonly scores: Float64Array;
  private readonly partials: Float64Array;
  private readonly slots: Int32Array;
  private readonly stages: Uint8Array;
  private readonly heap: Int32Array;
  private size = 0;

  constructor(
    private readonly profile: NeedProfile,
    private readonly columns: OfferColumns,
    candidates: ArrayLike<number>,
    private readonly now: Date,
    rejected: ReadonlySet<string>,
  ) {
    const n = candidates.length;
    // Reused from stream to stream (a stream lives within one ranking, which is never re-entered):
    // fresh arrays for thousands of funders per need would keep the garbage collector busy.
    const space = scratchFor(n);
    this.scores = space.scores;
    this.partials = space.partials;
    this.slots = space.slots;
    this.stages = space.stages;
    this.heap = space.heap;
    for (let i = 0; i < n; i++) {
      const slot = candidates[i] as number;
      // Against undefined, not by truth: that would read each object's map (see `rankUnlessBeaten`).
      if (
        !columns.fundsTriads(slot) ||
        columns.offers[slot] === undefined ||
        columns.owners[columns.owner(slot)] === undefined
      )
        continue;
      if (rejected.size > 0 && isRejected(profile.need.id, [columns.offers[slot]?.id ?? ''], rejected))
        continue;
      this.slots[this.size++] = slot;
    }
    profile.partials(columns, this.slots, this.size, this.partials);
    for (let e = 0; e < this.size; e++) {
      this.scores[e] = NeedProfile.bound(this.partials[e] as number);
      this.stages[e] = BOUND;
      this.heap[e] = e;
    }
    for (let k = (this.size >> 1) - 1; k >= 0; k--) this.down(k);
  }

  /** The i-th best funder (from 0), or undefined when there are fewer. */
  at(i: number): Funder | undefined {
    const { profile, columns } = this;
    while (this.ready.length <= i && this.size > 0) {
      const e = this.heap[0] as number;
      const slot = this.slots[e] as number;
      if (this.stages[e] === BOUND) {
        this.scores[e] = profile.complete(this.partials[e] as number, columns, slot);
        this.stages[e] = SCORED;
        this.down(0);
        continue;
      }
      this.pop();
      const offer = columns.offers[slot];
      const offerOrg = columns.owners[columns.owner(slot)];
      if (offer === undefined || offerOrg === undefined) continue;
      const pair: Pair = { need: profile.need, needOrg: profile.needOrg, offer, offerOrg, now: this.now };
      if (passes(FUNDER_RULES, pair)) this.ready.push({ pair, score: this.scores[e] as number, slot });
    }
    return this.ready[i];
  }

  /** The most the i-th best funder can score, working out no more funders than that takes. */
  boundAt(i: number): number | undefined {
    if (i < this.ready.length) return this.ready[i]?.score;
    if (i === this.ready.length) return this.size > 0 ? this.scores[this.heap[0] as number] : undefined;
    return this.at(i)?.score;
  }

  /** Higher first; at equal scores, bounds before exact scores, so that exact ones leave in id order. */
  private above(a: number, b: number): boolean {
    const sa = this.scores[a] as number;
    const sb = this.scores[b] as number;
    if (sa !== sb) return sa > sb;
    if (this.stages[a] !== this.stages[b]) return this.stages[a] === BOUND;
    // Between bounds any fixed order will do: each is scored before it can leave the heap, and
    // only scored funders leave, in id order at equal scores.
    if (this.stages[a] === BOUND) return (this.slots[a] as number) < (this.slots[b] as number);
    const { offers } = this.columns;
    return (offers[this.slots[a] as number]?.id ?? '') < (offers[this.slots[b] as number]?.id ?? '');
  }

  private pop(): void {
    this.size--;
    if (this.size > 0) {
      this.heap[0] = this.heap[this.size] as number;
      this.down(0);
    }
  }

  private down(from: number): void {
    const heap = this.heap;
    const entry = heap[from] as number;
    let k = from;
    for (;;) {
      const left = 2 * k + 1;
      if (left >= this.size) break;
      const right = left + 1;
      const child =
        right < this.size && this.above(heap[right] as number, heap[left] as number) ? right : left;
      if (!this.above(heap[child] as number, entry)) break;
      heap[k] = heap[child] as number;
      k = child;
    }
    heap[k] = entry;
  }
}

/** Scratch space for the stream's entries, grown as needed and shared by successive streams. */
let scratch = allocate(1024);

function allocate(size: number) {
  return {
    scores: new Float64Array(size),
    partials: new Float64Array(size),
    slots: new Int32Array(size),
    stages: new Uint8Array(size),
    heap: new Int32Array(size),
  };
}

function scratchFor(n: number): typeof scratch {
  if (scratch.slots.length < n) scratch = allocate(Math.max(n, scratch.slots.length * 2));
  return scratch;
}
