import type { PostingStatus } from '@mutirao/contracts';
import type { DocumentLocks } from '@mutirao/outbox';
import {
  appendEvents,
  isDuplicateKey,
  type OutboxEntry,
  outboxFields,
  updateIfUnchanged,
} from '@mutirao/outbox';
import { type Connection, type FilterQuery, type Model, Schema } from 'mongoose';
import type { Content, Kind, Posting } from '../domain/types';

/** A posting as stored: the domain state, fields derived for search, and the pending events. */
interface PostingDoc {
  _id: string;
  kind: Kind;
  ref?: string;
  /** `ref:<ref>` or `id:<id>`: always set, so one unique index guards refs on every server. */
  refKey: string;
  organisationId: string;
  /** The organisation's seat, from the read model; for the country and region filters. */
  orgCountry?: string;
  /** DAC 3-digit categories of `content.sectors`, for the sector-category filter. */
  sectorCategories: string[];
  status: PostingStatus;
  revision: number;
  /** Optimistic-concurrency counter: grows with every write, revision or not. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  content: Content;
  appliedProposals: string[];
  outbox: OutboxEntry[];
  outboxPending: boolean;
}

const PostingSchema = new Schema<PostingDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    ref: String,
    refKey: { type: String, required: true, unique: true },
    organisationId: { type: String, required: true, index: true },
    orgCountry: String,
    sectorCategories: [String],
    status: { type: String, required: true },
    revision: { type: Number, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    appliedProposals: [String],
    ...outboxFields,
  },
  { versionKey: false, minimize: false, timestamps: false },
);
PostingSchema.index({ status: 1, expiresAt: 1 });
PostingSchema.index({ createdAt: -1, _id: -1 });
PostingSchema.index({ expiresAt: 1, _id: 1 });

export type PostingModel = Model<PostingDoc>;

export const postingModel = (db: Connection, kind: Kind): PostingModel =>
  db.model<PostingDoc>(
    kind === 'need' ? 'Need' : 'Offer',
    PostingSchema,
    kind === 'need' ? 'needs' : 'offers',
  );

export const refKeyOf = (ref: string | undefined, id: string): string =>
  ref !== undefined ? `ref:${ref}` : `id:${id}`;

export interface Stored<C extends Content = Content> {
  posting: Posting<C>;
  version: number;
  orgCountry?: string;
}

export type SortOrder = 'newest' | 'expiry';

export interface SearchQuery {
  /** Mongo filter built by the caller from the search parameters and the caller's visibility. */
  filter: FilterQuery<PostingDoc>;
  sort: SortOrder;
  after?: { value: Date; id: string };
  limit: number;
}

const sectorCategoriesOf = (c: Content): string[] => [...new Set(c.sectors.map((s) => s.slice(0, 3)))];

function toStored<C extends Content>(d: PostingDoc): Stored<C> {
  const posting: Posting<C> = {
    id: d._id,
    kind: d.kind,
    ...(d.ref != null ? { ref: d.ref } : {}),
    organisationId: d.organisationId,
    status: d.status,
    revision: d.revision,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    expiresAt: new Date(d.expiresAt),
    content: d.content as C,
    appliedProposals: d.appliedProposals ?? [],
  };
  return { posting, version: d.version, ...(d.orgCountry ? { orgCountry: d.orgCountry } : {}) };
}

function stateFields(p: Posting) {
  return {
    status: p.status,
    revision: p.revision,
    updatedAt: p.updatedAt,
    expiresAt: p.expiresAt,
    content: p.content,
    sectorCategories: sectorCategoriesOf(p.content),
    appliedProposals: p.appliedProposals,
  };
}

/** Needs or offers in their collection; every method returns plain objects. */
export class PostingRepo {
  constructor(
    readonly model: PostingModel,
    /** Every update of a document takes its lock: see DocumentLocks for why. */
    private readonly locks: DocumentLocks,
  ) {}

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.with(`${this.model.collection.name}:${id}`, fn);
  }

  async get<C extends Content>(id: string): Promise<Stored<C> | undefined> {
    const d = await this.model.findById(id, { outbox: 0 }).lean<PostingDoc>().exec();
    return d ? toStored<C>(d) : undefined;
  }

  async getByRef<C extends Content>(ref: string): Promise<Stored<C> | undefined> {
    const d = await this.model
      .findOne({ refKey: refKeyOf(ref, '') }, { outbox: 0 })
      .lean<PostingDoc>()
      .exec();
    return d ? toStored<C>(d) : undefined;
  }

  /** Inserts a new posting with its pending events; `duplicate-ref` when the ref is taken. */
  async insert(
    p: Posting,
    orgCountry: string | undefined,
    outbox: OutboxEntry[],
  ): Promise<'ok' | 'duplicate-ref'> {
    try {
      await this.model.create({
        _id: p.id,
        kind: p.kind,
        ...(p.ref !== undefined ? { ref: p.ref } : {}),
        refKey: refKeyOf(p.ref, p.id),
        organisationId: p.organisationId,
        ...(orgCountry ? { orgCountry } : {}),
        createdAt: p.createdAt,
        version: 1,
        ...stateFields(p),
        outbox,
        outboxPending: outbox.length > 0,
      });
      return 'ok';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate-ref';
      throw err;
    }
  }

  /**
   * Writes the new state and its pending events in one single-document update, only if nobody
   * wrote the document since it was read (`version`). False means: read again and retry.
   */
  async save(p: Posting, version: number, outbox: OutboxEntry[]): Promise<boolean> {
    const update = { $set: { ...stateFields(p), version: version + 1 } };
    const r = await this.locked(p.id, () =>
      updateIfUnchanged(
        this.model,
        p.id,
        'version',
        version,
        outbox.length > 0 ? appendEvents<PostingDoc>(update, outbox) : update,
      ),
    );
    return r?.matchedCount === 1;
  }

  /** Open postings whose expiry has passed. */
  async dueForExpiry(now: Date, limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ status: 'open', expiresAt: { $lte: now } }, { _id: 1 })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** The earliest expiry among open postings, for the scheduler's timer. */
  async nextExpiry(): Promise<Date | undefined> {
    const [d] = await this.model
      .find({ status: 'open' }, { expiresAt: 1 })
      .sort({ expiresAt: 1 })
      .limit(1)
      .lean<{ expiresAt: Date }[]>()
      .exec();
    return d ? new Date(d.expiresAt) : undefined;
  }

  async setOrganisationCountry(organisationId: string, country: string): Promise<void> {
    const stale = await this.model
      .find({ organisationId, orgCountry: { $ne: country } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    for (const { _id } of stale)
      await this.locked(_id, () => this.model.updateOne({ _id }, { $set: { orgCountry: country } }));
  }

  async search<C extends Content>(q: SearchQuery): Promise<Stored<C>[]> {
    const field = q.sort === 'newest' ? 'createdAt' : 'expiresAt';
    const dir = q.sort === 'newest' ? -1 : 1;
    const cmp = dir === -1 ? '$lt' : '$gt';
    const filter: FilterQuery<PostingDoc> = q.after
      ? {
          $and: [
            q.filter,
            {
              $or: [
                { [field]: { [cmp]: q.after.value } },
                { [field]: q.after.value, _id: { [cmp]: q.after.id } },
              ],
            },
          ],
        }
      : q.filter;
    const docs = await this.model
      .find(filter, { outbox: 0 })
      .sort({ [field]: dir, _id: dir })
      .limit(q.limit)
      .lean<PostingDoc[]>()
      .exec();
    return docs.map((d) => toStored<C>(d));
  }

  count(filter: FilterQuery<PostingDoc> = {}): Promise<number> {
    return this.model.countDocuments(filter).exec();
  }
}
