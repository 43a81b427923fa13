import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Cancel, ScheduleKind } from '../domain/decide';
import { collection, insertNew } from './db';

export type ScheduleStatus = 'due' | 'firing' | 'fired' | 'cancelled';

/** A notice due later (a reminder, a digest), stored so that a restart neither loses nor repeats it. */
export interface ScheduleDoc {
  /** One occurrence: `proposal-reminder:<proposal>:<party>:3`, `digest:<person>:<day>`. */
  _id: string;
  kind: ScheduleKind | 'digest';
  dueAt: Date;
  subject: string;
  scope?: string;
  data: Record<string, unknown>;
  status: ScheduleStatus;
  owner?: string;
  leaseUntil?: Date;
  firedAt?: Date;
}

/**
 * The stored schedules, with the due ones also held in memory (id → due time): a sweep looks at
 * the store only when something is due. Asking the store "what is due?" reads every schedule on
 * the embedded FerretDB (a date range is not pushed down), and an exchange of 100k postings holds
 * two schedules per need: one sweep every 30 s kept FerretDB at 30 % of a core on an idle system.
 * The memory is filled by `load` (at start, and after `recover`) and by `add`; a schedule cancelled
 * or fired elsewhere stays in it until its claim finds it no longer due.
 */
export class ScheduleRepo {
  readonly c: Collection<ScheduleDoc>;
  private readonly due = new Map<string, number>();
  private nextAt = Number.POSITIVE_INFINITY;

  constructor(conn: Connection) {
    this.c = collection<ScheduleDoc>(conn, 'schedules');
  }

  async ensureIndexes(): Promise<void> {
    await this.c.createIndex({ status: 1, dueAt: 1 });
    await this.c.createIndex({ subject: 1 });
  }

  /** Holds every due schedule of the store in memory (one read of the collection). */
  async load(): Promise<number> {
    this.due.clear();
    this.nextAt = Number.POSITIVE_INFINITY;
    const docs = await this.c.find({ status: 'due' }, { projection: { _id: 1, dueAt: 1 } }).toArray();
    for (const d of docs) this.hold(d._id, d.dueAt);
    return docs.length;
  }

  private hold(id: string, dueAt: Date): void {
    const at = dueAt.getTime();
    this.due.set(id, at);
    if (at < this.nextAt) this.nextAt = at;
  }

  /** How many due schedules are held in memory. */
  get held(): number {
    return this.due.size;
  }

  /** Stores new occurrences; one already stored (due, fired or cancelled) stays as it is. */
  async add(list: Omit<ScheduleDoc, 'status'>[]): Promise<number> {
    const added = await insertNew(
      this.c,
      list.map((s) => ({ ...s, status: 'due' as const })),
    );
    // One that was stored already and is no longer due fails its claim, and is let go then.
    for (const s of list) this.hold(s._id, s.dueAt);
    return added;
  }

  async cancel(c: Cancel): Promise<number> {
    const filter: Record<string, unknown> = { subject: c.subject, status: 'due', kind: { $in: c.kinds } };
    if (c.scope !== undefined) filter.scope = c.scope;
    if (c.exceptKey !== undefined) filter._id = { $ne: c.exceptKey };
    return (await this.c.updateMany(filter, { $set: { status: 'cancelled' } })).modifiedCount;
  }

  /**
   * Claims the occurrences due at `now`, earliest first (due → firing, a guarded update by `_id`):
   * each fires once. Nothing is read from the store before the first is due.
   */
  async claimDue(now: Date, owner: string, leaseUntil: Date, limit: number): Promise<ScheduleDoc[]> {
    const t = now.getTime();
    if (t < this.nextAt) return [];
    const due = [...this.due]
      .filter(([, at]) => at <= t)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([id]) => id);
    const out: ScheduleDoc[] = [];
    for (const _id of due) {
      const s = await this.c.findOneAndUpdate(
        { _id, status: 'due' },
        { $set: { status: 'firing', owner, leaseUntil } },
        { returnDocument: 'after' },
      );
      // Claimed, or cancelled or fired meanwhile: no longer due either way.
      this.due.delete(_id);
      if (s) out.push(s);
    }
    let next = Number.POSITIVE_INFINITY;
    for (const at of this.due.values()) if (at < next) next = at;
    this.nextAt = next;
    return out;
  }

  async fired(id: string, owner: string, at: Date): Promise<void> {
    await this.c.updateOne(
      { _id: id, owner },
      { $set: { status: 'fired', firedAt: at }, $unset: { owner: '', leaseUntil: '' } },
    );
  }

  /** Firings whose process died: fired again (their effects are keyed, so nothing doubles). */
  async recover(now: Date, owner: string, everyOther: boolean): Promise<number> {
    const r = await this.c.updateMany(
      everyOther
        ? { status: 'firing', owner: { $ne: owner } }
        : { status: 'firing', leaseUntil: { $lt: now } },
      { $set: { status: 'due' }, $unset: { owner: '', leaseUntil: '' } },
    );
    return r.modifiedCount;
  }

  async nextDue(): Promise<Date | undefined> {
    const s = await this.c
      .find({ status: 'due' }, { projection: { dueAt: 1 } })
      .sort({ dueAt: 1 })
      .limit(1)
      .next();
    return s?.dueAt;
  }
}
