import { type Connection, Schema } from 'mongoose';
import type { Throttle } from '../domain/lockout';

const ThrottleSchema = new Schema(
  { _id: String, failures: { type: Number, default: 0 }, lockedUntil: Date },
  { versionKey: false },
);

export type ThrottleStore = ReturnType<typeof throttleStore>;

/** Failed sign-ins per (lower-cased) email address. */
export function throttleStore(db: Connection) {
  const model = db.model('SignInThrottle', ThrottleSchema, 'sign_in_throttle');
  return {
    model,
    init: () => model.init(),
    async get(email: string): Promise<Throttle | undefined> {
      const doc = await model.findById(email).lean<Throttle & { _id: string }>();
      return doc
        ? { failures: doc.failures, ...(doc.lockedUntil ? { lockedUntil: doc.lockedUntil } : {}) }
        : undefined;
    },
    /**
     * Counts one failure with $inc, atomic on MongoDB so parallel guesses cannot slip under the limit
     * (FerretDB v1 was seen to lose concurrent updates: there the limit is approximate). Returns the count.
     */
    async fail(email: string): Promise<number> {
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await model
            .findOneAndUpdate({ _id: email }, { $inc: { failures: 1 } }, { upsert: true, new: true })
            .lean<{ failures: number }>();
          return doc?.failures ?? 1;
        } catch (err) {
          // Two first failures at once: one upsert wins, the other retries as an update.
          if (attempt > 0 || (err as { code?: number }).code !== 11000) throw err;
        }
      }
    },
    async lock(email: string, until: Date): Promise<void> {
      await model.updateOne({ _id: email }, { $set: { lockedUntil: until, failures: 0 } });
    },
    async clear(email: string): Promise<void> {
      await model.deleteOne({ _id: email });
    },
  };
}
