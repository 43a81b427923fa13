import { performance } from 'node:perf_hooks';
import { currentTraceparent, type Logger, untraced } from '@mutirao/telemetry';
import type { ChangeKind, PendingChanges } from '../store/pending';

/** Where pending changes are recorded (none with several instances: see `noPendingChanges`). */
export type PendingLog = Pick<PendingChanges, 'add' | 'lastSequence' | 'removeUpTo' | 'all'>;

/**
 * With several instances nothing is recorded: an instance that takes a need partition over ranks
 * all its needs (see Rebalancer), which covers whatever a crashed instance left undone, and the
 * instances' sequence numbers would collide in one collection.
 */
export const noPendingChanges: PendingLog = {
  add: async () => undefined,
  lastSequence: async () => 0,
  removeUpTo: async () => undefined,
  all: async () => [],
};

export interface SettleDeps {
  pending: PendingLog;
  logger: Logger;
  /**
   * Ranks these needs and stores their proposals (`Reconciler.rankNeeds`); `traces[i]` is the
   * `traceparent` of the change that marked `needIds[i]`, whose trace the ranking continues.
   */
  rank: (needIds: readonly string[], traces: readonly (string | undefined)[]) => Promise<void>;
  /** Quiet time after the last change before needs are ranked (a bulk import settles first). */
  settleMs: number;
  /** The longest a changed need waits to be ranked however busy the topics are. */
  maxDelayMs: number;
  /**
   * Milliseconds on a monotonic clock, for the debouncing only (how long the first waiting change
   * has waited): `performance.now()` by default. Not the service's clock: nothing stored or
   * published depends on it, and a wall clock moved by a test or NTP must not stall or hurry it.
   */
  elapsed?: () => number;
  /**
   * The least time between two removals of pending changes (default 250 ms): a need posted every
   * 10 ms is ranked on its own, and removing its record after each ranking had been one store
   * operation per need. Left longer, a crash only makes the next start react to more changes again.
   */
  clearEveryMs?: number;
}

/** Needs ranked together, their new proposals written in one insert. */
const FLUSH_CHUNK = 200;
/** Backlog needs ranked together: smaller, since a fresh change arriving meanwhile waits for them. */
const BACKLOG_CHUNK = 50;

/**
 * When needs are ranked, and what is left to do after a crash. Changed needs are marked *dirty*
 * and ranked once the topics are quiet for `settleMs` (or after `maxDelayMs`), so a need imported
 * before its offers is ranked against all of them at once, not offer by offer. Every change is
 * recorded as pending before it is applied and removed once every consequence is stored, so the
 * next start reacts to exactly the changes a crash left unfinished.
 */
export class SettleQueue {
  /**
   * Needs whose proposals must be recomputed (a need, an offer or an organisation changed), each
   * with the `traceparent` of the last change that marked it.
   */
  private readonly dirty = new Map<string, string | undefined>();
  /**
   * Needs to be ranked again when no fresh change waits: those of a need partition taken over from
   * another instance, or every open need after a start that cannot tell what was left undone.
   * Nothing about them changed, so a need just posted must not wait behind thousands of them.
   */
  private readonly backlog = new Set<string>();
  private settleTimer: NodeJS.Timeout | undefined;
  /** When (on the monotonic clock) the oldest waiting work arrived. */
  private firstDirtyAt = 0;
  private flushing: Promise<void> | undefined;
  /** The chunk of needs being ranked now. */
  private chunk: Promise<void> | undefined;
  private stopped = false;
  /** The last pending change's sequence number, those of changes being applied, the last removed. */
  private sequence = 0;
  private readonly inFlight = new Set<number>();
  private cleared = 0;
  /** When (on the monotonic clock) pending changes were last removed. */
  private clearedAt = Number.NEGATIVE_INFINITY;
  /** While the start reacts to the changes left pending, none of them may be removed. */
  private reacting = false;
  private readonly elapsed: () => number;

  constructor(private readonly deps: SettleDeps) {
    this.elapsed = deps.elapsed ?? (() => performance.now());
  }

  /** Continues the numbering of pending changes from the store (at start). */
  async init(): Promise<void> {
    this.sequence = await this.deps.pending.lastSequence();
  }

  /** How many needs wait to be ranked (shown by `GET /progress`). */
  needsWaiting(): number {
    return this.dirty.size + this.backlog.size;
  }

  /** Whether the need waits to be ranked. */
  waiting(needId: string): boolean {
    return this.dirty.has(needId) || this.backlog.has(needId);
  }

  /** True when every applied change has been turned into proposals (for `mutirao wait`). */
  idle(): boolean {
    return this.dirty.size === 0 && this.backlog.size === 0 && !this.flushing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    await this.flushing;
  }

  /**
   * Stops waiting to rank the needs `pick` picks (their partition moved to another instance), and
   * waits for the chunk being ranked, if any: none of them is ranked here afterwards.
   */
  async forget(pick: (needId: string) => boolean): Promise<void> {
    let awaited: Promise<void> | undefined;
    for (;;) {
      for (const id of [...this.dirty.keys()]) if (pick(id)) this.dirty.delete(id);
      for (const id of [...this.backlog]) if (pick(id)) this.backlog.delete(id);
      const chunk = this.chunk;
      if (!chunk || chunk === awaited) return;
      awaited = chunk;
      await chunk.catch(() => undefined);
    }
  }

  /**
   * The need is to be ranked again, because of the change being handled now: its ranking will
   * continue that change's trace (`traceparent`, the active span's by default).
   */
  markDirty(needId: string, traceparent: string | undefined = currentTraceparent()): void {
    this.noteWork();
    this.backlog.delete(needId);
    this.dirty.set(needId, traceparent);
    this.schedule();
  }

  /**
   * The need is to be ranked again although nothing about it changed (see `backlog`): after every
   * need a fresh change marks, in chunks between which fresh changes go first. A need already
   * marked by a change stays where it is.
   */
  markLater(needId: string): void {
    if (this.dirty.has(needId)) return;
    this.noteWork();
    this.backlog.add(needId);
    this.schedule();
  }

  /**
   * Starts the settle clock when no need was waiting to be ranked (pending changes waiting to be
   * removed do not count: they may wait up to `clearEveryMs`, and a need must still settle).
   */
  private noteWork(): void {
    if (this.dirty.size === 0 && this.backlog.size === 0) this.firstDirtyAt = this.elapsed();
  }

  /**
   * Records the changes as pending before `apply` writes them anywhere, so that a crash at any
   * point leaves a trace the next start reacts to; the next flush that completes removes it.
   */
  async tracked(kind: ChangeKind, ids: readonly string[], apply: () => Promise<void>): Promise<void> {
    this.noteWork();
    const sequence = ++this.sequence;
    this.inFlight.add(sequence);
    try {
      await this.deps.pending.add(sequence, kind, ids);
      await apply();
    } finally {
      this.inFlight.delete(sequence);
      this.schedule();
    }
  }

  /**
   * Runs the start's reaction to the changes left pending: a flush may start meanwhile (for needs
   * marked by it) but must not remove those changes before the reaction is over.
   */
  async reactingToPending(changes: number, react: () => Promise<void>): Promise<void> {
    this.reacting = true;
    try {
      await react();
    } finally {
      this.reacting = false;
    }
    if (changes > 0) this.schedule();
  }

  /** Removes the pending changes every one of whose consequences is now stored. */
  private async clearPending(): Promise<void> {
    if (this.reacting) return;
    // A change still being applied may not have marked its needs yet: stop below it.
    const upTo = this.inFlight.size > 0 ? Math.min(...this.inFlight) - 1 : this.sequence;
    if (upTo <= this.cleared || this.elapsed() < this.nextClearAt()) return;
    try {
      await this.deps.pending.removeUpTo(upTo);
      this.cleared = upTo;
      this.clearedAt = this.elapsed();
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not remove pending changes; will retry');
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  private nextClearAt(): number {
    return this.clearedAt + (this.deps.clearEveryMs ?? 250);
  }

  /**
   * Sets the settle timer: `settleMs` from now, but no later than `maxDelayMs` after the first
   * change; with no need waiting, when the pending changes may next be removed.
   */
  private schedule(): void {
    if (this.stopped || this.flushing) return;
    clearTimeout(this.settleTimer);
    const now = this.elapsed();
    const waited = now - this.firstDirtyAt;
    let delay = Math.max(0, Math.min(this.deps.settleMs, this.deps.maxDelayMs - waited));
    if (this.dirty.size === 0 && this.backlog.size === 0) delay = Math.max(delay, this.nextClearAt() - now);
    this.settleTimer = setTimeout(() => void this.flush(), delay);
  }

  /**
   * Ranks every dirty need, a chunk of needs at a time (their new proposals written together);
   * resolves when none is left.
   */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    clearTimeout(this.settleTimer);
    // Not in the context of the change that set the timer: each need's ranking continues its own.
    this.flushing = untraced(async () => {
      while ((this.dirty.size > 0 || this.backlog.size > 0) && !this.stopped) {
        // Fresh changes first; the backlog only when none waits (checked again after each chunk).
        const fresh = this.dirty.size > 0;
        const ids = fresh
          ? [...this.dirty.keys()].slice(0, FLUSH_CHUNK)
          : [...this.backlog].slice(0, BACKLOG_CHUNK);
        const traces = ids.map((id) => this.dirty.get(id));
        for (const id of ids) fresh ? this.dirty.delete(id) : this.backlog.delete(id);
        try {
          this.chunk = this.deps.rank(ids, traces);
          await this.chunk;
        } catch (err) {
          this.deps.logger.error({ err, needs: ids.length }, 'could not store proposals; will retry');
          // Marked again meanwhile: the newer change's trace.
          for (const [i, id] of ids.entries())
            if (fresh) {
              if (!this.dirty.has(id)) this.dirty.set(id, traces[i]);
            } else if (!this.dirty.has(id)) this.backlog.add(id);
          await new Promise((r) => setTimeout(r, 1_000));
        } finally {
          this.chunk = undefined;
        }
        // Let requests and events in between chunks.
        await new Promise((r) => setImmediate(r));
      }
      if (!this.stopped && this.dirty.size === 0 && this.backlog.size === 0) await this.clearPending();
    }).finally(() => {
      this.flushing = undefined;
      if (this.dirty.size > 0 || this.backlog.size > 0 || this.sequence > this.cleared) this.schedule();
    });
    return this.flushing;
  }
}
