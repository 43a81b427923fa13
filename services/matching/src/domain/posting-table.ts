/**
 * A key: one string, or a path of parts (`['p:technology', 'c:KE', '311', 'fr', '$']`). A lookup
 * across several dimensions (`collectAcross`) gives what the keys made of one part from each
 * dimension would, without making them: on the hot path, building and hashing fifty strings per
 * lookup cost more than reading the postings they found.
 */
export type PostingKey = string | readonly string[];

/** The most parts a key may have. */
const MAX_PARTS = 6;
/** An entry's key in `keyParts`: how many parts it has (0 for an entry not in use), then their ids. */
const KEY_STRIDE = MAX_PARTS + 1;

/**
 * Items filed under keys (an inverted index): each item sits in a numbered slot and every key holds
 * a list of slot numbers. An item's keys are derived from the item alone, so they are recomputed to
 * remove it rather than stored.
 *
 * Everything a lookup reads is in a few typed arrays, so that it costs a handful of cache misses per
 * key even when matching something else has just swept the caches: the parts of keys are numbered
 * once (`partIds`), the keys are an open-addressing hash table over those numbers, and the lists are
 * runs of one pool of slot numbers, laid out key by key in the order of their parts by `pack` (a
 * need's keys share their first parts, so its lists lie close together). Objects per key and per
 * part, as a map of strings or a tree of maps, cost a cache miss per hop: when the caches were cold,
 * finding a need's keys took longer than reading its candidates.
 */
export class PostingTable<T extends { readonly id: string }> {
  private readonly items: (T | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];

  /** Every part of a key ever filed, numbered from 0. */
  private readonly partIds = new Map<string, number>();
  /** Hash table of the keys: a power of two of entries. */
  private capacity = 1024;
  private keyParts = new Int32Array(this.capacity * KEY_STRIDE);
  private keyHashes = new Int32Array(this.capacity);
  /** An entry's list: `pool[starts[e] … starts[e] + lengths[e])`, with room for `room[e]` slots. */
  private starts = new Int32Array(this.capacity);
  private lengths = new Int32Array(this.capacity);
  private room = new Int32Array(this.capacity);
  private keys = 0;
  private lists = 0;
  private pool = new Int32Array(4096);
  private poolUsed = 0;
  /** Room in the pool that lists have moved out of. */
  private poolGarbage = 0;
  private entries = 0;

  /** A key's part numbers while it is filed or looked up. */
  private readonly parts = new Int32Array(MAX_PARTS);
  /** `collectAcross`: the part numbers of the dimensions, back to back, and where each one's start. */
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
      const hash = hashOf(this.parts, n);
      let e = this.find(n, hash);
      if (e < 0) e = this.insert(n, hash);
      const length = this.lengths[e] as number;
      // The same key twice for one item: its slot is the list's last entry already.
      if (length > 0 && this.pool[(this.starts[e] as number) + length - 1] === slot) continue;
      if (length === this.room[e]) this.move(e, Math.max(4, length * 2));
      this.pool[(this.starts[e] as number) + length] = slot;
      this.lengths[e] = length + 1;
      if (length === 0) this.lists++;
      this.entries++;
    }
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    const item = slot === undefined ? undefined : this.items[slot];
    if (slot === undefined || !item) return false;
    for (const key of this.keysOf(item)) {
      const n = this.numberParts(key, false);
      const e = n < 0 ? -1 : this.find(n, hashOf(this.parts, n));
      if (e < 0) continue;
      const start = this.starts[e] as number;
      const length = this.lengths[e] as number;
      let at = length - 1;
      while (at >= 0 && this.pool[start + at] !== slot) at--;
      if (at < 0) continue;
      // Order within a key does not matter: fill the hole with the last entry.
      this.pool[start + at] = this.pool[start + length - 1] as number;
      this.lengths[e] = length - 1;
      if (length === 1) this.lists--;
      this.entries--;
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
    const order: number[] = [];
    for (let e = 0; e < this.capacity; e++) if ((this.lengths[e] as number) > 0) order.push(e);
    const parts = this.keyParts;
    order.sort((a, b) => {
      for (let i = 0; i < KEY_STRIDE; i++) {
        const d = (parts[a * KEY_STRIDE + i] as number) - (parts[b * KEY_STRIDE + i] as number);
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
      const e = n < 0 ? -1 : this.find(n, hashOf(this.parts, n));
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
      const e = this.find(depth, hashOf(this.parts, depth));
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
    return { items: this.size, keys: this.lists, entries: this.entries };
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
    const mask = this.capacity - 1;
    const keyParts = this.keyParts;
    for (let e = hash & mask; ; e = (e + 1) & mask) {
      const base = e * KEY_STRIDE;
      const length = keyParts[base] as number;
      if (length === 0) return -1;
      if (length !== n || this.keyHashes[e] !== hash) continue;
      let i = 0;
      while (i < n && keyParts[base + 1 + i] === this.parts[i]) i++;
      if (i === n) return e;
    }
  }

  /** A new entry, with an empty list, for the key in `parts`. */
  private insert(n: number, hash: number): number {
    if ((this.keys + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    let e = hash & mask;
    while ((this.keyParts[e * KEY_STRIDE] as number) !== 0) e = (e + 1) & mask;
    this.keyParts[e * KEY_STRIDE] = n;
    for (let i = 0; i < n; i++) this.keyParts[e * KEY_STRIDE + 1 + i] = this.parts[i] as number;
    this.keyHashes[e] = hash;
    this.starts[e] = this.poolUsed;
    this.lengths[e] = 0;
    this.room[e] = 0;
    this.keys++;
    return e;
  }

  /** Twice the entries, each key moved to its place in the larger table. */
  private grow(): void {
    const old = {
      capacity: this.capacity,
      keyParts: this.keyParts,
      keyHashes: this.keyHashes,
      starts: this.starts,
      lengths: this.lengths,
      room: this.room,
    };
    this.capacity *= 2;
    this.keyParts = new Int32Array(this.capacity * KEY_STRIDE);
    this.keyHashes = new Int32Array(this.capacity);
    this.starts = new Int32Array(this.capacity);
    this.lengths = new Int32Array(this.capacity);
    this.room = new Int32Array(this.capacity);
    const mask = this.capacity - 1;
    for (let o = 0; o < old.capacity; o++) {
      const n = old.keyParts[o * KEY_STRIDE] as number;
      if (n === 0) continue;
      const hash = old.keyHashes[o] as number;
      let e = hash & mask;
      while ((this.keyParts[e * KEY_STRIDE] as number) !== 0) e = (e + 1) & mask;
      this.keyParts.set(old.keyParts.subarray(o * KEY_STRIDE, (o + 1) * KEY_STRIDE), e * KEY_STRIDE);
      this.keyHashes[e] = hash;
      this.starts[e] = old.starts[o] as number;
      this.lengths[e] = old.lengths[o] as number;
      this.room[e] = old.room[o] as number;
    }
  }

  /** Moves the entry's list to the end of the pool, with room for `room` slots. */
  private move(e: number, room: number): void {
    if (this.poolUsed + room > this.pool.length) {
      // Half the pool abandoned by lists that moved: lay the lists out again rather than grow it.
      if (this.poolGarbage > this.pool.length / 2) {
        const order: number[] = [];
        for (let k = 0; k < this.capacity; k++)
          if ((this.keyParts[k * KEY_STRIDE] as number) > 0) order.push(k);
        this.relayOut(order, room);
      }
      if (this.poolUsed + room > this.pool.length) {
        const grown = new Int32Array(Math.max(this.poolUsed + room, this.pool.length * 2));
        grown.set(this.pool.subarray(0, this.poolUsed));
        this.pool = grown;
      }
    }
    const start = this.starts[e] as number;
    const length = this.lengths[e] as number;
    this.pool.copyWithin(this.poolUsed, start, start + length);
    this.poolGarbage += this.room[e] as number;
    this.starts[e] = this.poolUsed;
    this.room[e] = room;
    this.poolUsed += room;
  }

  /** A new pool holding the lists of the entries in that order, each with just its length of room. */
  private relayOut(order: readonly number[], spare: number): void {
    let size = spare;
    for (const e of order) size += this.lengths[e] as number;
    const pool = new Int32Array(Math.max(4096, size));
    let used = 0;
    for (const e of order) {
      const start = this.starts[e] as number;
      const length = this.lengths[e] as number;
      pool.set(this.pool.subarray(start, start + length), used);
      this.starts[e] = used;
      this.room[e] = length;
      used += length;
    }
    // Entries left out (their lists are empty) get an empty run at the end.
    for (let e = 0; e < this.capacity; e++) {
      if ((this.lengths[e] as number) > 0 || (this.keyParts[e * KEY_STRIDE] as number) === 0) continue;
      this.starts[e] = used;
      this.room[e] = 0;
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
    const start = this.starts[e] as number;
    const end = start + (this.lengths[e] as number);
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

/** A hash of a key's part numbers (Murmur3's finaliser over a multiplicative mix). */
function hashOf(parts: Int32Array, n: number): number {
  let h = n;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ (parts[i] as number), 0x9e3779b1) + 0x7f4a7c15;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
