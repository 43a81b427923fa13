import {
  appendEvents,
  type KeyedLocks,
  type OutboxEntry,
  outboxFields,
  pendingEvents,
  updateIfUnchanged,
  type WithOutbox,
} from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';
import type { Partnership } from '../domain/types';

/** A partnership as stored: its state, the write guard and the outbox. */
interface PartnershipDoc extends WithOutbox, Omit<Partnership, 'id'> {
  _id: string;
  version: number;
  /** The parties' organisation ids, top level so that "my partnerships" is an equality match. */
  orgIds: string[];
  /** When the next reminder falls due (none: every period reminded, or no reports expected). */
  nextReminderAt?: Date | null;
}

const Mixed = Schema.Types.Mixed;
const PartnershipSchema = new Schema<PartnershipDoc>(
  {
    _id: String,
    version: { type: Number, required: true },
    revision: { type: Number, required: true },
    needId: { type: String, index: true },
    offerIds: [String],
    parties: [Mixed],
    orgIds: { type: [String], index: true },
    triad: Boolean,
    modality: String,
    needType: String,
    country: { type: String, index: true },
    sectors: [String],
    sdgs: [Number],
    amount: Mixed,
    detailsKnown: { type: Boolean, index: true },
    agreedAt: { type: Date, index: true },
    startDate: String,
    status: String,
    reportPeriods: [Number],
    reports: [Mixed],
    comments: [Mixed],
    reminded: [Number],
    nextReminderAt: { type: Date, index: true },
    createdAt: Date,
    updatedAt: Date,
    ...outboxFields,
  },
  { versionKey: false, minimize: false },
);

export interface Stored {
  partnership: Partnership;
  version: number;
}

function fromDoc(d: PartnershipDoc): Stored {
  const {
    _id,
    version,
    orgIds: _o,
    nextReminderAt: _n,
    outbox: _ob,
    outboxPending: _op,
    outboxToken: _ot,
    ...rest
  } = d;
  const partnership: Partnership = {
    ...rest,
    id: _id,
    agreedAt: new Date(rest.agreedAt),
    createdAt: new Date(rest.createdAt),
    updatedAt: new Date(rest.updatedAt),
    reports: (rest.reports ?? []).map((r) => ({
      ...r,
      filedAt: new Date(r.filedAt),
      updatedAt: new Date(r.updatedAt),
    })),
    comments: (rest.comments ?? []).map((c) => ({ ...c, at: new Date(c.at) })),
  };
  if (partnership.amount == null) delete partnership.amount;
  return { partnership, version };
}

function stateOf(p: Partnership, nextReminderAt: Date | undefined) {
  const { id: _id, ...state } = p;
  return {
    ...state,
    amount: p.amount ?? null,
    orgIds: p.parties.map((x) => x.organisationId),
    nextReminderAt: nextReminderAt ?? null,
  };
}

export interface PartnershipFilter {
  orgId?: string;
  countries?: readonly string[];
  agreedFrom?: Date;
  agreedTo?: Date;
}

/** The partnerships, one document each with its reports and comments (a handful per partnership). */
export class PartnershipRepo {
  readonly model: Model<PartnershipDoc>;

  constructor(
    db: Connection,
    private readonly locks: KeyedLocks,
  ) {
    this.model = db.model<PartnershipDoc>('Partnership', PartnershipSchema, 'partnerships');
  }

  private locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.with(`${this.model.collection.name}:${id}`, fn);
  }

  async get(id: string): Promise<Stored | undefined> {
    const d = await this.model.findById(id).lean<PartnershipDoc>().exec();
    return d ? fromDoc(d) : undefined;
  }

  /** Inserts a new partnership with its events; false when it exists already (a replayed agreement). */
  async insert(p: Partnership, nextReminderAt: Date | undefined, outbox: OutboxEntry[]): Promise<boolean> {
    try {
      await this.model.collection.insertOne({
        _id: p.id,
        version: 1,
        ...stateOf(p, nextReminderAt),
        ...pendingEvents(outbox),
      } as never);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  /** Writes the new state and its events if nobody wrote since `version` was read; false: retry. */
  async save(
    p: Partnership,
    version: number,
    nextReminderAt: Date | undefined,
    outbox: OutboxEntry[],
  ): Promise<boolean> {
    const update = { $set: { ...stateOf(p, nextReminderAt), version: version + 1 } };
    const r = await this.locked(p.id, () =>
      updateIfUnchanged(this.model, p.id, 'version', version, appendEvents<PartnershipDoc>(update, outbox)),
    );
    return r?.matchedCount === 1;
  }

  async list(f: PartnershipFilter, limit = 5_000): Promise<Partnership[]> {
    const q: Record<string, unknown> = {};
    if (f.orgId !== undefined) q.orgIds = f.orgId;
    if (f.countries !== undefined) q.country = { $in: [...f.countries] };
    if (f.agreedFrom || f.agreedTo)
      q.agreedAt = {
        ...(f.agreedFrom ? { $gte: f.agreedFrom } : {}),
        ...(f.agreedTo ? { $lte: f.agreedTo } : {}),
      };
    const docs = await this.model.find(q).sort({ agreedAt: -1 }).limit(limit).lean<PartnershipDoc[]>().exec();
    return docs.map((d) => fromDoc(d).partnership);
  }

  /** Partnerships still waiting for their need's details. */
  async waitingFor(needIds: readonly string[]): Promise<string[]> {
    if (needIds.length === 0) return [];
    const docs = await this.model
      .find({ detailsKnown: false, needId: { $in: [...needIds] } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** Partnerships whose next reminder is due by `at`. */
  async remindersDue(at: Date, limit = 500): Promise<string[]> {
    const docs = await this.model
      .find({ nextReminderAt: { $lte: at } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return docs.map((d) => d._id);
  }

  /** The soonest reminder still to come, for the timer. */
  async nextReminderAt(): Promise<Date | undefined> {
    const d = await this.model
      .findOne({ nextReminderAt: { $ne: null } }, { nextReminderAt: 1 })
      .sort({ nextReminderAt: 1 })
      .lean<{ nextReminderAt?: Date | null }>()
      .exec();
    return d?.nextReminderAt ? new Date(d.nextReminderAt) : undefined;
  }
}
