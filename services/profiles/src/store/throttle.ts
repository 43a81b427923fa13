import { KeyedLocks } from '@mutirao/kernel';
import { type Connection, Schema } from 'mongoose';
import { type RateLimit, refusedUntil, type Throttle, type Window, windowAt } from '../domain/lockout';

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

const WindowSchema = new Schema({ _id: String, count: Number, since: Date }, { versionKey: false });

export type RateStore = ReturnType<typeof rateStore>;

/**
 * Requests counted per key in fixed windows (`RateLimit`): password-reset requests per address and
 * per client. Counted one at a time per key in this process; another instance's requests may slip
 * a few past the limit (on MongoDB), which a limit meant against floods can bear.
 */
export function rateStore(db: Connection) {
  const model = db.model('RateWindow', WindowSchema, 'rate_windows');
  const locks = new KeyedLocks();
  return {
    model,
    init: () => model.init(),
    /** Counts one request under `key`, unless the limit is reached: then the end of the window, counting nothing. */
    take(key: string, now: Date, limit: RateLimit): Promise<Date | undefined> {
      return locks.with(key, async () => {
        const held = await model.findById(key).lean<Window & { _id: string }>();
        const w = windowAt(held ? { count: held.count, since: held.since } : undefined, now, limit);
        const until = refusedUntil(w, limit);
        if (until) return until;
        await model.updateOne(
          { _id: key },
          { $set: { count: w.count + 1, since: w.since } },
          { upsert: true },
        );
        return undefined;
      });
    },
  };
}
