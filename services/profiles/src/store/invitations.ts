import { KeyedLocks } from '@mutirao/kernel';
import type { OutboxEntry, OutboxJournal } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';

/** An invitation to join an organisation. Only the token's SHA-256 is kept: a leaked database holds no usable token. */
export interface Invitation {
  tokenHash: string;
  /** What the invitation's event is keyed by; absent on invitations made before they were mailed. */
  id?: string;
  org: string;
  /** The invited address, lower-cased; absent on invitations made before they were mailed. */
  email?: string;
  /** The language of its mail. */
  language?: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

const InvitationSchema = new Schema(
  {
    _id: String,
    id: String,
    org: String,
    email: String,
    language: String,
    createdBy: String,
    createdAt: Date,
    expiresAt: Date,
    usedAt: Date,
  },
  { versionKey: false },
);
type Doc = Omit<Invitation, 'tokenHash'> & { _id: string; outboxJournal?: unknown };
const toInvitation = ({ _id, outboxJournal: _j, ...rest }: Doc): Invitation => {
  const i: Invitation = { tokenHash: _id, ...rest };
  for (const k of ['id', 'email', 'language', 'usedAt'] as const) if (i[k] == null) delete i[k];
  return i;
};

export type InvitationStore = ReturnType<typeof invitationStore>;

export function invitationStore(db: Connection, journal: OutboxJournal) {
  const model = db.model('Invitation', InvitationSchema, 'invitations');
  // FerretDB v1 may let two overlapping guarded updates of one document both pass: a claim and
  // its release are taken one at a time per invitation in this process (the service's sole writer).
  const locks = new KeyedLocks();
  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),
    /** The invitation and its events (the mail to send) in one write, through the journal. */
    async create(i: Invitation, events: OutboxEntry[]): Promise<void> {
      const { tokenHash, ...rest } = i;
      await journal.insertMany(model, [{ doc: { _id: tokenHash, ...rest }, entries: events }]);
    },
    async get(tokenHash: string): Promise<Invitation | undefined> {
      const doc = await model.findById(tokenHash).lean<Doc>();
      return doc ? toInvitation(doc) : undefined;
    },
    /** Marks it used if it is unused and unexpired; false if another request got there first. */
    claim(tokenHash: string, now: Date): Promise<boolean> {
      return locks.with(tokenHash, async () => {
        const r = await model.updateOne(
          { _id: tokenHash, usedAt: { $exists: false }, expiresAt: { $gt: now } },
          { $set: { usedAt: now } },
        );
        return r.modifiedCount === 1;
      });
    },
    /** Gives a claimed invitation back when the account could not be created after all. */
    async release(tokenHash: string): Promise<void> {
      await locks.with(tokenHash, () => model.updateOne({ _id: tokenHash }, { $unset: { usedAt: 1 } }));
    },
  };
}
