import { randomBytes } from 'node:crypto';
import { connectMongo } from '../../packages/outbox/src/index';

/**
 * The store operations the services' hot paths use, timed on one collection as it grows, on the
 * database at MONGO_URL (default: the embedded FerretDB of `npm run infra:up`), in a scratch
 * database dropped at the end. Prints the median and p95 of each operation at each size, then one
 * summary line with the medians at the largest size and the largest ratio to the smallest size.
 *
 *   node --import tsx bench/stores/run.ts [sizes, comma-separated] [operations per figure]
 *
 * Documents look like the exchange's postings (~1.2 KB, a unique `refKey`, an indexed
 * `organisationId`, the outbox fields); each figure touches documents spread across the collection.
 */

const sizes = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const ops = Number(process.argv[3] ?? 200);
const url = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface Row {
  _id: string;
  refKey: string;
  organisationId: string;
  status: string;
  version: number;
  outboxPending: boolean;
  content: Record<string, unknown>;
}

const row = (i: number): Row => ({
  _id: `p${i}`,
  refKey: `ref:R-${i}`,
  organisationId: `o${Math.floor(i / 10)}`, // ten postings each, at every size
  status: i % 5 === 0 ? 'draft' : 'open',
  version: 1,
  outboxPending: false,
  content: {
    title: `Posting ${i}: technical assistance for a cooperative`,
    description: 'x'.repeat(800),
    sectors: ['31120', '32161'],
    countriesOfInterest: ['GW', 'SN'],
    sdgs: [2, 8],
  },
});

const conn = await connectMongo(url, `bench_${randomBytes(4).toString('hex')}`);
// The Schema class of the connection's own mongoose (the root of the workspace does not depend on it).
const { Schema } = conn.base;
const schema = new Schema<Row>(
  {
    _id: String,
    refKey: { type: String, unique: true },
    organisationId: { type: String, index: true },
    status: String,
    version: Number,
    outboxPending: { type: Boolean, index: true },
    content: Schema.Types.Mixed,
  },
  { versionKey: false },
);
const model = conn.model<Row>('Row', schema, 'rows');
await model.init();
console.log(`store operations on ${url.replace(/\/\/[^@]*@/, '//')}, ${ops} per figure (ms)`);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function time(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < ops; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

/** Waits until ten reads by `_id` in a row take under 5 ms each (at most 60 s): SQLite folds a
 * bulk insert's log back into the database for a while after it. */
async function settle(): Promise<void> {
  const until = Date.now() + 60_000;
  let calm = 0;
  while (calm < 10 && Date.now() < until) {
    const start = performance.now();
    await model.findById('p0').lean().exec();
    calm = performance.now() - start < 5 ? calm + 1 : 0;
    if (calm === 0) await new Promise((r) => setTimeout(r, 200));
  }
}

const results = new Map<number, Map<string, { p50: number; p95: number }>>();
try {
  let size = 0;
  for (const target of sizes) {
    const started = performance.now();
    while (size < target) {
      const batch = Math.min(1_000, target - size);
      await model.collection.insertMany(Array.from({ length: batch }, (_, k) => row(size + k)) as never[]);
      size += batch;
    }
    const fill = ((performance.now() - started) / 1000).toFixed(1);
    await settle();
    // Existing documents spread across the collection; each figure touches its own ones.
    const pick = (i: number, lane: number) => (i * 7_919 + lane * 104_729) % size;
    const figures = new Map<string, { p50: number; p95: number }>();
    figures.set(
      'insert',
      await time((i) => model.collection.insertOne({ ...row(10_000_000 + size + i) } as never)),
    );
    figures.set(
      'get by _id',
      await time((i) =>
        model
          .findById(`p${pick(i, 1)}`)
          .lean()
          .exec(),
      ),
    );
    figures.set(
      'update by _id',
      await time((i) => model.updateOne({ _id: `p${pick(i, 2)}` }, { $set: { status: 'open' } }).exec()),
    );
    figures.set(
      'guarded update (_id, version)',
      await time(async (i) => {
        const id = `p${pick(i, 3)}`;
        const held = await model.findById(id).select('version').lean<{ version: number }>().exec();
        const version = held?.version ?? 0;
        return model.updateOne({ _id: id, version }, { $set: { version: version + 1 } }).exec();
      }),
    );
    figures.set(
      'get by unique ref',
      await time((i) =>
        model
          .findOne({ refKey: `ref:R-${pick(i, 4)}` })
          .lean()
          .exec(),
      ),
    );
    figures.set(
      "an organisation's 10 postings",
      await time((i) =>
        model
          .find({ organisationId: `o${Math.floor(pick(i, 5) / 10)}` })
          .lean()
          .exec(),
      ),
    );
    figures.set(
      'a page of 20 by _id ($in)',
      await time((i) =>
        model
          .find({ _id: { $in: Array.from({ length: 20 }, (_, k) => `p${pick(i * 20 + k, 6)}`) } })
          .lean()
          .exec(),
      ),
    );
    figures.set(
      'outbox: pending documents',
      await time(() => model.find({ outboxPending: true }, { _id: 1 }).limit(100).lean().exec()),
    );
    results.set(size, figures);
    console.log(`\n${size} documents (filled in ${fill} s):`);
    for (const [label, f] of figures)
      console.log(
        `  ${label.padEnd(32)} p50 ${f.p50.toFixed(2).padStart(7)}   p95 ${f.p95.toFixed(2).padStart(7)}`,
      );
  }
} finally {
  await conn.dropDatabase();
  await conn.close();
}

const first = results.get(sizes[0] ?? 0);
const last = results.get(sizes[sizes.length - 1] ?? 0);
if (first && last) {
  let worstMedian = 0;
  let worstRatio = 0;
  for (const [label, f] of last) {
    worstMedian = Math.max(worstMedian, f.p50);
    worstRatio = Math.max(worstRatio, f.p50 / Math.max(first.get(label)?.p50 ?? 1, 0.05));
  }
  console.log(
    `\nstores: sizes=${sizes.join('/')} maxMedian=${worstMedian.toFixed(2)} ms maxRatio=${worstRatio.toFixed(2)} ` +
      Array.from(last, ([label, f]) => `${label.replace(/[^a-z0-9]+/gi, '_')}=${f.p50.toFixed(2)}`).join(' '),
  );
}
