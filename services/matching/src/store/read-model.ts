import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { KeyedLocks, keepNewestMany } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The persisted read model: the latest snapshot of every organisation, need and offer, applied by
 * revision. The in-memory index is built from it at start, so a restart needs no replay.
 */
interface Row<T> {
  _id: string;
  revision: number;
  /**
   * As JSON text: FerretDB v1 stores a nested value with a type for every field, which made each
   * insert and the start's read of every row several times slower. Rows written before hold the object.
   */
  snapshot: string | T;
}

const rowSchema = () =>
  new Schema(
    {
      _id: String,
      revision: { type: Number, required: true },
      snapshot: { type: Schema.Types.Mixed, required: true },
    },
    { minimize: false, versionKey: false },
  );

export type ApplyResult = 'applied' | 'stale';

export class ReadModel {
  readonly organisations: Model<Row<OrganisationSnapshot>>;
  readonly needs: Model<Row<NeedSnapshot>>;
  readonly offers: Model<Row<OfferSnapshot>>;

  constructor(conn: Connection) {
    this.organisations = conn.model<Row<OrganisationSnapshot>>('Organisation', rowSchema(), 'organisations');
    this.needs = conn.model<Row<NeedSnapshot>>('Need', rowSchema(), 'needs');
    this.offers = conn.model<Row<OfferSnapshot>>('Offer', rowSchema(), 'offers');
  }

  private readonly locks = new KeyedLocks();

  /** Keeps each snapshot only if its revision is newer than the one held (see `keepNewestMany`). */
  private apply<T extends { id: string; revision: number }>(
    model: Model<Row<T>>,
    list: readonly T[],
  ): Promise<ApplyResult[]> {
    return keepNewestMany(
      model,
      this.locks,
      list.map((s) => ({ id: s.id, revision: s.revision, fields: { snapshot: JSON.stringify(s) } })),
    );
  }

  applyOrganisations = (list: readonly OrganisationSnapshot[]) => this.apply(this.organisations, list);
  applyNeeds = (list: readonly NeedSnapshot[]) => this.apply(this.needs, list);
  applyOffers = (list: readonly OfferSnapshot[]) => this.apply(this.offers, list);

  async loadAll(): Promise<{
    organisations: OrganisationSnapshot[];
    needs: NeedSnapshot[];
    offers: OfferSnapshot[];
  }> {
    const all = async <T>(m: Model<Row<T>>) =>
      (await m.find().select('snapshot').lean<Row<T>[]>().exec()).map((r) =>
        typeof r.snapshot === 'string' ? (JSON.parse(r.snapshot) as T) : r.snapshot,
      );
    const [organisations, needs, offers] = await Promise.all([
      all(this.organisations),
      all(this.needs),
      all(this.offers),
    ]);
    return { organisations, needs, offers };
  }
}
