import type { CloudEvent } from '@mutirao/contracts';
import { publish } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Producer } from 'kafkajs';
import type { Model } from 'mongoose';
import type { WriteLocks } from './locks';
import type { OutboxEntry, WithOutbox } from './outbox';

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
  /** Documents read, published and cleared together (default 300: one send stays well under 1 MB per partition). */
  batchSize?: number;
  /**
   * The service's per-document write locks. On FerretDB v1 the relay's removal must not overlap a
   * request's append to the same document (see DocumentLocks); keys are `<collection>:<_id>`.
   */
  locks?: WriteLocks;
}

/**
 * Publishes the events pending in aggregate documents, then removes them. A crash between the
 * publish and the removal republishes on the next pass: at-least-once, never lost. Consumers
 * apply by revision, so a duplicate changes nothing.
 *
 * `wake()` after a local write makes the usual delay a few milliseconds; the slow poll catches the
 * rest.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  /** Passes in a row that found nothing to publish. */
  private empty = 0;

  constructor(private readonly opts: RelayOptions) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** A write left events: publish them now, and poll at the base pace again. */
  wake(): void {
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
    this.running = this.loop().finally(() => {
      this.running = undefined;
      this.schedule();
    });
  }

  /** Runs passes until nothing is pending (for tests and orderly stops). */
  async drain(): Promise<void> {
    await this.running;
    while (await this.pass()) {
      // keep going
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
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
    this.timer = setTimeout(() => this.run(), delay);
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
      this.opts.logger.error({ err }, 'outbox relay pass failed; will retry');
    }
  }

  /** One pass over every model; true when it published something (there may be more). */
  private async pass(): Promise<boolean> {
    let published = false;
    for (const model of this.opts.models) {
      if (await this.passOver(model)) published = true;
    }
    return published;
  }

  /**
   * Publishes the events of up to `batchSize` pending documents in one send, then empties their
   * outboxes in one update of the documents whose token is unchanged: those nobody wrote since they
   * were read. The others (written again meanwhile, or left by a version without tokens) have the
   * published events removed one by one.
   */
  // biome-ignore lint/suspicious/noExplicitAny: see RelayOptions.models
  private async passOver(model: Model<any>): Promise<boolean> {
    const docs = (await model
      .find({ outboxPending: true }, { outbox: 1, outboxToken: 1 })
      .limit(this.opts.batchSize ?? 300)
      .lean()
      .exec()) as unknown as (WithOutbox & { _id: unknown })[];
    if (docs.length === 0) return false;
    const keyOf = (id: unknown) => `${model.collection.name}:${String(id)}`;
    await publish(
      this.opts.producer,
      docs.flatMap((d) =>
        d.outbox.map((e) => ({ topic: e.topic, envelope: JSON.parse(e.envelope) as CloudEvent })),
      ),
    );
    const tokens = docs.map((d) => d.outboxToken).filter((t): t is string => typeof t === 'string');
    if (tokens.length > 0) {
      await this.lockedAll(
        docs.map((d) => keyOf(d._id)),
        () =>
          model
            .updateMany(
              { outboxToken: { $in: tokens } },
              { $set: { outbox: [], outboxPending: false }, $unset: { outboxToken: 1 } },
            )
            .exec(),
      );
    }
    const left = (await model
      .find({ _id: { $in: docs.map((d) => d._id) }, outboxPending: true }, { _id: 1 })
      .lean()
      .exec()) as { _id: unknown }[];
    const sent = new Map(docs.map((d) => [String(d._id), d.outbox]));
    for (const { _id } of left)
      await this.removePublished(model, keyOf(_id), _id, sent.get(String(_id)) ?? []);
    return true;
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
