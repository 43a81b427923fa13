import { testEnv } from '@mutirao/testing';
import { type Collection, type Db, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What infra/ferretdb/ferretdb-v1.24.2.patch gives the embedded FerretDB, asked of the server
 * itself: the query plans use the indexes, and no pushed-down filter loses a document MongoDB
 * would match. A FerretDB built without the patch (an upgrade that lost it) fails here. On MongoDB
 * the plans are MongoDB's own business, and the results must be the same.
 */
const env = testEnv();
let client: MongoClient;
let db: Db;
let things: Collection<Thing>;
let isFerretdb = false;

interface Thing {
  _id: string;
  email: string;
  status: string;
  flag: boolean;
  tags: string[] | string;
  text: string;
  n: number;
}

const COUNT = 3_000;
const thing = (i: number): Thing => ({
  _id: `t${i}`,
  email: `e${i}@example.org`,
  status: i % 3 === 0 ? 'closed' : 'open',
  flag: i % 500 === 0,
  // A field that is an array in some documents and a string in others.
  tags: i % 2 === 0 ? ['a', `t${i % 10}`] : `t${i % 10}`,
  text: `ação <&> "quoted" \\ ${i}`,
  n: i,
});

beforeAll(async () => {
  client = new MongoClient(env.mongoUrl, { retryWrites: false });
  await client.connect();
  db = client.db(env.dbName);
  const info = await db.admin().command({ buildInfo: 1 });
  isFerretdb = typeof info.ferretdbVersion === 'string';
  things = db.collection<Thing>('things');
  await things.createIndex({ email: 1 }, { unique: true });
  await things.createIndex({ flag: 1 });
  await things.createIndex({ status: 1, n: 1 });
  await things.createIndex({ tags: 1 });
  for (let i = 0; i < COUNT; i += 1_000)
    await things.insertMany(Array.from({ length: 1_000 }, (_, k) => thing(i + k)));
});

afterAll(async () => {
  await db?.dropDatabase();
  await client?.close();
});

/** The SQLite plan FerretDB reports for a find with this filter, one line per step. */
async function plan(filter: object): Promise<{ lines: string[]; pushdown: boolean }> {
  const r = await db.command({ explain: { find: 'things', filter }, verbosity: 'queryPlanner' });
  return { lines: (r.queryPlanner?.Plan ?? []) as string[], pushdown: r.filterPushdown === true };
}

const ids = (docs: { _id: string }[]) => docs.map((d) => d._id).sort();
const expected = (pick: (t: Thing) => boolean) =>
  Array.from({ length: COUNT }, (_, i) => thing(i))
    .filter(pick)
    .map((t) => t._id)
    .sort();

describe('filters pushed down to SQLite use the indexes', () => {
  const shapes: [string, object, string][] = [
    ['a bare _id', { _id: 't5' }, '__id_'],
    ['_id beside another key', { _id: 't5', status: 'open' }, '__id_'],
    ['_id in a list', { _id: { $in: ['t5', 't7'] } }, '__id_'],
    ['a string field with a unique index', { email: 'e5@example.org' }, '_email_1'],
    ['a boolean field', { flag: true }, '_flag_1'],
    ['the first key of a compound index', { status: 'open' }, '_status_1_n_1'],
    ['a string field in a list', { status: { $in: ['open', 'pending'] } }, '_status_1_n_1'],
  ];
  for (const [what, filter, index] of shapes) {
    it(`for ${what}`, async (ctx) => {
      if (!isFerretdb) ctx.skip();
      const p = await plan(filter);
      expect(p.pushdown).toBe(true);
      expect(p.lines.join('\n')).not.toMatch(/\bSCAN\b/);
      expect(p.lines.join('\n')).toMatch(new RegExp(`SEARCH \\S+ USING INDEX \\S+${index} `));
    });
  }
});

describe('a pushed-down filter finds every document MongoDB would', () => {
  it('by _id, alone, beside other keys and in a list', async () => {
    expect(ids(await things.find({ _id: 't5' }).toArray())).toEqual(['t5']);
    expect(ids(await things.find({ _id: 't3', status: 'open' }).toArray())).toEqual([]);
    expect(ids(await things.find({ _id: 't4', status: 'open' }).toArray())).toEqual(['t4']);
    expect(ids(await things.find({ _id: { $in: ['t1', 't2', 'nope'] } }).toArray())).toEqual(['t1', 't2']);
  });

  it('by a field that holds the value or an array holding it', async () => {
    expect(ids(await things.find({ tags: 't4' }).toArray())).toEqual(
      expected((t) => (Array.isArray(t.tags) ? t.tags.includes('t4') : t.tags === 't4')),
    );
    expect(await things.countDocuments({ tags: 'a' })).toBe(COUNT / 2);
  });

  it('by strings with accents, markup characters, quotes and backslashes', async () => {
    const text = thing(42).text;
    expect(ids(await things.find({ text }).toArray())).toEqual(['t42']);
    expect(ids(await things.find({ text: { $in: [text, thing(43).text] } }).toArray())).toEqual([
      't42',
      't43',
    ]);
  });

  it('by booleans and by several keys at once', async () => {
    expect(ids(await things.find({ flag: true }).toArray())).toEqual(expected((t) => t.flag));
    expect(ids(await things.find({ flag: true, status: 'open' }).toArray())).toEqual(
      expected((t) => t.flag && t.status === 'open'),
    );
  });

  it('updates and deletes what the filter names, no more', async () => {
    const u = await things.updateMany({ status: 'closed', flag: true }, { $set: { n: -1 } });
    expect(u.modifiedCount).toBe(expected((t) => t.flag && t.status === 'closed').length);
    const d = await things.deleteMany({ _id: { $in: ['t1', 't2'] }, status: 'open' });
    expect(d.deletedCount).toBe(2);
    expect(await things.countDocuments({ _id: { $in: ['t1', 't2'] } })).toBe(0);
  });
});

describe('update commands', () => {
  it('apply a bulk write of 300 statements (FerretDB v1.24.2 hung after 100)', async () => {
    const r = await things.bulkWrite(
      Array.from({ length: 300 }, (_, i) => ({
        updateOne: { filter: { _id: `t${i + 100}` }, update: { $set: { n: 1_000_000 + i } } },
      })),
    );
    expect(r.modifiedCount).toBe(300);
    expect((await things.findOne({ _id: 't399' }))?.n).toBe(1_000_299);
  }, 30_000);
});

describe('deletes by _id (the patch deletes them without reading them first)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: ids of several types in one collection
  let mixed: Collection<any>;
  const oid = new ObjectId();
  beforeAll(async () => {
    mixed = db.collection('mixed_ids');
    await mixed.insertMany([
      { _id: '1', what: 'string' },
      { _id: 1, what: 'number' },
      { _id: oid, what: 'object id' },
      ...Array.from({ length: 300 }, (_, i) => ({ _id: `big${i}`, what: 'big', pad: 'x'.repeat(5_000) })),
    ]);
  });

  it('deletes only the ids named, of their type, and counts them', async () => {
    const d = await mixed.deleteMany({ _id: { $in: ['1', 'missing', '1'] } });
    expect(d.deletedCount).toBe(1);
    expect(
      (await mixed.find({ what: { $in: ['string', 'number', 'object id'] } }).toArray())
        .map((x) => x.what)
        .sort(),
    ).toEqual(['number', 'object id']);
    expect((await mixed.deleteOne({ _id: oid })).deletedCount).toBe(1);
    expect((await mixed.deleteOne({ _id: oid })).deletedCount).toBe(0);
    expect(await mixed.countDocuments({ _id: 1 })).toBe(1);
  });

  it('deleteOne with several ids in $in deletes exactly one', async () => {
    expect((await mixed.deleteOne({ _id: { $in: ['big0', 'big1'] } })).deletedCount).toBe(1);
    expect(await mixed.countDocuments({ _id: { $in: ['big0', 'big1'] } })).toBe(1);
  });

  it('deletes hundreds of large documents by their ids in one command', async () => {
    const names = Array.from({ length: 298 }, (_, i) => `big${i + 2}`);
    expect((await mixed.deleteMany({ _id: { $in: names } })).deletedCount).toBe(298);
    expect(await mixed.countDocuments({ what: 'big' })).toBe(1);
  });
});
