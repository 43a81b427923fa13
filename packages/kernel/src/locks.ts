/**
 * One task at a time per key, within this process; tasks of other keys run alongside.
 *
 * FerretDB v1 applies an update by reading the document, changing it in Go, and writing the whole
 * document back by `_id`, with nothing in between to stop a concurrent update: two updates of one
 * document at the same time lose one of them (a relay's clearing can erase an event another
 * request just `$push`ed; a `version` guard can match twice). MongoDB 7 does not have this
 * problem. Every update of an aggregate document, the outbox relay's included, therefore goes
 * through here, keyed `<collection>:<_id>`. It protects one process: on FerretDB, run one instance
 * of a service. A task that fails does not hold up the next one.
 */
export class KeyedLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async with<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Holds every key's lock while `fn` runs. Keys are taken in sorted order, so two callers of
   * `withAll` cannot wait on each other; `with` holds one key only and never waits for another.
   */
  withAll<T>(keys: Iterable<string>, fn: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const take = (i: number): Promise<T> =>
      i === sorted.length ? fn() : this.with(sorted[i] as string, () => take(i + 1));
    return take(0);
  }

  /** Keys currently held or awaited (for tests). */
  get size(): number {
    return this.tails.size;
  }
}

/** What the outbox relay needs of a service's write locks. */
export interface WriteLocks {
  with<T>(key: string, fn: () => Promise<T>): Promise<T>;
  withAll<T>(keys: Iterable<string>, fn: () => Promise<T>): Promise<T>;
}
