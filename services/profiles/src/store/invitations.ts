import { type Connection, Schema } from 'mongoose';

/** An invitation to join an organisation. Only the token's SHA-256 is kept: a leaked database holds no usable token. */
export interface Invitation {
  tokenHash: string;
  org: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

const InvitationSchema = new Schema(
  { _id: String, org: String, createdBy: String, createdAt: Date, expiresAt: Date, usedAt: Date },
  { versionKey: false },
);
type Doc = Omit<Invitation, 'tokenHash'> & { _id: string };
const toInvitation = ({ _id, usedAt, ...rest }: Doc): Invitation => ({
  tokenHash: _id,
  ...rest,
  ...(usedAt ? { usedAt } : {}),
});

export type InvitationStore = ReturnType<typeof invitationStore>;

export function invitationStore(db: Connection) {
  const model = db.model('Invitation', InvitationSchema, 'invitations');
  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),
    async create(i: Invitation): Promise<void> {
      const { tokenHash, ...rest } = i;
      await model.create({ _id: tokenHash, ...rest });
    },
    async get(tokenHash: string): Promise<Invitation | undefined> {
      const doc = await model.findById(tokenHash).lean<Doc>();
      return doc ? toInvitation(doc) : undefined;
    },
    /** Marks it used if it is unused and unexpired; false if another request got there first. */
    async claim(tokenHash: string, now: Date): Promise<boolean> {
      const r = await model.updateOne(
        { _id: tokenHash, usedAt: { $exists: false }, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
      );
      return r.modifiedCount === 1;
    },
    /** Gives a claimed invitation back when the account could not be created after all. */
    async release(tokenHash: string): Promise<void> {
      await model.updateOne({ _id: tokenHash }, { $unset: { usedAt: 1 } });
    },
  };
}
