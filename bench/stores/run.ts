import { randomBytes } from 'node:crypto';
import { connectMongo, DocumentLocks, keepNewest, updateIfUnchanged } from '../../packages/outbox/src/index';

/**
 * Writes to one collection as it grows, on the database at MONGO_URL (default: the embedded
 * FerretDB of `npm run infra:up`), in a scratch database dropped at the end. Prints milliseconds per
 * write; asserts nothing.
 *
 *   node --import tsx bench/stores/run.ts [sizes, comma-separated] [writes per figure]
 *
 * FerretDB v1 reads the whole collection for a filter with more than a bare `_id`, or for an `_id`
 * that is not there; `keepNewest` and `updateIfUnchanged` work around that, and the guarded update
 * they replaced is timed beside them.
 */

const sizes = (process.argv[2] ?? '1000,10000,30000').split(',').map(Number);
const writes = Number(process.argv[3] ?? 50);
const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface Row {
  _id: string;
  revision: number;
  snapshot: Record<string, unknown>;
}

const snapshot = (i: number) => ({
  id: `p${i}`,
  title: `Posting ${i}`,
  description: 'x'.repeat(300),
  sectors: ['31120', '32161'],
  countries: ['GW', 'SN'],
});

const conn = await connectMongo(url, `bench_${randomBytes(4).toString('hex')}`);
// The Schema class of the connection's own mongoose (the root of the workspace does not depend on it).
const { Schema } = conn.base;
const model = conn.model<Row>(
  'Row',
  new Schema<Row>({ _id: String, revision: Number, snapshot: Schema.Types.Mixed }, { versionKey: false }),
  'rows',
);
await model.init();
const locks = new DocumentLocks();
console.log(`store writes on ${url.replace(/\/\/[^@]*@/, '//')}, ${writes} writes per figure`);

/** Waits until ten writes by `_id` in a row take under 10 ms each (at most 60 s). */
async function settle(): Promise<void> {
  const until = Date.now() + 60_000;
  let calm = 0;
  while (calm < 10 && Date.now() < until) {
    const start = performance.now();
    await model.updateOne({ _id: 'p0' }, { $set: { revision: 1 } }).exec();
    calm = performance.now() - start < 10 ? calm + 1 : 0;
    if (calm === 0) await new Promise((r) => setTimeout(r, 200));
  }
}

async function perWrite(run: (i: number) => Promise<unknown>): Promise<string> {
  const start = performance.now();
  for (let i = 0; i < writes; i++) await run(i);
  return `${((performance.now() - start) / writes).toFixed(1)} ms`;
}

try {
  let size = 0;
  for (const target of sizes) {
    const started = performance.now();
    while (size < target) {
      const batch = Math.min(1000, target - size);
      await model.collection.insertMany(
        Array.from({ length: batch }, (_, k) => ({
          _id: `p${size + k}` as never,
          revision: 1,
          snapshot: snapshot(size + k),
        })),
      );
      size += batch;
    }
    const fill = ((performance.now() - started) / 1000).toFixed(1);
    // SQLite folds a bulk insert's log back into the database for a while after it: writes then
    // take tens of milliseconds whatever they are. Let it finish before timing anything.
    await settle();
    // Existing documents picked across the collection; each figure touches its own ones.
    const pick = (i: number, lane: number) => `p${(i * 97 + lane * 13) % size}`;
    const figures = {
      'keepNewest, new document': await perWrite((i) =>
        keepNewest(model, locks, `new-${size}-${i}`, 1, { snapshot: snapshot(i) }),
      ),
      'keepNewest, newer revision': await perWrite((i) =>
        keepNewest(model, locks, pick(i, 1), 1_000 + size + i, { snapshot: snapshot(i) }),
      ),
      'updateIfUnchanged (read by _id)': await perWrite(async (i) => {
        const id = pick(i, 2);
        const held = await model.findById(id).select('revision').lean<{ revision: number }>().exec();
        return updateIfUnchanged(model, id, 'revision', held?.revision ?? 0, {
          $set: { revision: (held?.revision ?? 0) + 1 },
        });
      }),
      'guarded updateOne, as before': await perWrite(async (i) => {
        const id = pick(i, 3);
        const held = await model.findById(id).select('revision').lean<{ revision: number }>().exec();
        const revision = held?.revision ?? 0;
        return model.updateOne({ _id: id, revision }, { $set: { revision: revision + 1 } }).exec();
      }),
    };
    console.log(`\n${size} documents (filled in ${fill} s):`);
    for (const [label, figure] of Object.entries(figures)) console.log(`  ${label.padEnd(34)} ${figure}`);
  }
} finally {
  await conn.dropDatabase();
  await conn.close();
}
