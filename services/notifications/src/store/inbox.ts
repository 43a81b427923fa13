import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { Kind } from '../domain/kinds';
import { collection, insertNew } from './db';

/** One item of a person's in-app list. */
export interface InboxItem {
  /** The notice's idempotency key. */
  _id: string;
  personId: string;
  kind: Kind;
  title: string;
  body: string;
  link: string;
  createdAt: Date;
  read: boolean;
  /** Waiting for the person's next digest mail. */
  digestPending?: boolean;
  /** The digest it went into (set before that mail is stored, see usecases/digest.ts). */
  digestKey?: string;
}

export class InboxRepo {
  readonly c: Collection<InboxItem>;

  constructor(conn: Connection) {
    this.c = collection<InboxItem>(conn, 'inbox');
  }

  async ensureIndexes(): Promise<void> {
    await this.c.createIndex({ personId: 1, createdAt: -1 });
    await this.c.createIndex({ personId: 1, read: 1 });
    await this.c.createIndex({ personId: 1, digestPending: 1 });
  }

  add(items: InboxItem[]): Promise<number> {
    return insertNew(this.c, items);
  }

  /** Newest first, from after `after` (the last item of the previous page). */
  page(personId: string, limit: number, after?: { createdAt: Date; id: string }): Promise<InboxItem[]> {
    const filter: Record<string, unknown> = { personId };
    if (after)
      filter.$or = [
        { createdAt: { $lt: after.createdAt } },
        { createdAt: after.createdAt, _id: { $lt: after.id } },
      ];
    return this.c
      .find(filter, { projection: { digestPending: 0, digestKey: 0 } })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .toArray();
  }

  unread(personId: string): Promise<number> {
    return this.c.countDocuments({ personId, read: false });
  }

  async markRead(personId: string, id: string): Promise<InboxItem | null> {
    return this.c.findOneAndUpdate(
      { _id: id, personId },
      { $set: { read: true } },
      // No projection: FerretDB v1 does not implement one in findAndModify.
      { returnDocument: 'after' },
    );
  }

  async markAllRead(personId: string): Promise<number> {
    return (await this.c.updateMany({ personId, read: false }, { $set: { read: true } })).modifiedCount;
  }
}
