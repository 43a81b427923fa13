import type { OrganisationSnapshot } from '@mutirao/contracts';
import {
  appendEvents,
  type OutboxEntry,
  type OutboxJournal,
  outboxFields,
  updateIfUnchanged,
} from '@mutirao/outbox';
import { type Connection, Schema } from 'mongoose';
import type { Organisation } from '../domain/organisation';

const CriterionSchema = new Schema(
  { criterion: String, met: Boolean, note: String, by: String, at: Date },
  { _id: false },
);
const DecisionSchema = new Schema(
  { status: String, note: String, by: String, at: Date, changed: { type: [String], default: undefined } },
  { _id: false },
);
const QuestionSchema = new Schema(
  {
    question: String,
    by: String,
    at: Date,
    answer: new Schema({ text: String, by: String, at: Date }, { _id: false }),
  },
  { _id: false },
);

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
      questions: { type: [QuestionSchema], default: undefined },
    },
    revision: { type: Number, required: true },
    version: { type: Number, required: true },
    createdAt: Date,
    updatedAt: Date,
    ...outboxFields,
  },
  { versionKey: false },
);

type Doc = Omit<Organisation, 'id'> & {
  _id: string;
  outbox?: unknown;
  outboxPending?: unknown;
  outboxToken?: unknown;
};

function toOrganisation(doc: Doc): Organisation {
  const { _id, outbox: _o, outboxPending: _p, outboxToken: _t, ...rest } = doc;
  const o = { id: _id, ...rest } as Organisation;
  // Absent optionals come back as null or not at all depending on the server: make them absent.
  for (const k of ['ref', 'sseForm', 'informal'] as const) if (o[k] == null) delete o[k];
  if (o.contact.phone == null) o.contact = { email: o.contact.email };
  if (o.verification.decision == null) delete o.verification.decision;
  else if (!o.verification.decision.changed?.length) delete o.verification.decision.changed;
  if (!o.verification.questions?.length) delete o.verification.questions;
  else for (const q of o.verification.questions) if (q.answer == null) delete q.answer;
  return o;
}

function toDoc(o: Organisation) {
  const { id, ...rest } = o;
  return { _id: id, ...rest };
}

export type OrganisationStore = ReturnType<typeof organisationStore>;

/** A page in id order: of organisations whose country is in scope, after the cursor id when given. */
export interface PageQuery {
  /** The caller's countries (a coordinator's regions); every country when absent. */
  inScope?: (country: string) => boolean;
  after?: string;
  limit: number;
  /** Only organisations whose verification has this status. */
  verification?: string;
}

/**
 * What the lists need of each organisation, in memory: which page holds which ids is decided here,
 * and only the page's documents are read (by `_id`). The embedded FerretDB cannot filter on the
 * verification status (a nested field) or sort from an index, so a page read and sorted every
 * organisation. Kept in step with every write of the store, and with other instances' writes by
 * following the organisation topic (`follow`, see docs/scaling.md); ~100 bytes per organisation.
 */
interface Listed {
  /** The organisation's revision: the directory never goes back to an older one. */
  revision: number;
  country: string;
  /** The verification status. */
  status: string;
}

export function organisationStore(db: Connection, journal: OutboxJournal) {
  const model = db.model('Organisation', OrganisationSchema, 'organisations');
  const directory = new Map<string, Listed>();
  /** Lists the organisation as of `revision`, unless a newer revision is listed; false then. */
  const list = (id: string, revision: number, country: string, status: string): boolean => {
    const old = directory.get(id);
    if (old && old.revision > revision) return false;
    directory.set(id, { revision, country, status });
    return true;
  };
  const listOrganisation = (o: Organisation) => list(o.id, o.revision, o.country, o.verification.status);

  const getMany = async (ids: readonly string[]): Promise<Organisation[]> => {
    if (ids.length === 0) return [];
    const docs = await model.find({ _id: { $in: [...ids] } }).lean<Doc[]>();
    const byId = new Map(docs.map((d) => [d._id, toOrganisation(d)]));
    return ids.flatMap((id) => {
      const o = byId.get(id);
      return o ? [o] : [];
    });
  };

  /** Organisations by their external refs, in one query on the unique `ref`. */
  const byRefs = async (refs: readonly string[]): Promise<Map<string, Organisation>> => {
    if (refs.length === 0) return new Map();
    const docs = await model.find({ ref: { $in: [...refs] } }).lean<Doc[]>();
    return new Map(docs.map((d) => [d.ref as string, toOrganisation(d)]));
  };

  /** New organisations with their events, in one write; false for each whose ref is taken. */
  const insertMany = async (
    items: readonly { org: Organisation; events: OutboxEntry[] }[],
  ): Promise<boolean[]> => {
    const results = await journal.insertMany(
      model,
      items.map(({ org, events }) => ({
        doc: { ...toDoc(org), outbox: [], outboxPending: false },
        entries: events,
      })),
    );
    items.forEach(({ org }, i) => {
      if (results[i]) listOrganisation(org);
    });
    return results;
  };

  // Ids are UUIDv7, so ordering by id is ordering by registration, and the last id is the cursor.
  const page = async (opts: PageQuery): Promise<Organisation[]> => {
    const ids: string[] = [];
    for (const [id, o] of directory) {
      if (opts.verification !== undefined && o.status !== opts.verification) continue;
      if (opts.inScope && !opts.inScope(o.country)) continue;
      if (opts.after !== undefined && id <= opts.after) continue;
      ids.push(id);
    }
    ids.sort();
    return getMany(ids.slice(0, opts.limit));
  };

  return {
    model,
    journal,
    init: () => model.init(),
    count: () => model.countDocuments(),

    /** Fills the lists' directory from the collection (at start, before serving). */
    async load(): Promise<number> {
      const cursor = model
        .find({}, { revision: 1, country: 1, 'verification.status': 1 })
        .lean<{ _id: string; revision: number; country: string; verification: { status: string } }>()
        .cursor({ batchSize: 1_000 });
      for await (const d of cursor) list(d._id, d.revision, d.country, d.verification?.status);
      return directory.size;
    },

    /**
     * Brings the directory up to the snapshots of organisation events (another instance's writes,
     * or this one's again): each is listed unless its revision or a newer one is. A snapshot has
     * all the directory needs: country and verification status.
     */
    follow(snapshots: readonly OrganisationSnapshot[]): number {
      let listed = 0;
      for (const o of snapshots) {
        const old = directory.get(o.id);
        if (old && old.revision >= o.revision) continue;
        if (list(o.id, o.revision, o.country, o.verification)) listed++;
      }
      return listed;
    },

    async get(id: string): Promise<Organisation | undefined> {
      const doc = await model.findById(id).lean<Doc>();
      return doc ? toOrganisation(doc) : undefined;
    },

    getMany,

    async byRef(ref: string): Promise<Organisation | undefined> {
      return (await byRefs([ref])).get(ref);
    },

    byRefs,

    /** The first state and its events, in one write. False when the ref is already taken. */
    async insert(o: Organisation, events: OutboxEntry[]): Promise<boolean> {
      const [ok] = await insertMany([{ org: o, events }]);
      return ok === true;
    },

    insertMany,

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
      // Under the serial queue every organisation write goes through (usecases/serial.ts).
      const r = await updateIfUnchanged(model, _id, 'version', prevVersion, appendEvents(base, events));
      if (r?.matchedCount !== 1) return false;
      listOrganisation(o);
      return true;
    },

    /** Pending organisations in scope, oldest first, after a cursor. */
    pending: (opts: PageQuery) => page({ ...opts, verification: 'pending' }),

    /** Organisations in scope, oldest first, after a cursor. */
    list: (opts: PageQuery) => page(opts),
  };
}
