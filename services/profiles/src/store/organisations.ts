import {
  appendEvents,
  isDuplicateKey,
  type OutboxEntry,
  outboxFields,
  updateIfUnchanged,
} from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import type { Organisation } from '../domain/organisation';

const CriterionSchema = new Schema(
  { criterion: String, met: Boolean, note: String, by: String, at: Date },
  { _id: false },
);
const DecisionSchema = new Schema({ status: String, note: String, by: String, at: Date }, { _id: false });

const OrganisationSchema = new Schema(
  {
    _id: String,
    // Sparse: only imported organisations carry an external reference.
    ref: { type: String, unique: true, sparse: true },
    name: { type: String, required: true },
    kind: { type: String, required: true },
    sseForm: String,
    informal: Boolean,
    country: { type: String, required: true, index: true },
    languages: [String],
    sectors: [String],
    description: String,
    contact: { email: String, phone: String },
    verification: {
      status: { type: String, required: true, index: true },
      criteria: { type: [CriterionSchema], default: [] },
      decision: DecisionSchema,
    },
    revision: { type: Number, required: true },
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
    ...outboxFields,
  },
  { versionKey: false },
);

type Doc = Omit<Organisation, 'id'> & { _id: string; outbox?: unknown; outboxPending?: unknown };

function toOrganisation(doc: Doc): Organisation {
  const { _id, outbox: _o, outboxPending: _p, ...rest } = doc;
  const o = { id: _id, ...rest } as Organisation;
  // Absent optionals come back as null or not at all depending on the server: make them absent.
  for (const k of ['ref', 'sseForm', 'informal'] as const) if (o[k] == null) delete o[k];
  if (o.contact.phone == null) o.contact = { email: o.contact.email };
  if (o.verification.decision == null) delete o.verification.decision;
  return o;
}

function toDoc(o: Organisation) {
  const { id, ...rest } = o;
  return { _id: id, ...rest };
}

export type OrganisationStore = ReturnType<typeof organisationStore>;

/** A page in id order: within these countries when given, after the cursor id when given. */
export interface PageQuery {
  countries?: readonly string[];
  after?: string;
  limit: number;
}

export function organisationStore(db: Connection) {
  const model = db.model('Organisation', OrganisationSchema, 'organisations');

  // Ids are UUIDv7, so ordering by id is ordering by registration, and the last id is the cursor.
  const page = async (base: Record<string, unknown>, opts: PageQuery): Promise<Organisation[]> => {
    const filter: Record<string, unknown> = { ...base };
    if (opts.countries) filter.country = { $in: [...opts.countries] };
    if (opts.after) filter._id = { $gt: opts.after };
    const docs = await model.find(filter).sort({ _id: 1 }).limit(opts.limit).lean<Doc[]>();
    return docs.map(toOrganisation);
  };

  return {
    model,
    init: () => model.init(),
    count: () => model.countDocuments(),

    async get(id: string): Promise<Organisation | undefined> {
      const doc = await model.findById(id).lean<Doc>();
      return doc ? toOrganisation(doc) : undefined;
    },

    async byRef(ref: string): Promise<Organisation | undefined> {
      const doc = await model.findOne({ ref }).lean<Doc>();
      return doc ? toOrganisation(doc) : undefined;
    },

    /** The first state and its events, in one write. False when the ref is already taken. */
    async insert(o: Organisation, events: OutboxEntry[]): Promise<boolean> {
      try {
        await model.create({ ...toDoc(o), outbox: events, outboxPending: events.length > 0 });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },

    /**
     * The next state and its events in one single-document write, only if nobody wrote since
     * `prevVersion` was read (optimistic concurrency). False when someone did.
     */
    async replace(prevVersion: number, o: Organisation, events: OutboxEntry[]): Promise<boolean> {
      const { _id, ...fields } = toDoc(o);
      const unset = Object.fromEntries(
        (['sseForm', 'informal'] as const).filter((k) => o[k] === undefined).map((k) => [k, 1]),
      );
      const base = { $set: fields, ...(Object.keys(unset).length ? { $unset: unset } : {}) };
      const update = events.length ? appendEvents(base, events) : base;
      // Under the serial queue every organisation write goes through (usecases/serial.ts).
      const r = await updateIfUnchanged(model, _id, 'version', prevVersion, update);
      return r?.matchedCount === 1;
    },

    /** Pending organisations in these countries (all when undefined), oldest first, after a cursor. */
    pending: (opts: PageQuery) => page({ 'verification.status': 'pending' }, opts),

    /** Organisations in these countries (all when undefined), oldest first, after a cursor. */
    list: (opts: PageQuery) => page({}, opts),
  };
}
