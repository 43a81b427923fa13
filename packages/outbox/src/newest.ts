import type { Model, UpdateQuery } from 'mongoose';
import type { DocumentLocks } from './locks';
import { isDuplicateKey } from './mongo';

/**
 * Keeps `fields` under `_id` `id` with `revision`, unless the document there already holds that
 * revision or a newer one: for read models fed by events that may come twice or out of order.
 *
 * It inserts first and otherwise reads and writes by `_id` alone. FerretDB v1.24.2 on SQLite reads
 * the whole collection for a filter with anything beside `_id` (a revision guard) and for an `_id`
 * that is not there, and scans up to the row for one that is (its `_id` query does not use the
 * `_id` index; see the README): an insert costs 1–3 ms at any size, where the guarded upsert this
 * replaces took 42 ms per new document at 300 documents and grew with the collection. The check and
 * the write are therefore one step only within this process, per document through `locks`: on
 * FerretDB, run one instance of the service.
 */
export async function keepNewest(
  // biome-ignore lint/suspicious/noExplicitAny: any model whose documents have a string _id and a revision
  model: Model<any>,
  locks: DocumentLocks,
  id: string,
  revision: number,
  fields: Record<string, unknown>,
): Promise<'applied' | 'stale'> {
  return locks.with(`${model.collection.collectionName}/${id}`, async () => {
    for (;;) {
      // Insert first: looking up an _id that is not there reads the whole collection too.
      try {
        await model.collection.insertOne({ _id: id as never, ...fields, revision });
        return 'applied';
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await model.findById(id).select('revision').lean<{ revision: number }>().exec();
      // Gone between the two (read models never delete, but another writer might): insert again.
      if (!held) continue;
      if (held.revision >= revision) return 'stale';
      await model.updateOne({ _id: id }, { $set: { ...fields, revision } }).exec();
      return 'applied';
    }
  });
}

/**
 * `updateOne({ _id: id, [field]: expected }, update)` without FerretDB v1 reading every document
 * for the guarded filter: the guard is checked on a read by `_id`, then the document is updated by
 * `_id` (both still scan up to the row on SQLite; see the README). Call it only under the
 * document's lock (`DocumentLocks`, or a queue that runs one write at a time): the two steps are
 * one only within this process. Undefined when the guard did not hold (the document changed since
 * it was read, or is gone).
 */
export async function updateIfUnchanged(
  // biome-ignore lint/suspicious/noExplicitAny: any model whose documents have a string _id
  model: Model<any>,
  id: string,
  field: string,
  expected: number,
  update: UpdateQuery<unknown>,
): Promise<{ matchedCount: number; modifiedCount: number } | undefined> {
  const held = await model.findById(id).select(field).lean<Record<string, unknown>>().exec();
  if (!held || held[field] !== expected) return undefined;
  return model.updateOne({ _id: id }, update).exec();
}
