import type { NeedSnapshot, OfferSnapshot, PostingStatus } from '@mutirao/contracts';
import type { KeyedLocks } from '@mutirao/outbox';
import {
  appendEvents,
  type OutboxEntry,
  type OutboxJournal,
  outboxFields,
  updateIfUnchanged,
} from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';
import type { Content, Kind, Posting } from '../domain/types';
import {
  type CatalogEntry,
  type CatalogFilter,
  entryOf,
  entryOfSnapshot,
  type OrganisationCountries,
  PostingCatalog,
  type SortOrder,
} from './catalog';

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
  closedBy?: 'revocation' | null;
  outbox: OutboxEntry[];
  outboxPending: boolean;
  outboxToken?: string;
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
    closedBy: String,
    ...outboxFields,
  },
  { versionKey: false, minimize: false, timestamps: false },
);
// Browse and expiry are served from the catalog (see catalog.ts); these serve MongoDB users who
// query the collection directly.
PostingSchema.index({ status: 1, expiresAt: 1 });
PostingSchema.index({ createdAt: -1, _id: -1 });

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

export type { SortOrder };

export interface SearchQuery {
  filter: CatalogFilter;
  sort: SortOrder;
  after?: { value: number; id: string };
  limit: number;
}

/** A new posting for `insertMany`. */
export interface NewStored {
  posting: Posting;
  orgCountry: string | undefined;
  outbox: OutboxEntry[];
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
    ...(d.closedBy ? { closedBy: d.closedBy } : {}),
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
    // null, not absent: a renewal must clear what a revocation set.
    closedBy: p.closedBy ?? null,
  };
}

function newDoc({ posting: p, orgCountry }: NewStored) {
  return {
    _id: p.id,
    kind: p.kind,
    ...(p.ref !== undefined ? { ref: p.ref } : {}),
    refKey: refKeyOf(p.ref, p.id),
    organisationId: p.organisationId,
    ...(orgCountry ? { orgCountry } : {}),
    createdAt: p.createdAt,
    version: 1,
    ...stateFields(p),
    outbox: [],
    outboxPending: false,
  };
}

/**
 * Needs or offers in their collection; every method returns plain objects. Reads and writes go by
 * `_id` or by the unique `refKey` (both served from an index by every server); browsing and expiry
 * go through the catalog, which this repository keeps in step with every write it makes, and with
 * other instances' writes as their events come (`follow`).
 */
export class PostingRepo {
  readonly catalog: PostingCatalog;

  constructor(
    readonly model: PostingModel,
    /** Every update of a document takes its lock: see KeyedLocks for why. */
    private readonly locks: KeyedLocks,
    /** New postings' events are written ahead there (see OutboxJournal). */
    private readonly journal: OutboxJournal,
    kind: Kind,
    /** The organisations' countries, shared by the catalogs of both kinds. */
    countries?: OrganisationCountries,
  ) {
    this.catalog = new PostingCatalog(kind, countries);
  }

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.with(`${this.model.collection.name}:${id}`, fn);
  }

  /** Fills the catalog from the collection (at start, before serving). */
  async loadCatalog(): Promise<number> {
    const cursor = this.model
      .find({}, { outbox: 0, outboxPending: 0, outboxToken: 0 })
      .lean<PostingDoc>()
      .cursor({ batchSize: 1_000 });
    let n = 0;
    for await (const d of cursor) {
      this.catalog.put(entryOf(toStored(d as PostingDoc).posting));
      n++;
    }
    return n;
  }

  async get<C extends Content>(id: string): Promise<Stored<C> | undefined> {
    const d = await this.model.findById(id, { outbox: 0 }).lean<PostingDoc>().exec();
    return d ? toStored<C>(d) : undefined;
  }

  /** Several postings by id, in the order asked (missing ones left out). */
  async getMany<C extends Content>(ids: readonly string[]): Promise<Stored<C>[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: [...ids] } }, { outbox: 0 })
      .lean<PostingDoc[]>()
      .exec();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.flatMap((id) => {
      const d = byId.get(id);
      return d ? [toStored<C>(d)] : [];
    });
  }

  async getByRef<C extends Content>(ref: string): Promise<Stored<C> | undefined> {
    return (await this.getManyByRef<C>([ref])).get(ref);
  }

  /** Postings by their external references, in one query on the unique `refKey`. */
  async getManyByRef<C extends Content>(refs: readonly string[]): Promise<Map<string, Stored<C>>> {
    if (refs.length === 0) return new Map();
    const docs = await this.model
      .find({ refKey: { $in: refs.map((r) => refKeyOf(r, '')) } }, { outbox: 0 })
      .lean<PostingDoc[]>()
      .exec();
    return new Map(docs.filter((d) => d.ref != null).map((d) => [d.ref as string, toStored<C>(d)]));
  }

  /** Inserts a new posting with its pending events; `duplicate-ref` when the ref is taken. */
  async insert(
    p: Posting,
    orgCountry: string | undefined,
    outbox: OutboxEntry[],
  ): Promise<'ok' | 'duplicate-ref'> {
    const [r] = await this.insertMany([{ posting: p, orgCountry, outbox }]);
    return r ?? 'ok';
  }

  /**
   * Inserts new postings in one write; each is `duplicate-ref` when its ref is taken (by another
   * posting stored meanwhile), in the order given.
   */
  async insertMany(items: readonly NewStored[]): Promise<('ok' | 'duplicate-ref')[]> {
    const stored = await this.journal.insertMany(
      this.model,
      items.map((item) => ({ doc: newDoc(item), entries: item.outbox })),
    );
    const results = stored.map((ok): 'ok' | 'duplicate-ref' => (ok ? 'ok' : 'duplicate-ref'));
    items.forEach((item, i) => {
      if (results[i] === 'ok') this.catalog.put(entryOf(item.posting));
    });
    return results;
  }

  /**
   * Writes the new state and its pending events in one single-document update, only if nobody
   * wrote the document since it was read (`version`). False means: read again and retry.
   */
  async save(p: Posting, version: number, outbox: OutboxEntry[]): Promise<boolean> {
    const update = { $set: { ...stateFields(p), version: version + 1 } };
    const r = await this.locked(p.id, () =>
      updateIfUnchanged(this.model, p.id, 'version', version, appendEvents<PostingDoc>(update, outbox)),
    );
    if (r?.matchedCount !== 1) return false;
    this.catalog.put(entryOf(p));
    return true;
  }

  /**
   * Brings the catalog up to the snapshots of this kind's events (another instance's writes, or
   * this one's again): each is held unless the catalog has its revision or a newer one. A snapshot
   * lacks the creation date: the entry held has it; a first revision was created at its
   * `updatedAt`; any other posting new to this instance (a draft published elsewhere, say) is read
   * from the store, where it is at least as new as its event. Returns the entries now held.
   */
  async follow(snapshots: readonly (NeedSnapshot | OfferSnapshot)[]): Promise<CatalogEntry[]> {
    const held: CatalogEntry[] = [];
    const unknown = new Set<string>();
    for (const s of snapshots) {
      const old = this.catalog.get(s.id);
      if (old && old.revision >= s.revision) continue;
      const createdAt = old ? old.createdAt : s.revision === 1 ? Date.parse(s.updatedAt) : undefined;
      if (createdAt === undefined) unknown.add(s.id);
      else {
        const e = entryOfSnapshot(s, createdAt);
        if (this.catalog.put(e)) held.push(e);
      }
    }
    for (const st of await this.getMany([...unknown])) {
      const e = entryOf(st.posting);
      if (this.catalog.put(e)) held.push(e);
    }
    return held;
  }

  /**
   * Holds a posting as just read from the store, unless the catalog has a newer revision: for a
   * catalog behind the store (another instance wrote, and its event has not come yet).
   */
  note(p: Posting): void {
    this.catalog.put(entryOf(p));
  }

  /** The ids of an organisation's postings in a status, from the store (the indexed `organisationId`). */
  async idsOf(organisationId: string, status: PostingStatus): Promise<string[]> {
    const docs = await this.model
      .find({ organisationId, status }, { _id: 1 })
      .lean<Pick<PostingDoc, '_id'>[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Open postings whose expiry has passed. */
  dueForExpiry(now: Date, limit: number): string[] {
    return this.catalog.dueForExpiry(now.getTime(), limit);
  }

  /** The earliest expiry among open postings, for the scheduler's timer. */
  nextExpiry(): Date | undefined {
    const next = this.catalog.nextExpiry();
    return next === undefined ? undefined : new Date(next);
  }

  /**
   * Records each organisation's country on its postings that hold another, as stored (the catalog
   * takes countries from OrganisationCountries; this copy serves the coordinators' view of
   * confidential notes). The postings are found in the store, by the indexed `organisationId`:
   * some may have been written by another instance.
   */
  async setOrganisationCountries(countries: ReadonlyMap<string, string>): Promise<void> {
    if (countries.size === 0) return;
    const docs = await this.model
      .find({ organisationId: { $in: [...countries.keys()] } }, { _id: 1, organisationId: 1, orgCountry: 1 })
      .lean<Pick<PostingDoc, '_id' | 'organisationId' | 'orgCountry'>[]>()
      .exec();
    for (const d of docs) {
      const country = countries.get(d.organisationId);
      if (country === undefined || d.orgCountry === country) continue;
      await this.locked(d._id, () => this.model.updateOne({ _id: d._id }, { $set: { orgCountry: country } }));
    }
  }

  /** One page of postings, from the catalog, read by `_id`. */
  async search<C extends Content>(
    q: SearchQuery,
  ): Promise<{ items: Stored<C>[]; next?: { value: number; id: string } }> {
    const page = this.catalog.search(q.filter, q.sort, q.limit, q.after);
    return { items: await this.getMany<C>(page.ids), ...(page.next ? { next: page.next } : {}) };
  }

  count(filter: CatalogFilter = {}): number {
    return this.catalog.count(filter);
  }
}
