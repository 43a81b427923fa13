import { isDuplicateKey } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/** `all`: anything may have changed (a database kept by a version that recorded no pending changes). */
export type ChangeKind = 'organisation' | 'need' | 'offer' | 'all';

interface PendingDoc {
  /** The change's sequence number: one document per batch of changes, never updated, so nothing is lost. */
  _id: number;
  kind: ChangeKind;
  /** One entity (as written before batches), or the entities of a batch. */
  id?: string;
  ids?: string[];
}

/**
 * Changes whose consequences may not be stored yet. A change is written here before it is applied
 * to the read model and removed once the proposals it calls for are stored, so that after a crash
 * the next start reacts to exactly those changes again: the events themselves are not redelivered
 * (their offsets were committed when the read model took them) and would be stale if they were.
 */
export class PendingChanges {
  readonly model: Model<PendingDoc>;

  constructor(conn: Connection) {
    this.model = conn.model<PendingDoc>(
      'PendingChange',
      new Schema<PendingDoc>(
        {
          _id: Number,
          kind: { type: String, required: true, enum: ['organisation', 'need', 'offer', 'all'] },
          id: String,
          ids: [String],
        },
        { versionKey: false },
      ),
      'pending_changes',
    );
  }

  /**
   * Creates the collection. When there was none, the database may hold work a version that did not
   * record pending changes left unfinished: an `all` change stands for it until a flush covers it.
   */
  async init(): Promise<void> {
    const name = this.model.collection.collectionName;
    const db = this.model.db.db;
    const created = db ? (await db.listCollections({ name }).toArray()).length === 0 : false;
    await this.model.init();
    if (!created) return;
    try {
      await this.add(1, 'all', '*');
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** The highest sequence number written so far, 0 when there is none. */
  async lastSequence(): Promise<number> {
    const last = await this.model.findOne().sort({ _id: -1 }).select('_id').lean<{ _id: number }>().exec();
    return last?._id ?? 0;
  }

  async add(sequence: number, kind: ChangeKind, ids: string | readonly string[]): Promise<void> {
    await this.model.collection.insertOne({
      _id: sequence as never,
      kind,
      ...(typeof ids === 'string' ? { id: ids } : { ids: [...ids] }),
    });
  }

  /** Every pending change, oldest first, each entity once. */
  async all(): Promise<{ kind: ChangeKind; id: string }[]> {
    const docs = await this.model.find().sort({ _id: 1 }).lean<PendingDoc[]>().exec();
    const seen = new Set<string>();
    const changes: { kind: ChangeKind; id: string }[] = [];
    for (const d of docs) {
      for (const id of d.ids ?? (d.id !== undefined ? [d.id] : [])) {
        const key = `${d.kind}:${id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        changes.push({ kind: d.kind, id });
      }
    }
    return changes;
  }

  async removeUpTo(sequence: number): Promise<void> {
    await this.model.deleteMany({ _id: { $lte: sequence } }).exec();
  }
}
