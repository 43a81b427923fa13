import { type Connection, type Model, Schema } from 'mongoose';
import type { DecisionRecord } from '../domain/learning/decisions';

/**
 * Every review and consent decision, with its reason code and the proposal's features: what the
 * ranking model is trained on. One per proposal and decider (a retried request writes it once).
 */
type DecisionDoc = {
  _id: string;
  /** The record as JSON text (FerretDB v1 spends most of a write on nested values). */
  record: string;
};

const DecisionSchema = new Schema(
  { _id: String, record: { type: String, required: true } },
  { versionKey: false },
);

const DUPLICATE_KEY = 11000;

export class DecisionStore {
  readonly model: Model<DecisionDoc>;

  constructor(conn: Connection) {
    this.model = conn.model<DecisionDoc>('Decision', DecisionSchema, 'decisions');
  }

  /** Keeps the decision; false when it is kept already. */
  async add(d: DecisionRecord): Promise<boolean> {
    try {
      await this.model.create({
        _id: `${d.proposalId}|${d.kind}|${d.organisationId ?? ''}`,
        record: JSON.stringify(d),
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
      throw err;
    }
  }

  async all(): Promise<DecisionRecord[]> {
    const docs = await this.model.find({}, { record: 1 }).lean<DecisionDoc[]>().exec();
    return docs.map((d) => JSON.parse(d.record) as DecisionRecord);
  }

  count(): Promise<number> {
    return this.model.countDocuments().exec();
  }
}
