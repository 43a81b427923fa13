import type { WriteLocks } from '@mutirao/kernel';
import { publishSerialised } from '@mutirao/messaging';
import { type Logger, untraced } from '@mutirao/telemetry';
import type { Producer } from 'kafkajs';
import type { Model } from 'mongoose';
import type { JournaledBatch, OutboxJournal } from './journal';
import { entryHeaders, type OutboxEntry, type WithOutbox } from './outbox';

export interface RelayOptions {
  // biome-ignore lint/suspicious/noExplicitAny: the relay reads only the outbox fields of any aggregate model
  models: Model<any>[];
  producer: Producer;
  logger: Logger;
  /**
   * The safety net: how often to look for pending events nobody woke us for (a crash, another
   * instance). Each pass that finds nothing doubles the wait, up to `maxPollMs`; a wake resets it.
   */
  pollMs?: number;
  maxPollMs?: number;
  /** Documents read, published and cleared together (default 500: one send stays under 1 MB per partition). */
  batchSize?: number;
  /**
   * The service's per-document write locks. On FerretDB v1 the relay's removal must not overlap a
   * request's append to the same document (see KeyedLocks); keys are `<collection>:<_id>`.
   */
  locks?: WriteLocks;
  /** Where the service's inserts write their events ahead (see OutboxJournal). */
  journal?: OutboxJournal;
  /**
   * A journal document younger than this, not written by this process, is left to its writer
   * (another instance of the service may still be inserting its batch). 0 (the default) suits one
   * instance, as on FerretDB.
   */
  journalGraceMs?: number;
  /**
   * How long a published batch's journal document waits to be deleted with those published after
   * it (default 250 ms; a stop or `drain` deletes at once). Each delete is one store operation
   * whatever it deletes: at 100 posts a second, one delete per post had been a third of a post's
   * writes. A crash before the delete publishes those batches again (at least once, as ever).
   */
  deleteLingerMs?: number;
  /**
   * Narrows the documents whose pending events this relay publishes (a condition added to its
   * query, asked again at each pass): with several instances each writing its own share of the
   * documents (matching's need partitions), each relays its share only, so that no relay rewrites a
   * document another instance is writing.
   */
  filter?: () => Record<string, unknown>;
}

/**
 * Publishes the events pending in aggregate documents, then removes them. A crash between the
 * publish and the removal republishes on the next pass: at-least-once, never lost. Consumers
 * apply by revision, so a duplicate changes nothing.
 *
 * Two ways in. Inserts go through the journal (see OutboxJournal), which hands each stored batch
 * over: the relay publishes its events from memory and deletes its journal document. Other writes
 * leave their events in the document and call `wake()`: the relay finds those documents by the
 * pending flag. The periodic pass is the safety net for crashes and other instances, and also
 * recovers journal documents left behind.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  /** Passes in a row that found nothing to publish. */
  private empty = 0;
  /** Whether a pass over the stored pending flags is due (a wake, the timer, the start). */
  private lookInStore = true;
  /** Wakes so far: a pass that found nothing clears `lookInStore` only if none came meanwhile. */
  private wakes = 0;
  /** Whether journal documents left behind may be waiting (the start, the timer). */
  private lookInJournal = true;
  /** Journaled batches handed over and not yet published, in order. */
  private readonly batches: JournaledBatch[] = [];
  /** Their journal documents' ids, until deleted: recovery leaves those to the hand-over. */
  private readonly handedOver = new Set<string>();
  /** The pass under way, if any (see `settled`). */
  private passing: Promise<boolean> | undefined;
  /** Published batches' journal documents waiting to be deleted, and the delete under way. */
  private readonly toDelete: string[] = [];
  /**
   * Documents a pass over the pending flags found and held back (their journaled events were not
   * out yet): once those are published, another pass is due for them, and only then.
   */
  private readonly heldBack = new Set<string>();
  private deleting: Promise<void> | undefined;
  /** Ends the wait before the next delete (see `deleteLingerMs`). */
  private hurry: (() => void) | undefined;

  constructor(private readonly opts: RelayOptions) {
    if (opts.journal) opts.journal.listener = this;
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** A write left events: publish them now, and poll at the base pace again. */
  wake(): void {
    this.empty = 0;
    this.lookAgain();
    this.run();
  }

  /** A pass over the pending flags is due, even if one running now finds nothing. */
  private lookAgain(): void {
    this.wakes++;
    this.lookInStore = true;
  }

  /** A journaled batch is stored: publish its events (see OutboxJournal). */
  journaled(batch: JournaledBatch): void {
    this.batches.push(batch);
    this.handedOver.add(batch.id);
    this.empty = 0;
    this.run();
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    // Not in the context of whoever woke it: each event's publish continues its own trace.
    this.running = untraced(() =>
      this.loop().finally(() => {
        this.running = undefined;
        this.schedule();
      }),
    );
  }

  /** Runs passes until nothing is pending (for tests and orderly stops). */
  async drain(): Promise<void> {
    await this.running;
    this.lookAgain();
    while (await untraced(() => this.pass())) {
      // keep going
    }
    await this.forgotten();
  }

  /**
   * Resolves once the pass under way (if any) is over: a document the filter no longer picks is
   * not written by this relay afterwards.
   */
  async settled(): Promise<void> {
    await this.passing?.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.forgotten();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      this.run();
      return;
    }
    const base = this.opts.pollMs ?? 5_000;
    const idle = Math.min(this.opts.maxPollMs ?? 30_000, base * 2 ** Math.min(this.empty, 10));
    const delay = this.failures > 0 ? Math.min(base, 100 * 2 ** this.failures) : Math.max(base, idle);
    this.timer = setTimeout(() => {
      this.lookAgain();
      this.lookInJournal = true;
      this.run();
    }, delay);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    try {
      let published = false;
      do {
        this.again = false;
        while (!this.stopped && (await this.pass())) published = true;
      } while (this.again && !this.stopped);
      this.empty = published ? 0 : this.empty + 1;
      this.failures = 0;
    } catch (err) {
      this.failures++;
      this.lookAgain();
      this.opts.logger.error({ err }, 'outbox relay pass failed; will retry');
    }
  }

  /**
   * One pass: the journaled batches handed over first, then journal documents left behind (at the
   * start and on the timer), then, when due, the documents the pending flag shows. True when it
   * published something (there may be more).
   */
  private pass(): Promise<boolean> {
    const pass = this.onePass();
    this.passing = pass;
    return pass.finally(() => {
      if (this.passing === pass) this.passing = undefined;
    });
  }

  private async onePass(): Promise<boolean> {
    if (await this.passOverJournaled()) return true;
    if (this.lookInJournal && this.batches.length === 0) {
      this.lookInJournal = false;
      if (await this.recoverJournal()) return true;
    }
    if (!this.lookInStore) return false;
    const wakes = this.wakes;
    let published = false;
    for (const model of this.opts.models) {
      if (await this.passOver(model)) published = true;
    }
    // Nothing left to find: until the next wake or poll, only journaled batches come in. (A wake
    // during the pass may be for a write it read too early; documents held back wake it again.)
    if (!published && wakes === this.wakes) this.lookInStore = false;
    return published;
  }

  /** Publishes handed-over batches (up to `batchSize` events) and deletes their journal documents. */
  private async passOverJournaled(): Promise<boolean> {
    const journal = this.opts.journal;
    if (!journal || this.batches.length === 0) return false;
    const taken: JournaledBatch[] = [];
    let events = 0;
    while (this.batches.length > 0 && (taken.length === 0 || events < (this.opts.batchSize ?? 500))) {
      const b = this.batches.shift() as JournaledBatch;
      taken.push(b);
      events += b.entries.length;
    }
    try {
      await this.publishEntries(taken.flatMap((b) => b.entries.map((e) => e.entry)));
    } catch (err) {
      this.batches.unshift(...taken);
      throw err;
    }
    // The journal documents go behind the next publishes, not before them: a delete reads what it
    // deletes on FerretDB (whole batches of events), and the next batch's events waited for it.
    this.forget(taken.map((b) => b.id));
    // Their documents' later events, held back until now, may go.
    let heldBack = false;
    for (const b of taken)
      for (const e of b.entries) {
        const key = `${b.collection}:${e.doc}`;
        journal.unpublished.delete(key);
        heldBack = this.heldBack.delete(key) || heldBack;
      }
    if (heldBack) this.lookAgain();
    return true;
  }

  /**
   * Deletes published batches' journal documents, those queued meanwhile together, one delete at a
   * time. Until deleted they stay `handedOver`, so recovery leaves them; a delete that fails leaves
   * them to recovery, which publishes them again (at least once: consumers apply by revision).
   */
  private forget(ids: string[]): void {
    this.toDelete.push(...ids);
    if (this.deleting) return;
    const journal = this.opts.journal;
    if (!journal) return;
    this.deleting = (async () => {
      await this.linger();
      while (this.toDelete.length > 0) {
        const batch = this.toDelete.splice(0);
        try {
          await journal.model.deleteMany({ _id: { $in: batch } }).exec();
        } catch (err) {
          this.opts.logger.warn(
            { err, batches: batch.length },
            'could not delete published journal batches; recovery takes them',
          );
          this.lookInJournal = true;
        }
        for (const id of batch) this.handedOver.delete(id);
      }
    })().finally(() => {
      this.deleting = undefined;
    });
  }

  /** Waits `deleteLingerMs`, or until `forgotten` hurries it, so that later batches join the delete. */
  private linger(): Promise<void> {
    const ms = this.opts.deleteLingerMs ?? 250;
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.hurry = done;
    }).finally(() => {
      this.hurry = undefined;
    });
  }

  /** Deletes the published batches' journal documents now, and resolves once they are deleted. */
  private async forgotten(): Promise<void> {
    while (this.deleting) {
      this.hurry?.();
      await this.deleting;
    }
  }

  /**
   * Journal documents nobody handed over (their writer stopped between writing the journal and
   * handing the stored batch over): publishes the events of the documents that carry the batch's
   * mark, then deletes the journal document.
   */
  private async recoverJournal(): Promise<boolean> {
    const journal = this.opts.journal;
    if (!journal) return false;
    const before = new Date(Date.now() - (this.opts.journalGraceMs ?? 0));
    // Sorted after the listing: a batch written meanwhile may be in flight or handed over by now.
    const left = (await journal.model.find({}, { _id: 1, createdAt: 1 }).lean().exec()).filter(
      (j) =>
        !journal.inFlight.has(j._id) &&
        !this.handedOver.has(j._id) &&
        (this.opts.journalGraceMs ? new Date(j.createdAt) < before : true),
    );
    for (const { _id } of left) {
      const j = await journal.model.findById(_id).lean().exec();
      if (!j) continue;
      const target = journal.model.db.collection(j.target);
      const ids = [...new Set(j.entries.map((e) => e.doc))];
      const stored = new Set(
        (
          await target
            .find({ _id: { $in: ids as never[] }, outboxJournal: j._id }, { projection: { _id: 1 } })
            .toArray()
        ).map((d) => String(d._id)),
      );
      await this.publishEntries(j.entries.filter((e) => stored.has(e.doc)).map((e) => e.entry));
      await journal.model.deleteOne({ _id }).exec();
      this.opts.logger.info({ batch: _id, events: stored.size }, 'outbox journal recovered');
    }
    return left.length > 0;
  }

  private async publishEntries(entries: OutboxEntry[]): Promise<void> {
    await publishSerialised(
      this.opts.producer,
      entries.map((e) => ({ topic: e.topic, value: e.envelope, id: e.id, ...entryHeaders(e) })),
    );
  }

  // biome-ignore lint/suspicious/noExplicitAny: see RelayOptions.models
  private async passOver(model: Model<any>): Promise<boolean> {
    const found = (await model
      .find({ outboxPending: true, ...this.opts.filter?.() }, { outbox: 1, outboxToken: 1 })
      .limit(this.opts.batchSize ?? 500)
      .lean()
      .exec()) as unknown as (WithOutbox & { _id: unknown })[];
    // A document whose journaled events are not out yet keeps its later ones until they are.
    const held = this.opts.journal?.unpublished;
    const docs = held
      ? found.filter((d) => {
          const key = `${model.collection.name}:${String(d._id)}`;
          if (!held.has(key)) return true;
          this.heldBack.add(key);
          return false;
        })
      : found;
    if (docs.length === 0) return false;
    await this.publishAndClear(model, docs);
    return true;
  }

  /**
   * Publishes the documents' events in one send, then empties, in one update, the outboxes of those
   * whose token is unchanged (nobody wrote them since); from the others (written again meanwhile,
   * or left by a version without tokens) the published events are removed one by one.
   */
  private async publishAndClear(
    // biome-ignore lint/suspicious/noExplicitAny: see RelayOptions.models
    model: Model<any>,
    docs: (WithOutbox & { _id: unknown })[],
  ): Promise<void> {
    const keyOf = (id: unknown) => `${model.collection.name}:${String(id)}`;
    await this.publishEntries(docs.flatMap((d) => d.outbox));
    const tokens = docs.map((d) => d.outboxToken).filter((t): t is string => typeof t === 'string');
    let cleared = 0;
    if (tokens.length > 0) {
      const r = await this.lockedAll(
        docs.map((d) => keyOf(d._id)),
        () =>
          model
            .updateMany(
              { outboxToken: { $in: tokens } },
              { $set: { outbox: [], outboxPending: false }, $unset: { outboxToken: 1 } },
            )
            .exec(),
      );
      cleared = r.modifiedCount;
    }
    if (cleared === docs.length) return;
    const left = (await model
      .find({ _id: { $in: docs.map((d) => d._id) }, outboxPending: true }, { _id: 1 })
      .lean()
      .exec()) as { _id: unknown }[];
    const sent = new Map(docs.map((d) => [String(d._id), d.outbox]));
    for (const { _id } of left)
      await this.removePublished(model, keyOf(_id), _id, sent.get(String(_id)) ?? []);
    // Written again since: what else they hold is found by the pending flag.
    if (left.length > 0) this.lookAgain();
  }

  private locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.opts.locks ? this.opts.locks.with(key, fn) : fn();
  }

  private lockedAll<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    return this.opts.locks ? this.opts.locks.withAll(keys, fn) : fn();
  }

  /** Removes exactly the entries that were published from one document, and its flag if empty. */
  private async removePublished(
    // biome-ignore lint/suspicious/noExplicitAny: see RelayOptions.models
    model: Model<any>,
    key: string,
    id: unknown,
    entries: OutboxEntry[],
  ): Promise<void> {
    // Removed by exact value with $pullAll: FerretDB v1 matches $pull conditions against whole
    // elements only, so `$pull: { outbox: { id } }` silently removes nothing there. Entries are
    // passed back exactly as read, field order included.
    await this.locked(key, async () => {
      if (entries.length > 0)
        await model.updateOne(
          { _id: id },
          { $pullAll: { outbox: entries.map((e) => ({ id: e.id, topic: e.topic, envelope: e.envelope })) } },
        );
      await model.updateOne(
        { _id: id, outboxPending: true, 'outbox.0': { $exists: false } },
        { $set: { outboxPending: false }, $unset: { outboxToken: 1 } },
      );
    });
  }
}
