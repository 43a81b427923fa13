import { createHash } from 'node:crypto';
import type { ProposalSnapshot } from '@mutirao/contracts';
import {
  appendEvents,
  KeyedLocks,
  type OutboxEntry,
  OutboxJournal,
  outboxFields,
  updateIfUnchanged,
  type WithOutbox,
} from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/** The same need and offers always give the same id: a rebuilt database gives the same proposals. */
export const proposalId = (key: string): string =>
  `p_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

type ProposalDoc = Omit<ProposalSnapshot, 'id' | 'explanation'> & {
  /**
   * As JSON text: FerretDB v1 stores a nested value with a type for every field and spends most of
   * a read or write of a proposal on it (4× the time of the same document with this one field as
   * text). Documents written before hold the object.
   */
  explanation: string | ProposalSnapshot['explanation'];
  _id: string;
  /** `proposalKey(needId, offerIds)`: unique, so a pair or triad is never proposed twice. */
  key: string;
  /** Every organisation that must consent, for "my proposals" queries. */
  parties: string[];
  createdAt: Date;
  /**
   * The partition of the need topic the need's id falls in, with several instances: whose relay
   * publishes the document's events (the owner's alone, see `OutboxRelay`'s filter).
   */
  needPartition?: number;
} & WithOutbox;

const ProposalSchema = new Schema(
  {
    _id: String,
    key: { type: String, required: true, unique: true },
    revision: { type: Number, required: true },
    updatedAt: { type: String, required: true },
    createdAt: { type: Date, required: true },
    // Lookups by need, offer, party and status are served from memory (see ProposalLine): no
    // index on them, each would cost every write.
    needId: { type: String, required: true },
    offerIds: { type: [String], required: true },
    needOrganisationId: String,
    offerOrganisationIds: [String],
    parties: [String],
    needType: String,
    needCountry: String,
    modality: String,
    score: Number,
    rank: Number,
    status: { type: String, required: true },
    explanation: Schema.Types.Mixed,
    review: Schema.Types.Mixed,
    consents: { type: Schema.Types.Mixed, default: {} },
    questions: Schema.Types.Mixed,
    round: Schema.Types.Mixed,
    needPartition: Number,
    ...outboxFields,
  },
  { minimize: false, versionKey: false },
);

export function toSnapshot(d: ProposalDoc): ProposalSnapshot {
  return {
    id: d._id,
    revision: d.revision,
    updatedAt: d.updatedAt,
    needId: d.needId,
    offerIds: d.offerIds,
    needOrganisationId: d.needOrganisationId,
    offerOrganisationIds: d.offerOrganisationIds,
    needType: d.needType,
    needCountry: d.needCountry,
    modality: d.modality,
    score: d.score,
    rank: d.rank,
    status: d.status,
    explanation: typeof d.explanation === 'string' ? JSON.parse(d.explanation) : d.explanation,
    ...(d.review ? { review: d.review } : {}),
    consents: d.consents ?? {},
    ...(d.questions?.length ? { questions: d.questions } : {}),
    ...(d.round ? { round: d.round } : {}),
  };
}

export interface ProposalQuery {
  statuses?: readonly string[];
  /** Keeps the proposals whose need's country passes (a region, the caller's regions). */
  needCountry?: (country: string) => boolean;
  modality?: string;
  needType?: string;
  party?: string;
  /** A call's round: its proposals only. */
  round?: string;
  sort: 'score' | 'age';
  after?: { score: number; createdAt: string; id: string };
  limit: number;
}

/**
 * What the matcher and the lists need of a proposal, held in memory for every proposal: the
 * rankings ask for a need's or an offer's proposals on every change, and the review queue filters
 * on five fields and sorts; the embedded FerretDB answers none of that from an index beyond one
 * equality. The store keeps this table in step with each of its writes and reads whole documents
 * by `_id` only. ~400 bytes per proposal.
 */
export interface ProposalLine {
  id: string;
  key: string;
  revision: number;
  needId: string;
  offerIds: readonly string[];
  parties: readonly string[];
  needCountry: string;
  needType: string;
  modality: string;
  status: ProposalSnapshot['status'];
  score: number;
  rank: number;
  createdAt: string;
  /** A call's proposal: its round's id. Such a proposal is outside the need's ranking. */
  round?: string;
}

const LINE_FIELDS = {
  key: 1,
  revision: 1,
  needId: 1,
  offerIds: 1,
  parties: 1,
  needCountry: 1,
  needType: 1,
  modality: 1,
  status: 1,
  score: 1,
  rank: 1,
  createdAt: 1,
  round: 1,
} as const;

const partiesOfSnapshot = (p: ProposalSnapshot) => [
  ...new Set([p.needOrganisationId, ...p.offerOrganisationIds]),
];

function lineOf(p: ProposalSnapshot, key: string, createdAt: string): ProposalLine {
  return {
    id: p.id,
    key,
    revision: p.revision,
    needId: p.needId,
    offerIds: p.offerIds,
    parties: partiesOfSnapshot(p),
    needCountry: p.needCountry,
    needType: p.needType,
    modality: p.modality,
    status: p.status,
    score: p.score,
    rank: p.rank,
    createdAt,
    ...(p.round ? { round: p.round.id } : {}),
  };
}

/** A new proposal for `createMany`: its snapshot, its pair-or-triad key and its `proposed` event. */
export interface NewProposal {
  snapshot: ProposalSnapshot;
  key: string;
  event: OutboxEntry;
  now: Date;
}

export class ProposalStore {
  readonly model: Model<ProposalDoc>;
  /** Shared with the outbox relay: on FerretDB v1 concurrent updates of one document can lose one. */
  readonly locks = new KeyedLocks();
  private readonly lines = new Map<string, ProposalLine>();
  private readonly byNeed = new Map<string, Set<string>>();
  private readonly byOffer = new Map<string, Set<string>>();
  private readonly rejectedKeys = new Set<string>();
  /** New proposals' events are written ahead there (see OutboxJournal). */
  readonly journal: OutboxJournal;
  /**
   * With several instances, the need partition each new proposal is marked with (`needPartition`);
   * none with one instance.
   */
  partitionOf: ((needId: string) => number) | undefined = undefined;

  constructor(conn: Connection) {
    this.model = conn.model<ProposalDoc>('Proposal', ProposalSchema, 'proposals');
    this.journal = new OutboxJournal(conn);
  }

  /** Keeps the line unless the table holds a newer revision of the proposal already. */
  private remember(line: ProposalLine): void {
    const held = this.lines.get(line.id);
    if (held && held.revision > line.revision) return;
    const add = (index: Map<string, Set<string>>, key: string) => {
      let ids = index.get(key);
      if (!ids) {
        ids = new Set();
        index.set(key, ids);
      }
      ids.add(line.id);
    };
    this.lines.set(line.id, line);
    // Rejected is final: a key once rejected stays so.
    if (line.status === 'rejected') this.rejectedKeys.add(line.key);
    add(this.byNeed, line.needId);
    for (const o of line.offerIds) add(this.byOffer, o);
  }

  /** Fills the table from the collection (at start). */
  async load(): Promise<number> {
    await this.loadWhere({});
    return this.lines.size;
  }

  /**
   * Takes into the table the stored proposals of these needs that still hold events nobody
   * published (an instance taking their partition over: the last writer may have died, or released
   * the partition, before its relay's next pass), and marks them with `partition` for this
   * instance's relay. Every other proposal is in the table already: loaded at start, then followed
   * on the proposal topic (`observe`), which the caller has read to its end first. Reading only
   * these is what keeps a take-over short: every proposal of the partition's needs (tens of
   * thousands) took FerretDB half a minute and more while new needs waited.
   */
  async reloadNeeds(needIds: readonly string[], partition?: number): Promise<void> {
    const wanted = new Set(needIds);
    const docs = (
      await this.model
        .find({ outboxPending: true }, { ...LINE_FIELDS, needPartition: 1 })
        .lean<ProposalDoc[]>()
        .exec()
    ).filter((d) => wanted.has(d.needId));
    for (const d of docs) this.rememberDoc(d);
    const ids = docs.filter((d) => d.needPartition !== partition).map((d) => d._id);
    if (partition === undefined || ids.length === 0) return;
    // Under the documents' locks: this process may be writing some of them meanwhile.
    await this.locks.withAll(
      ids.map((id) => `${this.model.collection.name}:${id}`),
      () =>
        this.model
          .updateMany(
            { _id: { $in: ids }, needPartition: { $ne: partition } },
            { $set: { needPartition: partition } },
          )
          .exec(),
    );
  }

  /**
   * A proposal as another instance saved it (from the proposal topic): the table follows it, unless
   * it holds that revision or a newer one already. `key` is its `proposalKey`.
   */
  observe(p: ProposalSnapshot, key: string): void {
    const held = this.lines.get(p.id);
    if (held && held.revision >= p.revision) return;
    // A proposal's first revision is written at its creation time.
    this.remember(lineOf(p, held?.key ?? key, held?.createdAt ?? p.updatedAt));
  }

  private async loadWhere(filter: Record<string, unknown>): Promise<void> {
    const cursor = this.model.find(filter, LINE_FIELDS).lean<ProposalDoc>().cursor({ batchSize: 1_000 });
    for await (const raw of cursor) this.rememberDoc(raw as unknown as ProposalDoc);
  }

  private rememberDoc(d: ProposalDoc): void {
    this.remember({
      id: d._id,
      key: d.key,
      revision: d.revision,
      needId: d.needId,
      offerIds: d.offerIds,
      parties: d.parties ?? [],
      needCountry: d.needCountry,
      needType: d.needType,
      modality: d.modality,
      status: d.status,
      score: d.score,
      rank: d.rank,
      createdAt: new Date(d.createdAt).toISOString(),
      ...(d.round ? { round: d.round.id } : {}),
    });
  }

  get size(): number {
    return this.lines.size;
  }

  /** Inserts a new proposal with its `proposed` event; false when that pair or triad exists already. */
  async create(p: ProposalSnapshot, key: string, event: OutboxEntry, now: Date): Promise<boolean> {
    const [created] = await this.createMany([{ snapshot: p, key, event, now }]);
    return created === true;
  }

  /**
   * Inserts new proposals with their events in one write; false for each whose pair or triad
   * exists already (its key is unique), in the order given.
   */
  async createMany(items: readonly NewProposal[]): Promise<boolean[]> {
    const results = await this.journal.insertMany(
      this.model,
      items.map(({ snapshot, key, event, now }) => {
        const { id, explanation, ...rest } = snapshot;
        return {
          doc: {
            _id: id,
            ...rest,
            explanation: JSON.stringify(explanation),
            key,
            parties: partiesOfSnapshot(snapshot),
            createdAt: now,
            ...(this.partitionOf ? { needPartition: this.partitionOf(snapshot.needId) } : {}),
            outbox: [],
            outboxPending: false,
          },
          entries: [event],
        };
      }),
    );
    items.forEach((item, i) => {
      if (results[i]) this.remember(lineOf(item.snapshot, item.key, item.now.toISOString()));
    });
    return results;
  }

  /** Writes the next state and its event if nobody changed the proposal meanwhile. */
  async save(next: ProposalSnapshot, event: OutboxEntry): Promise<boolean> {
    const { id, revision, explanation, ...rest } = next;
    return this.locks.with(`${this.model.collection.name}:${id}`, async () => {
      const r = await updateIfUnchanged(
        this.model,
        id,
        'revision',
        revision - 1,
        appendEvents<ProposalDoc>({ $set: { ...rest, explanation: JSON.stringify(explanation), revision } }, [
          event,
        ]),
      );
      if (r?.modifiedCount !== 1) return false;
      const held = this.lines.get(id);
      if (held) this.remember(lineOf(next, held.key, held.createdAt));
      return true;
    });
  }

  async get(id: string): Promise<ProposalSnapshot | undefined> {
    const d = await this.model.findById(id, { outbox: 0 }).lean<ProposalDoc>().exec();
    return d ? toSnapshot(d) : undefined;
  }

  /** Whole proposals by id, in the order asked, with when each was made. */
  async getMany(ids: readonly string[]): Promise<(ProposalSnapshot & { createdAt: string })[]> {
    if (ids.length === 0) return [];
    const docs = await this.model
      .find({ _id: { $in: [...ids] } }, { outbox: 0, outboxPending: 0, outboxToken: 0 })
      .lean<ProposalDoc[]>()
      .exec();
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.flatMap((id) => {
      const d = byId.get(id);
      return d ? [{ ...toSnapshot(d), createdAt: new Date(d.createdAt).toISOString() }] : [];
    });
  }

  line(id: string): ProposalLine | undefined {
    return this.lines.get(id);
  }

  /**
   * Keys (`proposalKey`) of the pairs and triads a coordinator rejected, kept in step with every
   * write: the rankings never propose them again.
   */
  get rejected(): ReadonlySet<string> {
    return this.rejectedKeys;
  }

  forNeed(needId: string): ProposalLine[] {
    return [...(this.byNeed.get(needId) ?? [])].flatMap((id) => this.lines.get(id) ?? []);
  }

  withOffer(offerId: string): ProposalLine[] {
    return [...(this.byOffer.get(offerId) ?? [])].flatMap((id) => this.lines.get(id) ?? []);
  }

  /** Every proposal in memory, oldest first. */
  allLines(): ProposalLine[] {
    return [...this.lines.values()].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
    );
  }

  /** Every proposal in full, oldest first (the export). */
  async all(): Promise<(ProposalSnapshot & { createdAt: string })[]> {
    const ids = this.allLines().map((l) => l.id);
    const out: (ProposalSnapshot & { createdAt: string })[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...(await this.getMany(ids.slice(i, i + 500))));
    return out;
  }

  /**
   * One page of a filtered list, sorted by score (best first) or age (oldest first), each then by
   * id, after the cursor's place; `next` is the place of the last item when more follow.
   */
  async page(
    q: ProposalQuery,
  ): Promise<{ items: (ProposalSnapshot & { createdAt: string })[]; next?: ProposalQuery['after'] }> {
    const statuses = q.statuses ? new Set(q.statuses) : undefined;
    const byScore = q.sort === 'score';
    const before = (a: ProposalLine, b: { score: number; createdAt: string; id: string }): boolean => {
      if (byScore) {
        if (a.score !== b.score) return a.score > b.score;
      } else if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
      return a.id < b.id;
    };
    const keep = q.limit + 1;
    const best: ProposalLine[] = [];
    for (const l of this.lines.values()) {
      if (statuses && !statuses.has(l.status)) continue;
      if (q.needCountry && !q.needCountry(l.needCountry)) continue;
      if (q.modality !== undefined && l.modality !== q.modality) continue;
      if (q.needType !== undefined && l.needType !== q.needType) continue;
      if (q.party !== undefined && !l.parties.includes(q.party)) continue;
      if (q.round !== undefined && l.round !== q.round) continue;
      if (q.after && !before(q.after as ProposalLine, l)) continue;
      if (best.length === keep && !before(l, best[keep - 1] as ProposalLine)) continue;
      let i = best.length;
      while (i > 0 && before(l, best[i - 1] as ProposalLine)) i--;
      best.splice(i, 0, l);
      if (best.length > keep) best.pop();
    }
    const page = best.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: await this.getMany(page.map((l) => l.id)),
      ...(best.length > q.limit && last
        ? { next: { score: last.score, createdAt: last.createdAt, id: last.id } }
        : {}),
    };
  }
}
