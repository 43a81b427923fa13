import { duplicatePositions } from '@mutirao/outbox';
import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import type { Connection } from 'mongoose';

/** A collection of the service's database, through the driver (the documents are plain records). */
export const collection = <T extends Document>(conn: Connection, name: string): Collection<T> =>
  conn.getClient().db(conn.name).collection<T>(name);

/**
 * Inserts the documents whose `_id` is not stored yet, in one unordered request: a document already
 * there (a redelivered event, a schedule fired again) is left as it was. Returns how many were new.
 */
export async function insertNew<T extends Document>(
  c: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const r = await c.insertMany(docs, { ordered: false });
    return r.insertedCount;
  } catch (err) {
    return docs.length - duplicatePositions(err, docs.length).size;
  }
}
