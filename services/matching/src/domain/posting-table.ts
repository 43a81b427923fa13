/**
 * A key: one string, or a path of parts (`['p:technology', 'c:KE', '311', 'fr', '$']`). A lookup
 * across several dimensions (`collectAcross`) gives what the keys made of one part from each
 * dimension would, without making them: on the hot path, building and hashing fifty strings per
 * lookup cost more than reading the postings they found.
 */
export type PostingKey = string | readonly string[];

/** The most parts a key may have. */
const MAX_PARTS = 6;
/**
 * An entry (a key and its list) in `entries`: how many parts the key has, their numbers, then where
 * its list starts in the pool, how long it is and how much room it has there.
 */
const ENTRY = MAX_PARTS + 4;
const PARTS = 0;
const START = MAX_PARTS + 1;
const LENGTH = MAX_PARTS + 2;
const ROOM = MAX_PARTS + 3;

/**
 * Items filed under keys (an inverted index): each item sits in a numbered slot and every key holds
 * a list of slot numbers. An item's keys are derived from the item alone, so they are recomputed to
 * remove it rather than stored.
 *
 * Everything a lookup reads is in a few typed arrays, so that it costs a handful of cache misses per
 * key even when matching something else has just swept the caches: the parts of keys are numbered
 * once (`partIds`), each key is an entry of a few numbers found through an open-addressing hash
 * table (`buckets`), and the lists are runs of one pool of slot numbers, laid out key by key in the
 * order of their parts by `pack` (a need's keys share their first parts, so its lists lie close
 * together). Objects per key and per part, as a map of strings or a tree of maps, cost a cache miss
 * per hop: when the caches were cold, finding a need's keys took longer than reading its candidates.
 */
export class PostingTable<T extends { readonly id: string }> {
  private readonly items: (T | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];

  /** Every part of a key ever filed, numbered from 0. */
  private readonly partIds = new Map<string, number>();
  /** The keys and their lists (see `ENTRY`), in the order they were first filed. */
  private entries = new Int32Array(1024 * ENTRY);
  /** Entries in use; a key keeps its entry when its list empties. */
  private keys = 0;
  /** Hash table of the entries: a key's hash, then its entry + 1 (0 for a free bucket). */
  private buckets = new Int32Array(2 * 2048);
  /** Keys whose list is not empty. */
  private lists = 0;
  private pool = new Int32Array(4096);
  private poolUsed = 0;
  /** Room in the pool that lists have moved out of. */
  private poolGarbage = 0;
  /** Slots filed, summed over the keys. */
  private filed = 0;

  /** A key's part numbers while it is filed or looked up. */
  private readonly parts = new Int32Array(MAX_PARTS);
  /** `collectAcross`: the part numbers of the dimensions, back to back, and where each one starts. */
  private dimensionParts = new Int32Array(64);
  private readonly dimensionStarts = new Int32Array(MAX_PARTS + 1);
  private readonly odometer = new Int32Array(MAX_PARTS);

  /** Bit `slot` is set while a lookup collects the slot; all clear between lookups. */
  private marks = new Int32Array(0);
  /** What the lookup in progress has marked: its lowest and highest words, and how many entries. */
  private lowest = 0;
  private highest = -1;
  private marked = 0;

  constructor(private readonly keysOf: (item: T) => readonly PostingKey[]) {}

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
    const keys = this.keysOf(item);
    if (keys.length === 0) return -1;
    const slot = this.freeSlots.pop() ?? this.items.length;
    this.items[slot] = item;
    this.slotById.set(item.id, slot);
    for (const key of keys) {
      const n = this.numberParts(key, true);
      const hash = hashOf(this.parts, 0, n);
      let e = this.find(n, hash);
      if (e < 0) e = this.insert(n, hash);
      let base = e * ENTRY;
      const length = this.entries[base + LENGTH] as number;
      // The same key twice for one item: its slot is the list's last entry already.
      if (length > 0 && this.pool[(this.entries[base + START] as number) + length - 1] === slot) continue;
      if (length === this.entries[base + ROOM]) {
        this.move(e, Math.max(4, length * 2));
        base = e * ENTRY;
      }
      this.pool[(this.entries[base + START] as number) + length] = slot;
      this.entries[base + LENGTH] = length + 1;
      if (length === 0) this.lists++;
      this.filed++;
    }
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    const item = slot === undefined ? undefined : this.items[slot];
    if (slot === undefined || !item) return false;
    for (const key of this.keysOf(item)) {
      const n = this.numberParts(key, false);
      const e = n < 0 ? -1 : this.find(n, hashOf(this.parts, 0, n));
      if (e < 0) continue;
      const base = e * ENTRY;
      const start = this.entries[base + START] as number;
      const length = this.entries[base + LENGTH] as number;
      let at = length - 1;
      while (at >= 0 && this.pool[start + at] !== slot) at--;
      if (at < 0) continue;
      // Order within a key does not matter: fill the hole with the last entry.
      this.pool[start + at] = this.pool[start + length - 1] as number;
      this.entries[base + LENGTH] = length - 1;
      if (length === 1) this.lists--;
      this.filed--;
    }
    this.items[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /**
   * Lays the lists out again, key after key in the order of their parts' numbers and without room to
   * spare: after a bulk load, so that the lists one lookup reads lie together.
   */
  pack(): void {
    const entries = this.entries;
    const order: number[] = [];
    for (let e = 0; e < this.keys; e++) if ((entries[e * ENTRY + LENGTH] as number) > 0) order.push(e);
    order.sort((a, b) => {
      for (let i = PARTS; i <= MAX_PARTS; i++) {
        const d = (entries[a * ENTRY + i] as number) - (entries[b * ENTRY + i] as number);
        if (d !== 0) return d;
      }
      return 0;
    });
    this.relayOut(order, 0);
  }

  /**
   * The slot of every item filed under any of the keys, each once and in increasing order, written
   * to the front of `into` (grown when too small): returns the buffer written to and how many slots
   * it holds. A lookup on the hot path allocates nothing when the caller keeps the buffer.
   *
   * The slots are marked in a bitmap and read back from it: that removes the duplicates and sorts
   * them in one pass, and slots in memory order let the caller read their records front to back.
   */
  collectSlots(keys: readonly PostingKey[], into: Int32Array): { slots: Int32Array; count: number } {
    this.startMarking();
    for (const key of keys) {
      const n = this.numberParts(key, false);
      const e = n < 0 ? -1 : this.find(n, hashOf(this.parts, 0, n));
      if (e >= 0) this.mark(e);
    }
    return this.readMarks(into);
  }

  /**
   * `collectSlots` of every key made of one part from each dimension, in order (the keys of
   * `[['a', 'b'], ['x']]` are `['a', 'x']` and `['b', 'x']`), without making the keys.
   */
  collectAcross(
    dimensions: readonly (readonly string[])[],
    into: Int32Array,
  ): { slots: Int32Array; count: number } {
    this.startMarking();
    const depth = dimensions.length;
    if (depth > MAX_PARTS) throw new Error(`A key has at most ${MAX_PARTS} parts`);
    // The numbers of each dimension's parts; a part never filed cannot be in any key.
    let total = 0;
    for (const values of dimensions) total += values.length;
    if (this.dimensionParts.length < total) this.dimensionParts = new Int32Array(total * 2);
    const numbers = this.dimensionParts;
    const starts = this.dimensionStarts;
    let found = 0;
    for (let d = 0; d < depth; d++) {
      starts[d] = found;
      for (const value of dimensions[d] as readonly string[]) {
        const id = this.partIds.get(value);
        if (id !== undefined) numbers[found++] = id;
      }
      if (found === starts[d]) return this.readMarks(into);
    }
    starts[depth] = found;
    // Every combination, the last dimension turning fastest.
    const at = this.odometer;
    for (let d = 0; d < depth; d++) at[d] = starts[d] as number;
    for (;;) {
      for (let d = 0; d < depth; d++) this.parts[d] = numbers[at[d] as number] as number;
      const e = this.find(depth, hashOf(this.parts, 0, depth));
      if (e >= 0) this.mark(e);
      let d = depth - 1;
      while (d >= 0) {
        at[d] = (at[d] as number) + 1;
        if ((at[d] as number) < (starts[d + 1] as number)) break;
        at[d] = starts[d] as number;
        d--;
      }
      if (d < 0) break;
    }
    return this.readMarks(into);
  }

  /** Appends to `into` every item filed under any key across the dimensions (see `collectAcross`), each once. */
  collect(dimensions: readonly (readonly string[])[], into: T[]): void {
    const { slots, count } = this.collectAcross(dimensions, new Int32Array(256));
    for (let i = 0; i < count; i++) into.push(this.items[slots[i] as number] as T);
  }

  stats(): { items: number; keys: number; entries: number } {
    return { items: this.size, keys: this.lists, entries: this.filed };
  }

  /**
   * Writes the numbers of the key's parts to `parts` and returns how many there are; -1 when a part
   * was never filed and `create` is false.
   */
  private numberParts(key: PostingKey, create: boolean): number {
    const n = typeof key === 'string' ? 1 : key.length;
    if (n > MAX_PARTS) throw new Error(`A key has at most ${MAX_PARTS} parts`);
    for (let i = 0; i < n; i++) {
      const part = typeof key === 'string' ? key : (key[i] as string);
      let id = this.partIds.get(part);
      if (id === undefined) {
        if (!create) return -1;
        id = this.partIds.size;
        this.partIds.set(part, id);
      }
      this.parts[i] = id;
    }
    return n;
  }

  /** The entry of the key in `parts`, or -1. */
  private find(n: number, hash: number): number {
    const buckets = this.buckets;
    const entries = this.entries;
    const parts = this.parts;
    const mask = (buckets.length >>> 1) - 1;
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const ref = buckets[2 * b + 1] as number;
      if (ref === 0) return -1;
      if (buckets[2 * b] !== hash) continue;
      const base = (ref - 1) * ENTRY;
      if (entries[base + PARTS] !== n) continue;
      let i = 0;
      while (i < n && entries[base + 1 + i] === parts[i]) i++;
      if (i === n) return ref - 1;
    }
  }

  /** A new entry, with an empty list, for the key in `parts`. */
  private insert(n: number, hash: number): number {
    if ((this.keys + 1) * 4 > (this.buckets.length >>> 1) * 3) this.growBuckets();
    if ((this.keys + 1) * ENTRY > this.entries.length) {
      const grown = new Int32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    const e = this.keys++;
    const base = e * ENTRY;
    this.entries[base + PARTS] = n;
    for (let i = 0; i < n; i++) this.entries[base + 1 + i] = this.parts[i] as number;
    this.entries[base + START] = this.poolUsed;
    this.entries[base + LENGTH] = 0;
    this.entries[base + ROOM] = 0;
    this.place(e, hash);
    return e;
  }

  private place(e: number, hash: number): void {
    const buckets = this.buckets;
    const mask = (buckets.length >>> 1) - 1;
    let b = hash & mask;
    while ((buckets[2 * b + 1] as number) !== 0) b = (b + 1) & mask;
    buckets[2 * b] = hash;
    buckets[2 * b + 1] = e + 1;
  }

  /** Twice the buckets, each entry put in its place again. */
  private growBuckets(): void {
    this.buckets = new Int32Array(this.buckets.length * 2);
    for (let e = 0; e < this.keys; e++)
      this.place(e, hashOf(this.entries, e * ENTRY + 1, this.entries[e * ENTRY + PARTS] as number));
  }

  /** Moves the entry's list to the end of the pool, with room for `room` slots. */
  private move(e: number, room: number): void {
    if (this.poolUsed + room > this.pool.length) {
      // Half the pool abandoned by lists that moved: lay the lists out again rather than grow it.
      if (this.poolGarbage > this.pool.length / 2)
        this.relayOut(
          Array.from({ length: this.keys }, (_, k) => k),
          room,
        );
      if (this.poolUsed + room > this.pool.length) {
        const grown = new Int32Array(Math.max(this.poolUsed + room, this.pool.length * 2));
        grown.set(this.pool.subarray(0, this.poolUsed));
        this.pool = grown;
      }
    }
    const base = e * ENTRY;
    const start = this.entries[base + START] as number;
    const length = this.entries[base + LENGTH] as number;
    this.pool.copyWithin(this.poolUsed, start, start + length);
    this.poolGarbage += this.entries[base + ROOM] as number;
    this.entries[base + START] = this.poolUsed;
    this.entries[base + ROOM] = room;
    this.poolUsed += room;
  }

  /**
   * A new pool holding the lists of the entries in that order, each with just its length of room
   * (and `spare` room left at the end); the entries left out must have empty lists.
   */
  private relayOut(order: readonly number[], spare: number): void {
    const entries = this.entries;
    let size = spare;
    for (const e of order) size += entries[e * ENTRY + LENGTH] as number;
    const pool = new Int32Array(Math.max(4096, size));
    let used = 0;
    for (const e of order) {
      const base = e * ENTRY;
      const start = entries[base + START] as number;
      const length = entries[base + LENGTH] as number;
      pool.set(this.pool.subarray(start, start + length), used);
      entries[base + START] = used;
      entries[base + ROOM] = length;
      used += length;
    }
    for (let e = 0; e < this.keys; e++) {
      if ((entries[e * ENTRY + LENGTH] as number) > 0) continue;
      entries[e * ENTRY + START] = used;
      entries[e * ENTRY + ROOM] = 0;
    }
    this.pool = pool;
    this.poolUsed = used;
    this.poolGarbage = 0;
  }

  private startMarking(): void {
    if (this.marks.length * 32 < this.items.length)
      this.marks = new Int32Array((this.items.length >>> 5) + 1024);
    this.lowest = this.marks.length;
    this.highest = -1;
    this.marked = 0;
  }

  private mark(e: number): void {
    const marks = this.marks;
    const pool = this.pool;
    const start = this.entries[e * ENTRY + START] as number;
    const end = start + (this.entries[e * ENTRY + LENGTH] as number);
    let lowest = this.lowest;
    let highest = this.highest;
    for (let i = start; i < end; i++) {
      const slot = pool[i] as number;
      const word = slot >>> 5;
      marks[word] = (marks[word] as number) | (1 << (slot & 31));
      if (word < lowest) lowest = word;
      if (word > highest) highest = word;
    }
    this.lowest = lowest;
    this.highest = highest;
    this.marked += end - start;
  }

  private readMarks(into: Int32Array): { slots: Int32Array; count: number } {
    const marks = this.marks;
    const total = this.marked;
    const slots = into.length >= total ? into : new Int32Array(Math.max(total, into.length * 2));
    let count = 0;
    // Reading the bitmap back also clears it for the next lookup.
    for (let word = this.lowest; word <= this.highest; word++) {
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
}

/** A hash of a key's part numbers, `parts[from … from + n)` (Murmur3's finaliser over a multiplicative mix). */
function hashOf(parts: Int32Array, from: number, n: number): number {
  let h = n;
  for (let i = from; i < from + n; i++) h = Math.imul(h ^ (parts[i] as number), 0x9e3779b1) + 0x7f4a7c15;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
