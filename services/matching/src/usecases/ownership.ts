/**
 * Which needs this instance writes the proposals of. One instance writes them all; with several,
 * each writes those of the need partitions it holds (`NeedPartitions`), so that every proposal has
 * exactly one writer at a time.
 */
export interface Ownership {
  /** Whether this instance writes the need's proposals now. */
  owns(needId: string): boolean;
  /**
   * Runs `fn`, work that may write proposals of the needs `owns` allows when it looks: giving a
   * partition up waits for the work under way to end.
   */
  work<T>(fn: () => Promise<T>): Promise<T>;
}

/** One instance: every need is its own. */
export const everyNeed: Ownership = { owns: () => true, work: (fn) => fn() };

/**
 * `taking`: assigned here, another instance may still write it; `loading`: released to this one,
 * its needs being loaded (written here, batches still wait); `held`; `releasing`.
 */
type State = 'taking' | 'loading' | 'held' | 'releasing';

/**
 * The need partitions this instance holds, as the rebalancing (`Rebalancer`) moves them: a
 * partition being taken is not written yet (its batches and commands wait for it), a held one is,
 * and one being released is no longer (`owns` says no) while the work that started before ends.
 */
export class NeedPartitions implements Ownership {
  private readonly states = new Map<number, State>();
  private readonly waiters = new Map<number, ((held: boolean) => void)[]>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    /** The need topic's partition count. */
    readonly count: number,
    /** The partition a need id falls in (the producers' murmur2 of the key). */
    readonly partitionOf: (needId: string) => number,
  ) {}

  owns(needId: string): boolean {
    const s = this.states.get(this.partitionOf(needId));
    return s === 'held' || s === 'loading';
  }

  async work<T>(fn: () => Promise<T>): Promise<T> {
    const p = fn();
    this.running.add(p);
    try {
      return await p;
    } finally {
      this.running.delete(p);
    }
  }

  /** The partitions held or being taken (what the group gave this instance, as far as it knows). */
  assigned(): number[] {
    return [...this.states].filter(([, s]) => s !== 'releasing').map(([p]) => p);
  }

  /** Whether a partition is being taken over (not every batch of it can be handled yet). */
  moving(): boolean {
    return [...this.states.values()].some((s) => s === 'taking' || s === 'loading');
  }

  /** The partitions whose needs this instance writes now. */
  writing(): number[] {
    return [...this.states].filter(([, s]) => s === 'held' || s === 'loading').map(([p]) => p);
  }

  /** Resolves true once the partition is held, false if it is not (or stops being) taken. */
  whenHeld(partition: number): Promise<boolean> {
    const s = this.states.get(partition);
    if (s === 'held') return Promise.resolve(true);
    if (s !== 'taking' && s !== 'loading') return Promise.resolve(false);
    return new Promise((resolve) => {
      const list = this.waiters.get(partition) ?? [];
      list.push(resolve);
      this.waiters.set(partition, list);
    });
  }

  private settle(partition: number, held: boolean): void {
    for (const resolve of this.waiters.get(partition) ?? []) resolve(held);
    this.waiters.delete(partition);
  }

  taking(partition: number): void {
    this.states.set(partition, 'taking');
  }

  /** Nobody else writes the partition's needs any more: this instance loads them. */
  loading(partition: number): void {
    this.states.set(partition, 'loading');
  }

  taken(partition: number): void {
    this.states.set(partition, 'held');
    this.settle(partition, true);
  }

  /** Stops writing the partition's needs; resolves once the work that started before has ended. */
  async releasing(partition: number): Promise<void> {
    this.states.set(partition, 'releasing');
    this.settle(partition, false);
    await Promise.allSettled([...this.running]);
  }

  released(partition: number): void {
    // Unless assigned here again meanwhile.
    if (this.states.get(partition) === 'releasing') this.states.delete(partition);
  }

  /** A partition assigned here and taken away before it was taken over: nothing to release. */
  abandon(partition: number): void {
    this.states.delete(partition);
    this.settle(partition, false);
  }
}
