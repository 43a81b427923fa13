/**
 * A key: one string, or a path of parts (`['p:technology', 'c:KE', '311', 'fr', '$']`). A table
 * keeps its postings in a tree of the parts, so that a lookup across several dimensions
 * (`collectAcross`) walks from part to part through small maps and drops a whole branch at the first
 * part nobody was filed under, without building a string per combination: on the hot path, building
 * and hashing fifty such strings per lookup cost more than reading the postings they found.
 */
export type PostingKey = string | readonly string[];

/** A part of a key: the items filed under the key ending here, and the keys going on. */
class KeyNode {
  list: number[] | undefined = undefined;
  children: Map<string, KeyNode> | undefined = undefined;
}

/**
 * Items filed under keys (an inverted index): each item sits in a numbered slot and every key holds
 * a plain array of slot numbers, which costs a few bytes per entry where a Set of objects would cost
 * tens. An item's keys are derived from the item alone, so they are recomputed to remove it rather
 * than stored.
 */
export class PostingTable<T extends { readonly id: string }> {
  private readonly items: (T | undefined)[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly root = new KeyNode();
  /** Bit `slot` is set while a lookup collects the slot; all clear between lookups. */
  private marks = new Int32Array(0);
  /** What the lookup in progress has marked: its lowest and highest words, and how many entries. */
  private lowest = 0;
  private highest = -1;
  private marked = 0;
  private entries = 0;
  private lists = 0;

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
      let node = this.root;
      for (const part of typeof key === 'string' ? [key] : key) {
        node.children ??= new Map();
        let child = node.children.get(part);
        if (!child) {
          child = new KeyNode();
          node.children.set(part, child);
        }
        node = child;
      }
      if (!node.list) {
        node.list = [];
        this.lists++;
      }
      // The same key twice for one item: its slot is the list's last entry already.
      if (node.list[node.list.length - 1] === slot) continue;
      node.list.push(slot);
      this.entries++;
    }
    return slot;
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    const item = slot === undefined ? undefined : this.items[slot];
    if (slot === undefined || !item) return false;
    for (const key of this.keysOf(item)) this.unfile(typeof key === 'string' ? [key] : key, slot);
    this.items[slot] = undefined;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return true;
  }

  /** Takes the slot out of the key's list, and the parts no key goes through any more. */
  private unfile(parts: readonly string[], slot: number): void {
    const path: KeyNode[] = [this.root];
    for (const part of parts) {
      const child = path[path.length - 1]?.children?.get(part);
      if (!child) return;
      path.push(child);
    }
    const node = path[path.length - 1] as KeyNode;
    const list = node.list;
    const at = list ? list.lastIndexOf(slot) : -1;
    if (!list || at < 0) return;
    // Order within a key does not matter: fill the hole with the last entry.
    list[at] = list[list.length - 1] as number;
    list.pop();
    this.entries--;
    if (list.length > 0) return;
    node.list = undefined;
    this.lists--;
    for (let depth = parts.length; depth > 0; depth--) {
      const empty = path[depth] as KeyNode;
      if (empty.list || empty.children?.size) break;
      const parent = path[depth - 1] as KeyNode;
      parent.children?.delete(parts[depth - 1] as string);
      if (parent.children?.size === 0) parent.children = undefined;
    }
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
      let node: KeyNode | undefined = this.root;
      for (const part of typeof key === 'string' ? [key] : key) node = node?.children?.get(part);
      if (node?.list) this.mark(node.list);
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
    this.markAcross(this.root, dimensions, 0);
    return this.readMarks(into);
  }

  private markAcross(node: KeyNode, dimensions: readonly (readonly string[])[], depth: number): void {
    const parts = dimensions[depth];
    if (parts === undefined) {
      if (node.list) this.mark(node.list);
      return;
    }
    const children = node.children;
    if (!children) return;
    for (let i = 0; i < parts.length; i++) {
      const child = children.get(parts[i] as string);
      if (child) this.markAcross(child, dimensions, depth + 1);
    }
  }

  private startMarking(): void {
    if (this.marks.length * 32 < this.items.length)
      this.marks = new Int32Array((this.items.length >>> 5) + 1024);
    this.lowest = this.marks.length;
    this.highest = -1;
    this.marked = 0;
  }

  private mark(list: readonly number[]): void {
    const marks = this.marks;
    let lowest = this.lowest;
    let highest = this.highest;
    for (let i = 0; i < list.length; i++) {
      const slot = list[i] as number;
      const word = slot >>> 5;
      marks[word] = (marks[word] as number) | (1 << (slot & 31));
      if (word < lowest) lowest = word;
      if (word > highest) highest = word;
    }
    this.lowest = lowest;
    this.highest = highest;
    this.marked += list.length;
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

  /** Appends to `into` every item filed under any key across the dimensions (see `collectAcross`), each once. */
  collect(dimensions: readonly (readonly string[])[], into: T[]): void {
    const { slots, count } = this.collectAcross(dimensions, new Int32Array(256));
    for (let i = 0; i < count; i++) into.push(this.items[slots[i] as number] as T);
  }

  stats(): { items: number; keys: number; entries: number } {
    return { items: this.size, keys: this.lists, entries: this.entries };
  }
}
