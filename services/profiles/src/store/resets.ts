import { KeyedLocks } from '@mutirao/kernel';
import type { OutboxEntry, OutboxJournal } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import type { PasswordReset } from '../domain/reset';

const ResetSchema = new Schema(
  {
    _id: String,
    id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    createdAt: Date,
    expiresAt: Date,
    usedAt: Date,
    supersededAt: Date,
  },
  { versionKey: false },
);
type Doc = Omit<PasswordReset, 'tokenHash'> & { _id: string; outboxJournal?: unknown };
const toReset = ({ _id, outboxJournal: _j, ...rest }: Doc): PasswordReset => {
  const r: PasswordReset = { tokenHash: _id, ...rest };
  for (const k of ['usedAt', 'supersededAt'] as const) if (r[k] == null) delete r[k];
  return r;
};

export type ResetStore = ReturnType<typeof resetStore>;

/**
 * Password-reset links, by the SHA-256 of their token. Writes of one person's links (superseding,
 * claiming) are taken one at a time in this process: on FerretDB v1 two overlapping guarded
 * updates of one document may both pass, and a link must work once.
 */
export function resetStore(db: Connection, journal: OutboxJournal) {
  const model = db.model('PasswordReset', ResetSchema, 'password_resets');
  const locks = new KeyedLocks();
  const usable = (now: Date) => ({
    usedAt: { $exists: false },
    supersededAt: { $exists: false },
    expiresAt: { $gt: now },
  });
  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),
    /**
     * A new link and its event (the mail to send) in one write, through the journal; then the
     * person's earlier links stop working.
     */
    async create(r: PasswordReset, events: OutboxEntry[]): Promise<void> {
      const { tokenHash, ...rest } = r;
      await journal.insertMany(model, [{ doc: { _id: tokenHash, ...rest }, entries: events }]);
      await locks.with(r.personId, () =>
        model
          .updateMany(
            { personId: r.personId, _id: { $ne: tokenHash }, supersededAt: { $exists: false } },
            { $set: { supersededAt: r.createdAt } },
          )
          .exec(),
      );
    },
    async get(tokenHash: string): Promise<PasswordReset | undefined> {
      const doc = await model.findById(tokenHash).lean<Doc>();
      return doc ? toReset(doc) : undefined;
    },
    /** Marks the link used if it still works; false if another request used it first (or it stopped working). */
    claim(r: PasswordReset, now: Date): Promise<boolean> {
      return locks.with(r.personId, async () => {
        const u = await model
          .updateOne({ _id: r.tokenHash, ...usable(now) }, { $set: { usedAt: now } })
          .exec();
        return u.modifiedCount === 1;
      });
    },
    /** Gives a claimed link back when the password could not be set after all. */
    async release(r: PasswordReset): Promise<void> {
      await locks.with(r.personId, () =>
        model.updateOne({ _id: r.tokenHash }, { $unset: { usedAt: 1 } }).exec(),
      );
    },
  };
}
