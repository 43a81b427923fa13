import { createHash } from 'node:crypto';
import type { ProposalSnapshot } from '@mutirao/contracts';
import {
  appendEvents,
  DocumentLocks,
  isDuplicateKey,
  type OutboxEntry,
  outboxFields,
  updateIfUnchanged,
  type WithOutbox,
} from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/** The same need and offers always give the same id: a rebuilt database gives the same proposals. */
export const proposalId = (key: string): string =>
  `p_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;

type ProposalDoc = Omit<ProposalSnapshot, 'id'> & {
  _id: string;
  /** `proposalKey(needId, offerIds)`: unique, so a pair or triad is never proposed twice. */
  key: string;
  /** Every organisation that must consent, for "my proposals" queries. */
  parties: string[];
  createdAt: Date;
} & WithOutbox;

const ProposalSchema = new Schema(
  {
    _id: String,
    key: { type: String, required: true, unique: true },
    revision: { type: Number, required: true },
    updatedAt: { type: String, required: true },
    createdAt: { type: Date, required: true },
    needId: { type: String, required: true, index: true },
    offerIds: { type: [String], required: true, index: true },
    needOrganisationId: String,
    offerOrganisationIds: [String],
    parties: { type: [String], index: true },
    needType: String,
    needCountry: String,
    modality: String,
    score: Number,
    rank: Number,
    status: { type: String, required: true, index: true },
    explanation: Schema.Types.Mixed,
    review: Schema.Types.Mixed,
    consents: { type: Schema.Types.Mixed, default: {} },
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
    explanation: d.explanation,
    ...(d.review ? { review: d.review } : {}),
    consents: d.consents ?? {},
  };
}

export interface ProposalQuery {
  statuses?: string[];
  needCountries?: string[];
  modality?: string;
  needType?: string;
  party?: string;
  sort: 'score' | 'age';
  after?: { score: number; createdAt: Date; id: string };
  limit: number;
}

export class ProposalStore {
  readonly model: Model<ProposalDoc>;
  /** Shared with the outbox relay: on FerretDB v1 concurrent updates of one document can lose one. */
  readonly locks = new DocumentLocks();

  constructor(conn: Connection) {
    this.model = conn.model<ProposalDoc>('Proposal', ProposalSchema, 'proposals');
  }

  /** Inserts a new proposal with its `proposed` event; false when that pair or triad exists already. */
  async create(p: ProposalSnapshot, key: string, event: OutboxEntry, now: Date): Promise<boolean> {
    const { id, ...rest } = p;
    const parties = [...new Set([p.needOrganisationId, ...p.offerOrganisationIds])];
    try {
      await this.model.create({
        _id: id,
        ...rest,
        key,
        parties,
        createdAt: now,
        outbox: [event],
        outboxPending: true,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Writes the next state and its event if nobody changed the proposal meanwhile. */
  async save(next: ProposalSnapshot, event: OutboxEntry): Promise<boolean> {
    const { id, revision, ...rest } = next;
    return this.locks.with(`${this.model.collection.name}:${id}`, async () => {
      const r = await updateIfUnchanged(
        this.model,
        id,
        'revision',
        revision - 1,
        appendEvents<ProposalDoc>({ $set: { ...rest, revision } }, [event]),
      );
      return r?.modifiedCount === 1;
    });
  }

  async get(id: string): Promise<ProposalSnapshot | undefined> {
    const d = await this.model.findById(id, { outbox: 0 }).lean<ProposalDoc>().exec();
    return d ? toSnapshot(d) : undefined;
  }

  async keysWithStatus(status: string): Promise<Set<string>> {
    const rows = await this.model.find({ status }, { key: 1 }).lean<{ key: string }[]>().exec();
    return new Set(rows.map((r) => r.key));
  }

  async forNeed(needId: string): Promise<ProposalSnapshot[]> {
    const rows = await this.model.find({ needId }, { outbox: 0 }).lean<ProposalDoc[]>().exec();
    return rows.map(toSnapshot);
  }

  async withOffer(offerId: string): Promise<ProposalSnapshot[]> {
    const rows = await this.model.find({ offerIds: offerId }, { outbox: 0 }).lean<ProposalDoc[]>().exec();
    return rows.map(toSnapshot);
  }

  async all(): Promise<(ProposalSnapshot & { createdAt: string })[]> {
    const rows = await this.model
      .find({}, { outbox: 0 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<ProposalDoc[]>()
      .exec();
    return rows.map((d) => ({ ...toSnapshot(d), createdAt: d.createdAt.toISOString() }));
  }

  /** One page of a filtered list, sorted by score (best first) or age (oldest first), keyset-paginated. */
  async page(q: ProposalQuery): Promise<(ProposalSnapshot & { createdAt: string })[]> {
    const filter: Record<string, unknown> = {};
    if (q.statuses) filter.status = { $in: q.statuses };
    if (q.needCountries) filter.needCountry = { $in: q.needCountries };
    if (q.modality) filter.modality = q.modality;
    if (q.needType) filter.needType = q.needType;
    if (q.party) filter.parties = q.party;
    if (q.after) {
      const a = q.after;
      filter.$or =
        q.sort === 'score'
          ? [{ score: { $lt: a.score } }, { score: a.score, _id: { $gt: a.id } }]
          : [{ createdAt: { $gt: a.createdAt } }, { createdAt: a.createdAt, _id: { $gt: a.id } }];
    }
    const sort: Record<string, 1 | -1> =
      q.sort === 'score' ? { score: -1, _id: 1 } : { createdAt: 1, _id: 1 };
    const rows = await this.model
      .find(filter, { outbox: 0 })
      .sort(sort)
      .limit(q.limit)
      .lean<ProposalDoc[]>()
      .exec();
    return rows.map((d) => ({ ...toSnapshot(d), createdAt: d.createdAt.toISOString() }));
  }
}
