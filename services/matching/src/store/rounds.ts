import type { CallRound } from '@mutirao/contracts';
import { type OutboxEntry, outboxFields, pendingEvents, type WithOutbox } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The rounds of calls, one per call (its id is the call's, see `roundId`): what the solver chose
 * and left out, with why. Written once, with its `solved` event.
 */
type RoundDoc = {
  _id: string;
  offerId: string;
  /** The round as JSON text (FerretDB v1 spends most of a write on a deeply nested value). */
  round: string;
} & WithOutbox;

const RoundSchema = new Schema(
  {
    _id: String,
    offerId: { type: String, required: true, unique: true },
    round: { type: String, required: true },
    ...outboxFields,
  },
  { versionKey: false },
);

const DUPLICATE_KEY = 11000;

export class RoundStore {
  readonly model: Model<RoundDoc>;

  constructor(conn: Connection) {
    this.model = conn.model<RoundDoc>('CallRound', RoundSchema, 'call_rounds');
  }

  /** Stores the round with its event; false when the call has a round already. */
  async create(round: CallRound, event: OutboxEntry): Promise<boolean> {
    try {
      await this.model.create({
        _id: round.id,
        offerId: round.offerId,
        round: JSON.stringify(round),
        ...pendingEvents([event]),
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async ofOffer(offerId: string): Promise<CallRound | undefined> {
    const d = await this.model.findOne({ offerId }, { round: 1 }).lean<RoundDoc>().exec();
    return d ? (JSON.parse(d.round) as CallRound) : undefined;
  }

  async get(id: string): Promise<CallRound | undefined> {
    const d = await this.model.findById(id, { round: 1 }).lean<RoundDoc>().exec();
    return d ? (JSON.parse(d.round) as CallRound) : undefined;
  }

  /** The ids of the calls that have a round (at start: which calls need no timer). */
  async solvedOffers(): Promise<Set<string>> {
    const docs = await this.model.find({}, { offerId: 1 }).lean<{ offerId: string }[]>().exec();
    return new Set(docs.map((d) => d.offerId));
  }
}
