import { randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { duplicatePositions } from './mongo';
import type { OutboxEntry } from './outbox';

/** One event of a journaled batch, with the document it belongs to. */
export interface JournalEntry {
  doc: string;
  entry: OutboxEntry;
}

interface JournalDoc {
  _id: string;
  /** The collection the batch's documents went to. */
  target: string;
  createdAt: Date;
  entries: JournalEntry[];
}

/** A new document and the events written with it. */
export interface NewItem {
  doc: { _id: string } & Record<string, unknown>;
  entries: OutboxEntry[];
}

interface Waiting {
  items: readonly NewItem[];
  resolve: (results: boolean[]) => void;
  reject: (err: unknown) => void;
}

/** The most documents a group of waiting calls writes at once (a call larger than this goes alone). */
const GROUP_MAX = 500;

/** A batch whose documents are stored: its events, of those documents only, are due. */
export interface JournaledBatch {
  id: string;
  collection: string;
  entries: JournalEntry[];
}

/** Who publishes journaled batches (the outbox relay). */
export interface JournalListener {
  journaled(batch: JournaledBatch): void;
}

/**
 * The events of newly inserted documents, written ahead of them in one journal document per batch.
 *
 * An aggregate's events normally live in its own document (see `pendingEvents`), and the relay
 * rewrites the document to empty them once published; on the embedded FerretDB that rewrite costs
 * more than the insert (it reads and writes the whole document). For a batch of new documents the
 * journal does instead: (1) one journal document holding the batch's events, (2) the documents,
 * each marked with the batch, (3) once the relay has published the events of the documents that
 * were inserted, it deletes the journal document. Nothing is rewritten. A crash between (1) and
 * (3) leaves the journal document: the relay's recovery publishes the events of the documents that
 * carry the batch's mark (those stored) and drops the rest.
 */
export class OutboxJournal {
  readonly model: Model<JournalDoc>;
  listener: JournalListener | undefined;
  /** Batches being written by this process: recovery leaves them alone. */
  readonly inFlight = new Set<string>();
  /**
   * Documents (`collection:id`) whose journaled events are not published yet: the relay holds back
   * events written into those documents since, so that a document's events go out in order.
   */
  readonly unpublished = new Set<string>();

  constructor(conn: Connection, collection = 'outbox_journal') {
    this.model = conn.model<JournalDoc>(
      'OutboxJournal',
      new Schema<JournalDoc>(
        {
          _id: String,
          // Not `collection`: mongoose reserves that name.
          target: { type: String, required: true },
          createdAt: { type: Date, required: true },
          entries: { type: Schema.Types.Mixed, required: true },
        },
        { versionKey: false, minimize: false },
      ),
      collection,
    );
  }

  /** Calls waiting for the write under way to their collection, which go together next (see insertMany). */
  private readonly waiting = new Map<string, Waiting[]>();

  /**
   * Inserts new documents with their events (see the class comment): each document is marked with
   * the batch in `outboxJournal`. The results follow the documents' order: false for one refused
   * as a duplicate (its events are then never published).
   *
   * Group commit: while a write to the collection is under way, the calls that come meanwhile wait
   * for it and then go together, as one journal document and one insert (up to `GROUP_MAX`
   * documents). A call on a quiet collection writes at once; under load (a request per posted need,
   * each two writes on a store that takes one writer at a time) the writes per document fall.
   */
  async insertMany(
    // biome-ignore lint/suspicious/noExplicitAny: documents of any collection
    target: Model<any>,
    items: readonly NewItem[],
  ): Promise<boolean[]> {
    if (items.length === 0) return [];
    const key = target.collection.name;
    const queue = this.waiting.get(key);
    if (queue) return new Promise((resolve, reject) => queue.push({ items, resolve, reject }));
    this.waiting.set(key, []);
    try {
      return await this.write(target, items);
    } finally {
      // Then the groups of calls that came meanwhile, until none wait.
      void this.drainWaiting(target, key);
    }
  }

  private async drainWaiting(
    // biome-ignore lint/suspicious/noExplicitAny: documents of any collection
    target: Model<any>,
    key: string,
  ): Promise<void> {
    const queue = this.waiting.get(key) ?? [];
    while (queue.length > 0) {
      const group: Waiting[] = [];
      let count = 0;
      while (
        queue.length > 0 &&
        (group.length === 0 || count + (queue[0] as Waiting).items.length <= GROUP_MAX)
      ) {
        const w = queue.shift() as Waiting;
        group.push(w);
        count += w.items.length;
      }
      try {
        const results = await this.write(
          target,
          group.flatMap((w) => w.items),
        );
        let at = 0;
        for (const w of group) {
          w.resolve(results.slice(at, at + w.items.length));
          at += w.items.length;
        }
      } catch (err) {
        for (const w of group) w.reject(err);
      }
    }
    this.waiting.delete(key);
  }

  private async write(
    // biome-ignore lint/suspicious/noExplicitAny: documents of any collection
    target: Model<any>,
    items: readonly NewItem[],
  ): Promise<boolean[]> {
    const results = items.map(() => true);
    const id = randomUUID();
    const entries = items.flatMap(({ doc, entries }) => entries.map((entry) => ({ doc: doc._id, entry })));
    const keys = [...new Set(entries.map((e) => `${target.collection.name}:${e.doc}`))];
    for (const k of keys) this.unpublished.add(k);
    let handedOver = false;
    this.inFlight.add(id);
    try {
      if (entries.length > 0)
        await this.model.collection.insertOne({
          _id: id as never,
          target: target.collection.name,
          createdAt: new Date(),
          entries,
        });
      try {
        await target.collection.insertMany(
          items.map(({ doc }) => ({
            ...doc,
            ...(entries.length > 0 ? { outboxJournal: id } : {}),
          })) as never[],
          { ordered: false },
        );
      } catch (err) {
        for (const i of duplicatePositions(err, items.length)) results[i] = false;
      }
      if (entries.length > 0 && this.listener) {
        const stored = new Set(items.filter((_, i) => results[i]).map(({ doc }) => doc._id));
        for (const k of keys)
          if (!stored.has(k.slice(target.collection.name.length + 1))) this.unpublished.delete(k);
        this.listener.journaled({
          id,
          collection: target.collection.name,
          entries: entries.filter((e) => stored.has(e.doc)),
        });
        handedOver = true;
      }
      return results;
    } finally {
      this.inFlight.delete(id);
      // Not handed over (a failure, or nobody listening): recovery publishes what was stored.
      if (!handedOver) for (const k of keys) this.unpublished.delete(k);
    }
  }
}
