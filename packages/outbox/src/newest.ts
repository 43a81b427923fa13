import type { KeyedLocks } from '@mutirao/kernel';
import type { Model, UpdateQuery } from 'mongoose';
import { duplicatePositions } from './mongo';

// biome-ignore lint/suspicious/noExplicitAny: any model whose documents have a string _id and a revision
type AnyModel = Model<any>;

const lockKey = (model: AnyModel, id: string) => `${model.collection.collectionName}/${id}`;

/**
 * Keeps `fields` under `_id` `id` with `revision`, unless the document there already holds that
 * revision or a newer one: for read models fed by events that may come twice or out of order.
 *
 * It inserts first (a new document is the common case), and on a duplicate updates with the
 * revision guard in the filter, which MongoDB applies atomically. On FerretDB v1 an update is a
 * read-modify-write, so the two steps run under the document's lock in `locks`: on FerretDB, run
 * one instance of the service.
 */
export async function keepNewest(
  model: AnyModel,
  locks: KeyedLocks,
  id: string,
  revision: number,
  fields: Record<string, unknown>,
): Promise<'applied' | 'stale'> {
  const [result] = await keepNewestMany(model, locks, [{ id, revision, fields }]);
  return result ?? 'stale';
}

export interface Revisioned {
  id: string;
  revision: number;
  fields: Record<string, unknown>;
}

/**
 * `keepNewest` for a batch, in one insert for the new documents and one update for each
 * document that was there with an older revision. The results follow the rows' order; of two rows
 * of one id in the batch, the older is `stale`.
 */
export async function keepNewestMany(
  model: AnyModel,
  locks: KeyedLocks,
  rows: readonly Revisioned[],
): Promise<('applied' | 'stale')[]> {
  const results: ('applied' | 'stale')[] = rows.map(() => 'stale');
  // The newest row of each id in the batch.
  const newest = new Map<string, number>();
  rows.forEach((r, i) => {
    const held = newest.get(r.id);
    if (held === undefined || (rows[held] as Revisioned).revision < r.revision) newest.set(r.id, i);
  });
  if (newest.size === 0) return results;
  const picked = [...newest.values()];
  await locks.withAll(
    picked.map((i) => lockKey(model, (rows[i] as Revisioned).id)),
    async () => {
      const present = new Set<number>();
      try {
        await model.collection.insertMany(
          picked.map((i) => {
            const r = rows[i] as Revisioned;
            return { _id: r.id as never, ...r.fields, revision: r.revision };
          }),
          { ordered: false },
        );
      } catch (err) {
        for (const position of duplicatePositions(err, picked.length))
          present.add(picked[position] as number);
      }
      for (const i of picked) if (!present.has(i)) results[i] = 'applied';
      for (const i of present) {
        const r = rows[i] as Revisioned;
        const u = await model
          .updateOne(
            { _id: r.id, revision: { $lt: r.revision } },
            { $set: { ...r.fields, revision: r.revision } },
          )
          .exec();
        if (u.matchedCount === 1) results[i] = 'applied';
      }
    },
  );
  return results;
}

/**
 * `updateOne({ _id: id, [field]: expected }, update)`: applied only if the document still holds
 * `expected` in `field` (an optimistic-concurrency guard). MongoDB checks and writes atomically; on
 * FerretDB v1 call it only under the document's lock (`KeyedLocks`): the check and the write are
 * one step only within this process. Undefined when the guard did not hold (the document changed
 * since it was read, or is gone).
 */
export async function updateIfUnchanged(
  model: AnyModel,
  id: string,
  field: string,
  expected: number,
  update: UpdateQuery<unknown>,
): Promise<{ matchedCount: number; modifiedCount: number } | undefined> {
  const r = await model.updateOne({ _id: id, [field]: expected }, update).exec();
  return r.matchedCount === 1 ? r : undefined;
}
