import { KeyedLocks } from '@mutirao/kernel';
import { appendEvents, type OutboxEntry, type OutboxJournal, outboxFields } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import type { Person } from '../domain/person';

/** A person who signs in, as stored (see `Person`). */
export type Account = Person;

const AccountSchema = new Schema(
  {
    _id: String,
    // Stored lower-cased: one account per address whatever the case typed. A removed account's
    // is `removed:<id>`, so the address may be used again.
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    language: String,
    roles: [String],
    org: { type: String, index: true },
    regions: [String],
    createdAt: Date,
    // Absent on accounts stored before persons were published: read as 0, never published.
    revision: Number,
    updatedAt: Date,
    removedAt: Date,
    ...outboxFields,
  },
  { versionKey: false },
);

type Doc = Omit<Account, 'id' | 'revision' | 'updatedAt'> & {
  _id: string;
  revision?: number | null;
  updatedAt?: Date | null;
  outbox?: unknown;
  outboxPending?: unknown;
  outboxToken?: unknown;
  outboxJournal?: unknown;
};

function toAccount(doc: Doc): Account {
  const {
    _id,
    revision,
    updatedAt,
    outbox: _o,
    outboxPending: _p,
    outboxToken: _t,
    outboxJournal: _j,
    ...rest
  } = doc;
  const a: Account = { id: _id, ...rest, revision: revision ?? 0, updatedAt: updatedAt ?? doc.createdAt };
  // Absent optionals come back as null or not at all depending on the server: make them absent.
  for (const k of ['org', 'language', 'removedAt'] as const) if (a[k] == null) delete a[k];
  return a;
}

/** The stored fields of an account, without its id and without undefined values. */
function fieldsOf(a: Account): Record<string, unknown> {
  const { id: _id, ...rest } = a;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

/** Accounts never published: stored before persons were, or whose first event was not written. */
const UNPUBLISHED = { $or: [{ revision: { $exists: false } }, { revision: 0 }, { revision: null }] };

export type AccountStore = ReturnType<typeof accountStore>;

/**
 * Accounts, with their person events in the same writes (the outbox): a new account and its
 * `registered` event go through the journal, later changes carry theirs in the document. Every
 * update of an account document, the relay's clearing included, holds the account's lock in
 * `locks` (key `accounts:<id>`): on FerretDB v1 overlapping updates of one document lose one.
 */
export function accountStore(db: Connection, journal: OutboxJournal) {
  const model = db.model('Account', AccountSchema, 'accounts');
  const locks = new KeyedLocks();
  const key = (id: string) => `${model.collection.name}:${id}`;
  return {
    model,
    locks,
    init: () => model.init(),
    /** Accounts stored, removed ones included. */
    count: () => model.countDocuments(),

    /** A new account with its events, in one write; false when the email is taken. */
    async create(a: Account, events: OutboxEntry[]): Promise<boolean> {
      const [ok] = await journal.insertMany(model, [
        { doc: { _id: a.id, ...fieldsOf(a), outbox: [], outboxPending: false }, entries: events },
      ]);
      return ok === true;
    },

    /**
     * The next state and its events in one single-document write, only if the stored revision is
     * still `prev`'s (an account never published may have none). False when it moved.
     */
    async save(prev: Account, next: Account, events: OutboxEntry[]): Promise<boolean> {
      const guard = prev.revision === 0 ? UNPUBLISHED : { revision: prev.revision };
      return locks.with(key(prev.id), async () => {
        const r = await model
          .updateOne({ _id: prev.id, ...guard }, appendEvents({ $set: fieldsOf(next) }, events))
          .exec();
        return r.matchedCount === 1;
      });
    },

    /** Sets the password of an account that is not removed; false when there is none. */
    async setPassword(id: string, passwordHash: string): Promise<boolean> {
      return locks.with(key(id), async () => {
        const r = await model
          .updateOne({ _id: id, removedAt: { $exists: false } }, { $set: { passwordHash } })
          .exec();
        return r.matchedCount === 1;
      });
    },

    /** Deletes an account never published (a registration that could not be completed). */
    async discard(id: string): Promise<void> {
      await locks.with(key(id), () => model.deleteOne({ _id: id, ...UNPUBLISHED }).exec());
    },

    async get(id: string): Promise<Account | undefined> {
      const doc = await model.findById(id).lean<Doc>();
      return doc ? toAccount(doc) : undefined;
    },
    async byEmail(email: string): Promise<Account | undefined> {
      const doc = await model.findOne({ email: email.toLowerCase() }).lean<Doc>();
      return doc ? toAccount(doc) : undefined;
    },
    async exists(email: string): Promise<boolean> {
      return (await model.countDocuments({ email: email.toLowerCase() })) > 0;
    },
    /** One page of an organisation's members, removed ones left out, by id after `after`. */
    async membersPage(org: string, q: { after?: string | undefined; limit: number }): Promise<Account[]> {
      const docs = await model
        .find({
          org,
          removedAt: { $exists: false },
          ...(q.after !== undefined ? { _id: { $gt: q.after } } : {}),
        })
        .sort({ _id: 1 })
        .limit(q.limit)
        .lean<Doc[]>();
      return docs.map(toAccount);
    },
    /** How many members an organisation has, removed ones left out. */
    countMembers(org: string): Promise<number> {
      return model.countDocuments({ org, removedAt: { $exists: false } }).exec();
    },
    /** One page of the coordinators, removed ones left out, by id after `after`. */
    async coordinators(q: { after?: string | undefined; limit: number }): Promise<Account[]> {
      const docs = await model
        .find({
          roles: 'coordinator',
          removedAt: { $exists: false },
          ...(q.after !== undefined ? { _id: { $gt: q.after } } : {}),
        })
        .sort({ _id: 1 })
        .limit(q.limit)
        .lean<Doc[]>();
      return docs.map(toAccount);
    },
    /** The ids of the accounts never published, removed ones left out. */
    async unpublished(): Promise<string[]> {
      const docs = await model
        .find({ ...UNPUBLISHED, removedAt: { $exists: false } }, { _id: 1 })
        .lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },
  };
}
