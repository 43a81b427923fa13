/**
 * Items filed under string keys (an inverted index): each item sits in a numbered slot and every key
 * holds a plain array of slot numbers, which costs a few bytes per entry where a Set of objects
 * would cost tens. An item's keys are derived from the item alone, so they are recomputed to remove
 * it rather than stored.
 */
export class PostingTable<T extends { readonly id: string }> {
  private readonly items: (T | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly postings = new Map<string, number[]>();
  /** seen[slot] === stamp when the slot was already collected by the current lookup. */
  private seen = new Uint32Array(0);
  private stamp = 0;
  private entries = 0;

  constructor(private readonly keysOf: (item: T) => readonly string[]) {}

  get size(): number {
    return this.slotById.size;
  }

  get(id: string): T | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : this.items[slot];
  }

  *values(): IterableIterator<T> {
    for (const item of this.items) if (item) yield item;
  }

  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  at(slot: number): T | undefined {
    return this.items[slot];
  }

  /**
   * Files the item under its keys, replacing the item of the same id, and returns its slot; an item
   * without keys is only removed (-1).
   */
  put(item: T): number {
    this.remove(item.id);
    const keys = new Set(this.keysOf(item));
    if (keys.size === 0) return -1;
    const slot = this.freeSlots.pop() ?? this.items.length;
    this.items[slot] = item;
    this.slotById.set(item.id, slot);
    for (const key of keys) {
      const list = this.postings.get(key);
      if (list) list.push(slot);
      else this.postings.set(key, [slot]);
    }
    this.entries += keys.size;
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    const item = slot === undefined ? undefined : this.items[slot];
    if (slot === undefined || !item) return false;
    for (const key of new Set(this.keysOf(item))) {
      const list = this.postings.get(key);
      if (!list) continue;
      const at = list.lastIndexOf(slot);
      if (at < 0) continue;
      // Order within a key does not matter: fill the hole with the last entry.
      list[at] = list[list.length - 1] as number;
      list.pop();
      if (list.length === 0) this.postings.delete(key);
      this.entries--;
    }
    this.items[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /**
   * The slot of every item filed under any of the keys, each once, written to the front of `into`
   * (grown when too small): returns the buffer written to and how many slots it holds. A lookup on
   * the hot path allocates nothing when the caller keeps the buffer.
   */
  collectSlots(keys: readonly string[], into: Int32Array): { slots: Int32Array; count: number } {
    const stamp = this.nextStamp();
    const seen = this.seen;
    let slots = into;
    let count = 0;
    for (let k = 0; k < keys.length; k++) {
      const list = this.postings.get(keys[k] as string);
      if (list === undefined) continue;
      if (count + list.length > slots.length) {
        const grown = new Int32Array(Math.max(count + list.length, slots.length * 2));
        grown.set(slots.subarray(0, count));
        slots = grown;
      }
      for (let i = 0; i < list.length; i++) {
        const slot = list[i] as number;
        if (seen[slot] === stamp) continue;
        seen[slot] = stamp;
        slots[count++] = slot;
      }
    }
    return { slots, count };
  }

  /** Appends to `into` every item filed under any of the keys, each once. */
  collect(keys: readonly string[], into: T[]): void {
    const { slots, count } = this.collectSlots(keys, new Int32Array(256));
    for (let i = 0; i < count; i++) into.push(this.items[slots[i] as number] as T);
  }

  stats(): { items: number; keys: number; entries: number } {
    return { items: this.size, keys: this.postings.size, entries: this.entries };
  }

  private nextStamp(): number {
    if (this.seen.length < this.items.length) {
      const grown = new Uint32Array(Math.max(1024, this.items.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      // After 2^32 lookups the stamps wrap around: start again from a clean slate.
      this.seen.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }
}
