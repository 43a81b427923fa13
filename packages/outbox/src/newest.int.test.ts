import { KeyedLocks } from '@mutirao/kernel';
import { testEnv } from '@mutirao/testing';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo } from './mongo';
import { keepNewest, keepNewestMany } from './newest';

const env = testEnv();
let conn: Connection;
let model: Model<Row>;

interface Row {
  _id: string;
  revision: number;
  snapshot: { name: string; tags: string[]; extra: Record<string, unknown> };
}

beforeAll(async () => {
  conn = await connectMongo(env.mongoUrl, env.dbName);
  model = conn.model<Row>(
    'Row',
    new Schema<Row>(
      { _id: String, revision: Number, snapshot: Schema.Types.Mixed },
      { versionKey: false, minimize: false },
    ),
    'rows',
  );
  await model.init();
});
afterAll(async () => {
  await conn?.dropDatabase();
  await conn?.close();
});

const snapshot = (name: string) => ({ name, tags: ['a'], extra: {} });
const held = (id: string) => model.findById(id).lean<Row>().exec();

describe('keepNewest on a real FerretDB', () => {
  it('stores a new document, a newer revision, and nothing older or equal', async () => {
    const locks = new KeyedLocks();
    const keep = (revision: number, name: string) =>
      keepNewest(model, locks, 'r1', revision, { snapshot: snapshot(name) });
    expect(await keep(2, 'second')).toBe('applied');
    expect(await held('r1')).toEqual({ _id: 'r1', revision: 2, snapshot: snapshot('second') });
    expect(await keep(1, 'first')).toBe('stale');
    expect(await keep(2, 'second again')).toBe('stale');
    expect(await held('r1')).toEqual({ _id: 'r1', revision: 2, snapshot: snapshot('second') });
    expect(await keep(5, 'fifth')).toBe('applied');
    expect(await held('r1')).toEqual({ _id: 'r1', revision: 5, snapshot: snapshot('fifth') });
    expect(await model.countDocuments()).toBe(1);
  });

  it('ends with the newest of many revisions arriving at once, in any order', async () => {
    const locks = new KeyedLocks();
    const revisions = [7, 3, 12, 1, 9, 12, 4, 11, 2, 8, 6, 10, 5];
    const results = await Promise.all(
      revisions.map((r) => keepNewest(model, locks, 'r2', r, { snapshot: snapshot(`rev ${r}`) })),
    );
    expect(await held('r2')).toEqual({ _id: 'r2', revision: 12, snapshot: snapshot('rev 12') });
    // The first to arrive is applied; of the two 12s, only one.
    expect(results[0]).toBe('applied');
    expect(results.filter((r, i) => r === 'applied' && revisions[i] === 12)).toHaveLength(1);
  });

  it('keeps a batch in one go: new documents, newer and older revisions, an id twice', async () => {
    const locks = new KeyedLocks();
    await keepNewest(model, locks, 'm-old', 3, { snapshot: snapshot('old 3') });
    await keepNewest(model, locks, 'm-new', 9, { snapshot: snapshot('new 9') });
    const rows = [
      { id: 'm-fresh', revision: 1, fields: { snapshot: snapshot('fresh 1') } },
      { id: 'm-old', revision: 4, fields: { snapshot: snapshot('old 4') } },
      { id: 'm-new', revision: 8, fields: { snapshot: snapshot('new 8') } },
      { id: 'm-twice', revision: 2, fields: { snapshot: snapshot('twice 2') } },
      { id: 'm-twice', revision: 1, fields: { snapshot: snapshot('twice 1') } },
    ];
    expect(await keepNewestMany(model, locks, rows)).toEqual([
      'applied',
      'applied',
      'stale',
      'applied',
      'stale',
    ]);
    expect(await held('m-fresh')).toEqual({ _id: 'm-fresh', revision: 1, snapshot: snapshot('fresh 1') });
    expect(await held('m-old')).toEqual({ _id: 'm-old', revision: 4, snapshot: snapshot('old 4') });
    expect(await held('m-new')).toEqual({ _id: 'm-new', revision: 9, snapshot: snapshot('new 9') });
    expect(await held('m-twice')).toEqual({ _id: 'm-twice', revision: 2, snapshot: snapshot('twice 2') });
    expect(await keepNewestMany(model, locks, rows)).toEqual(['stale', 'stale', 'stale', 'stale', 'stale']);
  });
});
