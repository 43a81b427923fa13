import type { Role } from '@mutirao/http';
import { isDuplicateKey } from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';

/** A person who signs in: a member of one organisation, or staff (coordinator, admin) with none. */
export interface Account {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles: Role[];
  org?: string;
  regions: string[];
  createdAt: Date;
}

const AccountSchema = new Schema(
  {
    _id: String,
    // Stored lower-cased: one account per address whatever the case typed.
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    roles: [String],
    org: { type: String, index: true },
    regions: [String],
    createdAt: Date,
  },
  { versionKey: false },
);

type Doc = Omit<Account, 'id'> & { _id: string };
const toAccount = ({ _id, org, ...rest }: Doc): Account => ({ id: _id, ...rest, ...(org ? { org } : {}) });

export type AccountStore = ReturnType<typeof accountStore>;

export function accountStore(db: Connection) {
  const model = db.model('Account', AccountSchema, 'accounts');
  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),

    /** False when the email is taken. */
    async create(a: Account): Promise<boolean> {
      const { id, ...rest } = a;
      try {
        await model.create({ _id: id, ...rest });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async remove(id: string): Promise<void> {
      await model.deleteOne({ _id: id });
    },
    async byEmail(email: string): Promise<Account | undefined> {
      const doc = await model.findOne({ email: email.toLowerCase() }).lean<Doc>();
      return doc ? toAccount(doc) : undefined;
    },
    async exists(email: string): Promise<boolean> {
      return (await model.countDocuments({ email: email.toLowerCase() })) > 0;
    },
    async byOrg(org: string): Promise<Account[]> {
      const docs = await model.find({ org }).sort({ _id: 1 }).limit(1000).lean<Doc[]>();
      return docs.map(toAccount);
    },
  };
}
