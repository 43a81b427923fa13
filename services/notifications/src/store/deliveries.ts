import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Kind } from '../domain/kinds';
import { collection, insertNew } from './db';

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'dead';

/**
 * One mail to one address, stored (rendered, with its Message-ID) before anything is sent, under
 * its idempotency key: an event handled twice finds its mails already there.
 */
export interface Delivery {
  _id: string;
  kind: Kind;
  personId?: string;
  to: string;
  language: string;
  subject: string;
  /** Dropped once sent when the mail carries a one-time token. */
  text?: string;
  html?: string;
  messageId: string;
  unsubscribeUrl?: string;
  secret?: boolean;
  status: DeliveryStatus;
  /** Failed attempts so far. */
  attempts: number;
  nextAttemptAt: Date;
  /** The sender that claimed it, and until when (a claim of a process that died returns after that). */
  owner?: string;
  leaseUntil?: Date;
  /** Times it was taken back from a sender that had claimed it and died: it may have left once already. */
  recovered?: number;
  createdAt: Date;
  sentAt?: Date;
  lastError?: string;
  /** A dead delivery's record is on the `.dlq` topic. */
  dlqPublished?: boolean;
  /**
   * It waits for the SMTP server to be reachable again (it failed to reach it, or was not tried
   * because another mail had just failed to): due at once when the server answers again.
   */
  waitingForServer?: boolean;
}

export class DeliveryRepo {
  readonly c: Collection<Delivery>;

  constructor(conn: Connection) {
    this.c = collection<Delivery>(conn, 'deliveries');
  }

  async ensureIndexes(): Promise<void> {
    await this.c.createIndex({ status: 1, nextAttemptAt: 1 });
    await this.c.createIndex({ status: 1, leaseUntil: 1 });
  }

  /** Stores the deliveries not stored yet; returns how many were new. */
  add(list: Delivery[]): Promise<number> {
    return insertNew(this.c, list);
  }

  /**
   * Claims up to `limit` deliveries due at `now` for `owner` until `leaseUntil`. Each claim is a
   * guarded single-document update (pending → sending): two senders never hold the same one.
   */
  async claim(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<Delivery[]> {
    const due = await this.c
      .find({ status: 'pending', nextAttemptAt: { $lte: now } }, { projection: { _id: 1 } })
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .toArray();
    const claimed: Delivery[] = [];
    for (const { _id } of due) {
      const d = await this.c.findOneAndUpdate(
        { _id, status: 'pending' },
        { $set: { status: 'sending', owner, leaseUntil } },
        { returnDocument: 'after' },
      );
      if (d) claimed.push(d);
    }
    return claimed;
  }

  /** Claims whose sender is gone: those of other owners (`everyOther`, as the store's sole writer), or past their lease. */
  async recover(now: Date, owner: string, everyOther: boolean): Promise<number> {
    const r = await this.c.updateMany(
      everyOther
        ? { status: 'sending', owner: { $ne: owner } }
        : { status: 'sending', leaseUntil: { $lt: now } },
      {
        $set: { status: 'pending', nextAttemptAt: now },
        $unset: { owner: '', leaseUntil: '' },
        $inc: { recovered: 1 },
      },
    );
    return r.modifiedCount;
  }

  async markSent(d: Delivery, owner: string, at: Date): Promise<void> {
    await this.c.updateOne(
      { _id: d._id, owner },
      {
        $set: { status: 'sent', sentAt: at },
        $unset: {
          owner: '',
          leaseUntil: '',
          waitingForServer: '',
          ...(d.secret ? { text: '', html: '' } : {}),
        },
      },
    );
  }

  /** Marks sent the deliveries a journal names (whatever their claim). */
  async markSentMany(ids: string[], at: Date): Promise<number> {
    const r = await this.c.updateMany(
      { _id: { $in: ids }, status: { $ne: 'sent' } },
      {
        $set: { status: 'sent', sentAt: at },
        $unset: { owner: '', leaseUntil: '', waitingForServer: '', text: '', html: '' },
      },
    );
    return r.modifiedCount;
  }

  async markFailed(
    d: Delivery,
    owner: string,
    outcome: {
      dead: boolean;
      error: string;
      nextAttemptAt: Date;
      counts: boolean;
      /** It waits for the server, not for its own back-off (see `releaseWaiting`). */
      waitingForServer?: boolean;
    },
  ): Promise<void> {
    const waiting = !outcome.dead && outcome.waitingForServer === true;
    await this.c.updateOne(
      { _id: d._id, owner },
      {
        $set: {
          status: outcome.dead ? 'dead' : 'pending',
          nextAttemptAt: outcome.nextAttemptAt,
          lastError: outcome.error,
          ...(waiting ? { waitingForServer: true } : {}),
        },
        $inc: { attempts: outcome.counts ? 1 : 0 },
        $unset: { owner: '', leaseUntil: '', ...(waiting ? {} : { waitingForServer: '' }) },
      },
    );
  }

  /** Whether any mail waits for the SMTP server (one a process that died left waiting, say). */
  async anyWaiting(): Promise<boolean> {
    return (
      (await this.c.findOne({ status: 'pending', waitingForServer: true }, { projection: { _id: 1 } })) !==
      null
    );
  }

  /** The server answers again: every mail that waited only for it is due at `now`. */
  async releaseWaiting(now: Date): Promise<number> {
    const r = await this.c.updateMany(
      { status: 'pending', waitingForServer: true },
      { $set: { nextAttemptAt: now }, $unset: { waitingForServer: '' } },
    );
    return r.modifiedCount;
  }

  deadToReport(limit: number): Promise<Delivery[]> {
    return this.c
      .find({ status: 'dead', dlqPublished: { $ne: true } }, { projection: { text: 0, html: 0 } })
      .limit(limit)
      .toArray();
  }

  async reported(id: string): Promise<void> {
    await this.c.updateOne({ _id: id }, { $set: { dlqPublished: true } });
  }

  /** The earliest `nextAttemptAt` of the pending ones, to sleep until. */
  async nextDue(): Promise<Date | undefined> {
    const d = await this.c
      .find({ status: 'pending' }, { projection: { nextAttemptAt: 1 } })
      .sort({ nextAttemptAt: 1 })
      .limit(1)
      .next();
    return d?.nextAttemptAt;
  }

  counts(): Promise<Record<DeliveryStatus, number>> {
    return Promise.all(
      (['pending', 'sending', 'sent', 'dead'] as const).map(async (s) => [
        s,
        await this.c.countDocuments({ status: s }),
      ]),
    ).then((e) => Object.fromEntries(e) as Record<DeliveryStatus, number>);
  }
}
