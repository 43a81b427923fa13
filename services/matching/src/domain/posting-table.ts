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
  /** Bit `slot` is set while a lookup collects the slot; all clear between lookups. */
  private marks = new Int32Array(0);
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
   * The slot of every item filed under any of the keys, each once and in increasing order, written
   * to the front of `into` (grown when too small): returns the buffer written to and how many slots
   * it holds. A lookup on the hot path allocates nothing when the caller keeps the buffer.
   *
   * The slots are marked in a bitmap and read back from it: that removes the duplicates and sorts
   * them in one pass, and slots in memory order let the caller read their records front to back.
   */
  collectSlots(keys: readonly string[], into: Int32Array): { slots: Int32Array; count: number } {
    if (this.marks.length * 32 < this.items.length)
      this.marks = new Int32Array((this.items.length >>> 5) + 1024);
    const marks = this.marks;
    let lowest = marks.length;
    let highest = -1;
    let total = 0;
    for (let k = 0; k < keys.length; k++) {
      const list = this.postings.get(keys[k] as string);
      if (list === undefined) continue;
      total += list.length;
      for (let i = 0; i < list.length; i++) {
        const slot = list[i] as number;
        const word = slot >>> 5;
        marks[word] = (marks[word] as number) | (1 << (slot & 31));
        if (word < lowest) lowest = word;
        if (word > highest) highest = word;
      }
    }
    const slots = into.length >= total ? into : new Int32Array(Math.max(total, into.length * 2));
    let count = 0;
    // Reading the bitmap back also clears it for the next lookup.
    for (let word = lowest; word <= highest; word++) {
      let bits = marks[word] as number;
      if (bits === 0) continue;
      marks[word] = 0;
      while (bits !== 0) {
        const lowestBit = bits & -bits;
        slots[count++] = (word << 5) | (31 - Math.clz32(lowestBit));
        bits ^= lowestBit;
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
}
