import type { OrganisationSnapshot, VerificationStatus } from '@mutirao/contracts';
import { DocumentLocks, keepNewest } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/** What the exchange keeps of an organisation: enough to check publishing and to filter. */
export interface OrganisationView {
  id: string;
  revision: number;
  name: string;
  kind: OrganisationSnapshot['kind'];
  country: string;
  verification: VerificationStatus;
}

interface OrganisationDoc {
  _id: string;
  revision: number;
  name: string;
  kind: string;
  country: string;
  verification: string;
}

const OrganisationSchema = new Schema<OrganisationDoc>(
  {
    _id: String,
    revision: { type: Number, required: true },
    name: String,
    kind: String,
    country: String,
    verification: String,
  },
  { versionKey: false },
);

/** The organisation read model, built from `mutirao.profiles.organisation.v1`. */
export class OrganisationRepo {
  private readonly model: Model<OrganisationDoc>;
  private readonly locks = new DocumentLocks();

  constructor(db: Connection) {
    this.model = db.model<OrganisationDoc>('Organisation', OrganisationSchema, 'organisations');
  }

  async get(id: string): Promise<OrganisationView | undefined> {
    const d = await this.model.findById(id).lean<OrganisationDoc>().exec();
    return d
      ? {
          id: d._id,
          revision: d.revision,
          name: d.name,
          kind: d.kind as OrganisationView['kind'],
          country: d.country,
          verification: d.verification as VerificationStatus,
        }
      : undefined;
  }

  /** Stores the snapshot if its revision is newer than the one held; false when it is not. */
  async apply(o: OrganisationSnapshot): Promise<boolean> {
    const fields = { name: o.name, kind: o.kind, country: o.country, verification: o.verification };
    return (await keepNewest(this.model, this.locks, o.id, o.revision, fields)) === 'applied';
  }
}
