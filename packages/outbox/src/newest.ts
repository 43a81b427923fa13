import type { Model } from 'mongoose';
import type { DocumentLocks } from './locks';
import { isDuplicateKey } from './mongo';

/**
 * Keeps `fields` under `_id` `id` with `revision`, unless the document there already holds that
 * revision or a newer one: for read models fed by events that may come twice or out of order.
 *
 * It reads and writes by `_id` alone, and only ids that exist. FerretDB v1 answers a bare `_id`
 * filter from SQLite's index when the document exists; with any other condition (a revision guard)
 * or for an `_id` that is not there, it reads the whole collection. Measured here: an update guarded
 * by revision 26 ms at 1,000 documents and 550 ms at 5,000; a lookup of a missing `_id` 20 ms and
 * 71 ms at 1,000 and 4,000; against 2–6 ms for an insert, a lookup or an update by an existing `_id`.
 * The check and the write are therefore one step only within this process, per document through
 * `locks`: on FerretDB, run one instance of the service.
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
