import { KeyedLocks } from '@mutirao/kernel';
import { appendEvents, type OutboxEntry, type OutboxJournal, outboxFields } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import type { Invitation } from '../domain/invitation';

export type { Invitation } from '../domain/invitation';

const InvitationSchema = new Schema(
  {
    _id: String,
    id: String,
    org: { type: String, index: true },
    account: String,
    email: String,
    language: String,
    createdBy: String,
    createdAt: Date,
    expiresAt: Date,
    usedAt: Date,
    revokedAt: Date,
    revokedBy: String,
    // A withdrawal's event waits here for the relay (the creation's goes through the journal).
    ...outboxFields,
  },
  { versionKey: false },
);
type Doc = Omit<Invitation, 'tokenHash'> & {
  _id: string;
  outbox?: unknown;
  outboxPending?: unknown;
  outboxToken?: unknown;
  outboxJournal?: unknown;
};
const toInvitation = ({
  _id,
  outbox: _o,
  outboxPending: _p,
  outboxToken: _t,
  outboxJournal: _j,
  ...rest
}: Doc): Invitation => {
  const i: Invitation = { tokenHash: _id, ...rest };
  for (const k of ['id', 'org', 'account', 'email', 'language', 'usedAt', 'revokedAt', 'revokedBy'] as const)
    if (i[k] == null) delete i[k];
  return i;
};

export type InvitationStore = ReturnType<typeof invitationStore>;

export function invitationStore(db: Connection, journal: OutboxJournal) {
  const model = db.model('Invitation', InvitationSchema, 'invitations');
  // FerretDB v1 may let two overlapping guarded updates of one document both pass: a claim, its
  // release, a withdrawal and the relay's clearing of its event are taken one at a time per
  // invitation in this process (the service's sole writer), under `invitations:<token hash>`.
  const locks = new KeyedLocks();
  const key = (tokenHash: string) => `${model.collection.name}:${tokenHash}`;
  return {
    model,
    locks,
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
    async byId(id: string): Promise<Invitation | undefined> {
      const doc = await model.findOne({ id }).lean<Doc>();
      return doc ? toInvitation(doc) : undefined;
    },
    /**
     * One page of an organisation's invitations still pending at `now` (neither used, withdrawn
     * nor expired), oldest first, after the invitation id `after`.
     */
    async pending(
      org: string,
      now: Date,
      q: { after?: string | undefined; limit: number },
    ): Promise<Invitation[]> {
      const docs = await model
        .find({
          org,
          usedAt: { $exists: false },
          revokedAt: { $exists: false },
          expiresAt: { $gt: now },
          ...(q.after !== undefined ? { id: { $gt: q.after } } : { id: { $exists: true } }),
        })
        .sort({ id: 1 })
        .limit(q.limit)
        .lean<Doc[]>();
      return docs.map(toInvitation);
    },
    /**
     * Withdraws it with its event in one write, if nobody accepted or withdrew it meanwhile (a
     * claim and a withdrawal of one invitation are taken one at a time); false otherwise.
     */
    revoke(tokenHash: string, now: Date, by: string, events: OutboxEntry[]): Promise<boolean> {
      return locks.with(key(tokenHash), async () => {
        const r = await model.updateOne(
          { _id: tokenHash, usedAt: { $exists: false }, revokedAt: { $exists: false } },
          appendEvents<Doc>({ $set: { revokedAt: now, revokedBy: by } }, events),
        );
        return r.modifiedCount === 1;
      });
    },
    /** Marks it used if it is unused and unexpired; false if another request got there first. */
    claim(tokenHash: string, now: Date): Promise<boolean> {
      return locks.with(key(tokenHash), async () => {
        const r = await model.updateOne(
          {
            _id: tokenHash,
            usedAt: { $exists: false },
            revokedAt: { $exists: false },
            expiresAt: { $gt: now },
          },
          { $set: { usedAt: now } },
        );
        return r.modifiedCount === 1;
      });
    },
    /** Gives a claimed invitation back when the account could not be created after all. */
    async release(tokenHash: string): Promise<void> {
      await locks.with(key(tokenHash), () => model.updateOne({ _id: tokenHash }, { $unset: { usedAt: 1 } }));
    },
  };
}
