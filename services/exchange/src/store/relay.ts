import type { CloudEvent } from '@mutirao/contracts';
import { publish } from '@mutirao/messaging';
import type { OutboxEntry, WithOutbox } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Producer } from 'kafkajs';
import type { DocLocks } from './locks';
import type { PostingModel } from './postings';

/**
 * The store-then-relay outbox of `@mutirao/outbox`, with one difference: removing published
 * entries takes the document's lock (see DocLocks), so it cannot erase an event a request appends
 * at the same moment on FerretDB v1. Publishing is at-least-once: a crash between the publish and
 * the removal republishes; consumers drop the duplicate by revision.
 */
export class PostingRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly opts: {
      models: PostingModel[];
      locks: DocLocks;
      producer: Producer;
      logger: Logger;
      /** The safety net: how often to look for events nobody woke the relay for. */
      pollMs: number;
      batchSize?: number;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Called right after a local write: the usual delay is then a few milliseconds. */
  wake(): void {
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

  /** Runs passes until nothing is pending (tests, orderly stops). */
  async drain(): Promise<void> {
    await this.running;
    while (await this.pass()) {
      // more pending
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
      this.wake();
      return;
    }
    const base = this.opts.pollMs;
    const delay = this.failures > 0 ? Math.min(base, 100 * 2 ** this.failures) : base;
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && (await this.pass())) {
          // more pending
        }
      } while (this.again && !this.stopped);
      this.failures = 0;
    } catch (err) {
      this.failures++;
      this.opts.logger.error({ err }, 'outbox relay pass failed; will retry');
    }
  }

  private async pass(): Promise<boolean> {
    let published = false;
    for (const model of this.opts.models) {
      const docs = await model
        .find({ outboxPending: true }, { outbox: 1 })
        .limit(this.opts.batchSize ?? 100)
        .lean<(WithOutbox & { _id: string })[]>()
        .exec();
      for (const doc of docs) {
        const key = `${model.collection.name}:${doc._id}`;
        if (doc.outbox.length > 0) {
          await this.publishDoc(model, key, doc._id, doc.outbox);
          published = true;
        } else {
          await this.opts.locks.with(key, () =>
            model.updateOne(
              { _id: doc._id, 'outbox.0': { $exists: false } },
              { $set: { outboxPending: false } },
            ),
          );
        }
      }
    }
    return published;
  }

  private async publishDoc(
    model: PostingModel,
    key: string,
    id: string,
    entries: OutboxEntry[],
  ): Promise<void> {
    await publish(
      this.opts.producer,
      entries.map((e) => ({ topic: e.topic, envelope: JSON.parse(e.envelope) as CloudEvent })),
    );
    await this.opts.locks.with(key, async () => {
      // By exact value: FerretDB v1 ignores `$pull` conditions on sub-document fields.
      await model.updateOne(
        { _id: id },
        { $pullAll: { outbox: entries.map((e) => ({ id: e.id, topic: e.topic, envelope: e.envelope })) } },
      );
      await model.updateOne({ _id: id, 'outbox.0': { $exists: false } }, { $set: { outboxPending: false } });
    });
  }
}
