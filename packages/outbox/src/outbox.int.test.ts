import { Topics, topicName } from '@mutirao/contracts';
import { baseApp, Conflict } from '@mutirao/http';
import { KeyedLocks } from '@mutirao/kernel';
import { consume, createKafka, ensureTopics, makeEnvelope } from '@mutirao/messaging';
import { createLogger } from '@mutirao/telemetry';
import { eventually, testEnv } from '@mutirao/testing';
import { Router } from 'express';
import type { Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Schema } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type JournaledBatch, OutboxJournal } from './journal';
import { connectMongo, isDuplicateKey } from './mongo';
import { appendEvents, outboxFields, pendingEvents, toEntry, type WithOutbox } from './outbox';
import { OutboxRelay, type RelayOptions } from './relay';

const env = testEnv();
const logger = createLogger('outbox-test', 'silent');
let conn: Connection;

interface Thing extends Partial<WithOutbox> {
  _id: string;
  email: string;
  tags: string[];
  amount: { value: number; currency: string };
  createdAt: Date;
  revision: number;
}
const ThingSchema = new Schema<Thing>({
  _id: String,
  email: { type: String, required: true, unique: true },
  tags: [String],
  amount: { value: Number, currency: String },
  createdAt: Date,
  revision: Number,
  ...outboxFields,
});

beforeAll(async () => {
  conn = await connectMongo(env.mongoUrl, env.dbName);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('mongoose on the MongoDB-wire server', () => {
  it('round-trips a document with nested fields, arrays and dates', async () => {
    const Things = conn.model('Thing', ThingSchema);
    await Things.init();
    const createdAt = new Date('2026-01-02T03:04:05.678Z');
    await Things.create({
      _id: 'a',
      email: 'a@x.example',
      tags: ['x', 'y'],
      amount: { value: 12.5, currency: 'XOF' },
      createdAt,
      revision: 1,
    });
    const back = await Things.findById('a').lean();
    expect(back).toMatchObject({
      _id: 'a',
      email: 'a@x.example',
      tags: ['x', 'y'],
      amount: { value: 12.5, currency: 'XOF' },
      revision: 1,
    });
    expect(back?.createdAt.toISOString()).toBe(createdAt.toISOString());
  });

  it('turns a unique-index violation into a 409 problem, and the service keeps answering', async () => {
    const Things = conn.model('Thing', ThingSchema);
    await Things.init();
    const routes = Router();
    routes.post('/things', async (req, res) => {
      try {
        await Things.create({ _id: req.body.id, email: req.body.email, revision: 1 });
      } catch (err) {
        if (isDuplicateKey(err)) throw new Conflict(`email ${req.body.email} is already registered`);
        throw err;
      }
      res.status(201).json({ id: req.body.id });
    });
    const app = baseApp({ logger, readiness: {}, routes: [routes] });
    await request(app).post('/things').send({ id: 'u1', email: 'dup@x.example' }).expect(201);
    const dup = await request(app).post('/things').send({ id: 'u2', email: 'dup@x.example' });
    expect(dup.status).toBe(409);
    expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(dup.body).toMatchObject({
      status: 409,
      title: 'Conflict',
      detail: 'email dup@x.example is already registered',
    });
    expect(await Things.countDocuments({ email: 'dup@x.example' })).toBe(1);
    await request(app).post('/things').send({ id: 'u3', email: 'other@x.example' }).expect(201);
  });
});

describe('outbox relay', () => {
  /** A relay and a consumer of its topic on a fresh collection; what the consumer saw, by subject. */
  async function relaySetup(
    name: string,
    producerOf: (p: Producer) => Producer = (p) => p,
    journal = new OutboxJournal(conn, `${name.toLowerCase()}_journal`),
    more: Partial<RelayOptions> = {},
  ) {
    const Things = conn.model(name, ThingSchema);
    await Things.init();
    const topic = topicName(Topics.organisation, env.unique('t'));
    const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('relay') });
    await ensureTopics(kafka, [topic], 3);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const locks = new KeyedLocks();
    const relay = new OutboxRelay({
      models: [Things],
      producer: producerOf(producer),
      logger,
      locks,
      journal,
      pollMs: 60_000,
      batchSize: 100,
      ...more,
    });
    const seen = new Map<string, number[]>();
    const consumer = await consume({
      kafka,
      groupId: env.unique('g'),
      topics: [topic],
      schemas: { 'org.mutirao.test.changed': z.object({ revision: z.number() }) },
      handler: async (e) => {
        seen.set(e.subject, [...(seen.get(e.subject) ?? []), e.data.revision]);
      },
      logger,
    });
    const ev = (subject: string, revision: number) =>
      toEntry(
        topic,
        makeEnvelope({ type: 'org.mutirao.test.changed', source: 'test', subject, data: { revision } }),
      );
    return {
      Things,
      journal,
      relay,
      locks,
      seen,
      ev,
      async stop() {
        await relay.stop();
        await consumer.stop();
        await producer.disconnect();
      },
    };
  }

  it('publishes the events written with a change, in order, then removes them', async () => {
    const t = await relaySetup('OutboxThing');
    try {
      // Written as a version without tokens did: the relay removes the events one by one.
      const [created] = [t.ev('o1', 1)];
      await t.Things.create({
        _id: 'o1',
        email: 'o1@x.example',
        revision: 1,
        outbox: [created],
        outboxPending: true,
      });
      await t.Things.updateOne(
        { _id: 'o1', revision: 1 },
        appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('o1', 2)]),
      );
      t.relay.start();
      await eventually(() => (t.seen.get('o1') ?? []).length >= 2, { what: 'both events' });
      expect(t.seen.get('o1')).toEqual([1, 2]);
      const doc = await eventually(
        async () => {
          const d = await t.Things.findById('o1').lean();
          return d && d.outbox?.length === 0 && !d.outboxPending ? d : undefined;
        },
        { what: 'outbox emptied' },
      );
      expect(doc.revision).toBe(2);
    } finally {
      await t.stop();
    }
  });

  it('publishes the events of a thousand documents in batches and empties every outbox', async () => {
    const t = await relaySetup('BatchThing');
    try {
      const docs = Array.from({ length: 1_000 }, (_, i) => ({
        _id: `b${i}`,
        email: `b${i}@x.example`,
        revision: 1,
        ...pendingEvents([t.ev(`b${i}`, 1)]),
      }));
      await t.Things.insertMany(docs);
      t.relay.start();
      await eventually(() => t.seen.size === 1_000, {
        what: 'the event of every document',
        timeoutMs: 60_000,
      });
      await eventually(async () => (await t.Things.countDocuments({ outboxPending: true })) === 0, {
        what: 'every outbox emptied',
      });
      expect(await t.Things.countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
      expect(await t.Things.countDocuments({ outboxToken: { $exists: true } })).toBe(0);
      expect([...t.seen.values()].every((revisions) => revisions.length === 1)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('keeps an event written while the relay was publishing the ones before it', async () => {
    let appendOnce: (() => Promise<unknown>) | undefined;
    // The real producer, with a write to the document slipped in while its batch is on the way.
    const slipIn = (p: Producer) =>
      new Proxy(p, {
        get(target, prop, receiver) {
          if (prop !== 'sendBatch') return Reflect.get(target, prop, receiver);
          return async (batch: Parameters<Producer['sendBatch']>[0]) => {
            const append = appendOnce;
            appendOnce = undefined;
            if (append) await append();
            return target.sendBatch(batch);
          };
        },
      });
    const t = await relaySetup('RacedThing', slipIn);
    try {
      await t.Things.create({
        _id: 'r1',
        email: 'r1@x.example',
        revision: 1,
        ...pendingEvents([t.ev('r1', 1)]),
      });
      appendOnce = () =>
        t.locks.with('racedthings:r1', () =>
          t.Things.updateOne({ _id: 'r1' }, appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('r1', 2)])),
        );
      t.relay.start();
      await eventually(() => (t.seen.get('r1') ?? []).includes(2), { what: 'the event written meanwhile' });
      await eventually(
        async () => {
          const d = await t.Things.findById('r1').lean();
          return d && d.outbox?.length === 0 && !d.outboxPending ? d : undefined;
        },
        { what: 'the outbox emptied' },
      );
      expect(t.seen.get('r1')).toEqual([1, 2]);
    } finally {
      await t.stop();
    }
  });

  it('publishes journaled inserts, deletes their journal, and keeps an event written after the insert', async () => {
    const t = await relaySetup('JournaledThing');
    try {
      t.relay.start();
      const items = Array.from({ length: 400 }, (_, i) => ({
        doc: { _id: `m${i}`, email: `m${i}@x.example`, revision: 1, outbox: [], outboxPending: false },
        entries: [t.ev(`m${i}`, 1)],
      }));
      const stored = await t.journal.insertMany(t.Things, items);
      expect(stored.every(Boolean)).toBe(true);
      await t.locks.with('journaledthings:m7', () =>
        t.Things.updateOne({ _id: 'm7' }, appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('m7', 2)])),
      );
      t.relay.wake();
      await eventually(() => t.seen.size === 400 && (t.seen.get('m7') ?? []).includes(2), {
        what: 'every inserted event and the later one',
        timeoutMs: 60_000,
      });
      await eventually(async () => (await t.journal.model.countDocuments()) === 0, {
        what: 'the journal emptied',
      });
      await eventually(async () => (await t.Things.countDocuments({ outboxPending: true })) === 0, {
        what: 'the later outbox emptied',
      });
      expect(t.seen.get('m7')).toEqual([1, 2]);
      expect([...t.seen.entries()].filter(([k]) => k !== 'm7').every(([, r]) => r.length === 1)).toBe(true);
      // A duplicate of a stored document is refused, and its event never published.
      const again = await t.journal.insertMany(t.Things, [
        { doc: { _id: 'm1', email: 'm1-again@x.example', revision: 1 }, entries: [t.ev('m1', 9)] },
      ]);
      expect(again).toEqual([false]);
      await eventually(async () => (await t.journal.model.countDocuments()) === 0, {
        what: 'that journal gone',
      });
      expect(t.seen.get('m1')).toEqual([1]);
    } finally {
      await t.stop();
    }
  });

  it('publishes journaled inserts without looking for pending flags in the store', async () => {
    const t = await relaySetup('QuietThing');
    try {
      t.relay.start();
      await t.relay.drain();
      const finds = vi.spyOn(t.Things, 'find');
      for (let b = 0; b < 10; b++) {
        const stored = await t.journal.insertMany(
          t.Things,
          Array.from({ length: 5 }, (_, i) => ({
            doc: { _id: `q${b}-${i}`, email: `q${b}-${i}@x.example`, revision: 1 },
            entries: [t.ev(`q${b}-${i}`, 1)],
          })),
        );
        expect(stored.every(Boolean)).toBe(true);
      }
      await eventually(() => t.seen.size === 50, { what: 'the 50 inserted events' });
      await t.relay.settled();
      // Nothing was written outside the journal: a pass over the pending flags would find nothing.
      expect(finds).not.toHaveBeenCalled();
    } finally {
      await t.stop();
    }
  });

  it('deletes the journal documents of batches published one after another together, and all at a stop', async () => {
    // Long enough that the ten batches below are all published before the first delete.
    const t = await relaySetup('LingerThing', (p) => p, undefined, { deleteLingerMs: 60_000 });
    let stopped = false;
    try {
      t.relay.start();
      const deletes = vi.spyOn(t.journal.model, 'deleteMany');
      for (let i = 0; i < 10; i++) {
        const stored = await t.journal.insertMany(t.Things, [
          { doc: { _id: `l${i}`, email: `l${i}@x.example`, revision: 1 }, entries: [t.ev(`l${i}`, 1)] },
        ]);
        expect(stored).toEqual([true]);
        await eventually(() => t.seen.has(`l${i}`), { what: `the event of l${i}` });
      }
      // Published, each alone, and their journal documents still there: a crash now publishes them
      // again (at least once), and nothing was deleted yet.
      expect(await t.journal.model.countDocuments()).toBe(10);
      expect(deletes).not.toHaveBeenCalled();
      // A stop does not wait for the linger: it deletes them at once, in one delete.
      await t.stop();
      stopped = true;
      expect(await t.journal.model.countDocuments()).toBe(0);
      expect(deletes).toHaveBeenCalledTimes(1);
    } finally {
      if (!stopped) await t.stop();
    }
  });

  it('writes inserts that come while one is under way together, each call with its own results', async () => {
    const t = await relaySetup('GroupedThing');
    try {
      t.relay.start();
      const one = (id: string, email = `${id}@x.example`) => [
        { doc: { _id: id, email, revision: 1 }, entries: [t.ev(id, 1)] },
      ];
      expect(await t.journal.insertMany(t.Things, one('g-taken'))).toEqual([true]);
      const journalWrites = vi.spyOn(t.journal.model.collection, 'insertOne');
      const inserts = vi.spyOn(t.Things.collection, 'insertMany');
      const calls = [
        ...Array.from({ length: 20 }, (_, i) => t.journal.insertMany(t.Things, one(`g${i}`))),
        // A duplicate _id, and a call of two where the second takes an e-mail already taken.
        t.journal.insertMany(t.Things, one('g-taken', 'other@x.example')),
        t.journal.insertMany(t.Things, [...one('g-pair-a'), ...one('g-pair-b', 'g-taken@x.example')]),
      ];
      const results = await Promise.all(calls);
      expect(results.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => [true]));
      expect(results[20]).toEqual([false]);
      expect(results[21]).toEqual([true, false]);
      // The first call wrote alone; the others waited for it and went together.
      expect(journalWrites.mock.calls.length).toBeLessThan(calls.length);
      expect(inserts.mock.calls.length).toBeLessThan(calls.length);
      await eventually(() => t.seen.size === 22, { what: 'the events of the 22 documents stored' });
      expect(t.seen.has('g-pair-b')).toBe(false);
      expect(await t.Things.countDocuments({ _id: /^g/ })).toBe(22);
      await eventually(async () => (await t.journal.model.countDocuments()) === 0, {
        what: 'the journal emptied',
      });
    } finally {
      await t.stop();
    }
  });

  it('recovers a journal left by a process that stopped before handing its batch over', async () => {
    // The process that wrote the journal and the documents died before its relay heard of them.
    const orphan = new OutboxJournal(conn, 'orphanthings_journal');
    const t = await relaySetup('OrphanThing', (p) => p, orphan);
    try {
      orphan.listener = undefined;
      await orphan.insertMany(t.Things, [
        { doc: { _id: 'o1', email: 'o1@x.example', revision: 1 }, entries: [t.ev('o1', 1)] },
        { doc: { _id: 'o2', email: 'o2@x.example', revision: 1 }, entries: [t.ev('o2', 1)] },
      ]);
      // A batch whose documents were never stored: its events must not go out.
      await orphan.model.collection.insertOne({
        _id: 'never-stored' as never,
        target: t.Things.collection.name,
        createdAt: new Date(),
        entries: [{ doc: 'o3', entry: t.ev('o3', 1) }],
      });
      orphan.listener = t.relay;
      t.relay.start();
      await eventually(async () => (await orphan.model.countDocuments()) === 0, {
        what: 'the journal recovered',
      });
      await eventually(() => t.seen.size === 2, { what: "the stored documents' events" });
      expect([...t.seen.keys()].sort()).toEqual(['o1', 'o2']);
    } finally {
      await t.stop();
    }
  });

  it('publishes an event whose wake came while a pass was finding nothing', async () => {
    const t = await relaySetup('LateThing');
    try {
      await t.Things.create({ _id: 'l1', email: 'l1@x.example', revision: 1 });
      t.relay.start();
      // The next look at the pending flags reads nothing; the write and its wake land meanwhile.
      let slipIn: (() => Promise<void>) | undefined = async () => {
        await t.Things.updateOne(
          { _id: 'l1' },
          appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('l1', 2)]),
        );
        t.relay.wake();
      };
      const find = t.Things.find.bind(t.Things);
      (t.Things as unknown as { find: unknown }).find = (...args: Parameters<typeof find>) => {
        const query = find(...args);
        const exec = query.exec.bind(query);
        query.exec = async () => {
          const found = await exec();
          const write = slipIn;
          slipIn = undefined;
          if (write) await write();
          return found;
        };
        return query;
      };
      t.relay.wake();
      await eventually(() => (t.seen.get('l1') ?? []).includes(2), {
        what: 'the event woken for',
        timeoutMs: 10_000,
      });
    } finally {
      await t.stop();
    }
  });

  it("publishes a new document's journaled event before an update's, even when the update is found first", async () => {
    const t = await relaySetup('OrderedThing');
    try {
      t.relay.start();
      // The start-up look for journals left behind is over before the insert, as in a service.
      await t.relay.drain();
      // The insert's hand-over to the relay comes late: the update is pending in the store first.
      const relay = t.journal.listener;
      let late: JournaledBatch | undefined;
      t.journal.listener = {
        journaled: (b) => {
          late = b;
        },
      };
      await t.journal.insertMany(t.Things, [
        { doc: { _id: 'x1', email: 'x1@x.example', revision: 1 }, entries: [t.ev('x1', 1)] },
      ]);
      await t.locks.with('orderedthings:x1', () =>
        t.Things.updateOne({ _id: 'x1' }, appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('x1', 2)])),
      );
      // Every pass the relay would make now, made: the update's document is in the store to find.
      await t.relay.drain();
      t.journal.listener = relay;
      if (late) relay?.journaled(late);
      await eventually(() => (t.seen.get('x1') ?? []).length >= 2, { what: 'both events' });
      expect(t.seen.get('x1')).toEqual([1, 2]);
    } finally {
      await t.stop();
    }
  });

  it('publishes a batch once when the look for journals left behind reads it while it is being inserted', async () => {
    const t = await relaySetup('ListedThing');
    try {
      // The relay's start-up look lists the journal while an insert is on its way: the listing
      // reads the new journal document, and by the time it is sorted, the batch is handed over.
      const find = t.journal.model.find.bind(t.journal.model);
      let insertDuring: (() => Promise<unknown>) | undefined = () =>
        t.journal.insertMany(t.Things, [
          { doc: { _id: 'l1', email: 'l1@x.example', revision: 1 }, entries: [t.ev('l1', 1)] },
        ]);
      (t.journal.model as unknown as { find: unknown }).find = (...args: Parameters<typeof find>) => {
        const query = find(...args);
        const exec = query.exec.bind(query);
        query.exec = async () => {
          const insert = insertDuring;
          insertDuring = undefined;
          if (insert) await insert();
          return exec();
        };
        return query;
      };
      t.relay.start();
      await eventually(() => (t.seen.get('l1') ?? []).length >= 1, { what: 'the inserted event' });
      // A later event of the same document goes out after every copy of the first.
      await t.locks.with('listedthings:l1', () =>
        t.Things.updateOne({ _id: 'l1' }, appendEvents<Thing>({ $set: { revision: 2 } }, [t.ev('l1', 2)])),
      );
      t.relay.wake();
      await eventually(() => (t.seen.get('l1') ?? []).includes(2), { what: 'the later event' });
      expect(t.seen.get('l1')).toEqual([1, 2]);
    } finally {
      await t.stop();
    }
  });
});
