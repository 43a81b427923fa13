import mongoose, { type Connection } from 'mongoose';

/**
 * A connection of the service's own (not mongoose's global one), so tests can hold several.
 * `autoIndex` builds declared indexes at start; unique indexes are how conflicts are caught.
 */
export async function connectMongo(url: string, dbName: string): Promise<Connection> {
  // Commands issued while the connection is down wait this long, then fail (503, not a hang).
  mongoose.set('bufferTimeoutMS', 1_500);
  // Mongoose records `new Error().stack` on every query for its error messages; with source maps on
  // (tsx) that stack costs more than a small query (bench/system: 4 % of the exchange's CPU).
  mongoose.set('skipOriginalStackTraces', true);
  const conn = mongoose.createConnection(url, {
    dbName,
    autoIndex: true,
    // A request meeting a database that is down answers 503 within about 2 s (see @mutirao/http's
    // isOutage) rather than waiting 10 s and failing with a 500.
    serverSelectionTimeoutMS: 2_000,
    // FerretDB v1 has no retryable writes.
    retryWrites: false,
  });
  await conn.asPromise();
  return conn;
}

export const isConnected = (conn: Connection): boolean => conn.readyState === 1;

/** E11000: a unique index refused the write. Callers turn it into a 409, never a crash. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** The field(s) named by a duplicate-key error, when the server says. */
export function duplicateKeyFields(err: unknown): string[] {
  const kv = (err as { keyValue?: Record<string, unknown>; keyPattern?: Record<string, unknown> }) ?? {};
  return Object.keys(kv.keyPattern ?? kv.keyValue ?? {});
}

/**
 * The positions of the documents an unordered `insertMany` refused as duplicates. Rethrows any
 * other error. MongoDB and FerretDB report each refused document with its index (one or several).
 */
export function duplicatePositions(err: unknown, count: number): Set<number> {
  const reported = (err as { writeErrors?: unknown }).writeErrors;
  const failures = (Array.isArray(reported) ? reported : reported ? [reported] : []) as {
    index?: number;
    code?: number;
    err?: { index?: number; code?: number };
  }[];
  if (failures.length === 0) {
    if (isDuplicateKey(err) && count === 1) return new Set([0]);
    throw err;
  }
  const positions = new Set<number>();
  for (const f of failures) {
    const index = f.index ?? f.err?.index;
    if ((f.code ?? f.err?.code) !== 11000 || index === undefined) throw err;
    positions.add(index);
  }
  return positions;
}
