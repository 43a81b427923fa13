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

export class ScheduleRepo {
  readonly c: Collection<ScheduleDoc>;

  constructor(conn: Connection) {
    this.c = collection<ScheduleDoc>(conn, 'schedules');
  }

  async ensureIndexes(): Promise<void> {
    await this.c.createIndex({ status: 1, dueAt: 1 });
    await this.c.createIndex({ subject: 1 });
  }

  /** Stores new occurrences; one already stored (due, fired or cancelled) stays as it is. */
  add(list: Omit<ScheduleDoc, 'status'>[]): Promise<number> {
    return insertNew(
      this.c,
      list.map((s) => ({ ...s, status: 'due' as const })),
    );
  }

  async cancel(c: Cancel): Promise<number> {
    const filter: Record<string, unknown> = { subject: c.subject, status: 'due', kind: { $in: c.kinds } };
    if (c.scope !== undefined) filter.scope = c.scope;
    if (c.exceptKey !== undefined) filter._id = { $ne: c.exceptKey };
    return (await this.c.updateMany(filter, { $set: { status: 'cancelled' } })).modifiedCount;
  }

  /** Claims one occurrence due at `now` (due → firing, a guarded update): it fires once. */
  async claimDue(now: Date, owner: string, leaseUntil: Date, limit: number): Promise<ScheduleDoc[]> {
    const due = await this.c
      .find({ status: 'due', dueAt: { $lte: now } }, { projection: { _id: 1 } })
      .sort({ dueAt: 1 })
      .limit(limit)
      .toArray();
    const out: ScheduleDoc[] = [];
    for (const { _id } of due) {
      const s = await this.c.findOneAndUpdate(
        { _id, status: 'due' },
        { $set: { status: 'firing', owner, leaseUntil } },
        { returnDocument: 'after' },
      );
      if (s) out.push(s);
    }
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
