import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { KeyedLocks, keepNewestMany } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/**
 * The persisted read model: the latest snapshot of every organisation, need and offer, applied by
 * revision. The in-memory index is built from it at start, so a restart needs no replay.
 *
 * With several instances (`instance` given) each keeps organisations and offers of its own (every
 * instance reads both topics in full, in a consumer group of its own, so that no row has two
 * writers), while needs are shared: a need's row is written by the instance owning its partition,
 * and read by the next owner when the partition moves.
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

async function all<T>(m: Model<Row<T>>, filter: Record<string, unknown> = {}): Promise<T[]> {
  return (await m.find(filter).select('snapshot').lean<Row<T>[]>().exec()).map((r) =>
    typeof r.snapshot === 'string' ? (JSON.parse(r.snapshot) as T) : r.snapshot,
  );
}

export class ReadModel {
  readonly organisations: Model<Row<OrganisationSnapshot>>;
  readonly needs: Model<Row<NeedSnapshot>>;
  readonly offers: Model<Row<OfferSnapshot>>;

  constructor(conn: Connection, instance?: string) {
    const own = (name: string) => (instance === undefined ? name : `${name}.${instance}`);
    this.organisations = conn.model<Row<OrganisationSnapshot>>(
      own('Organisation'),
      rowSchema(),
      own('organisations'),
    );
    this.needs = conn.model<Row<NeedSnapshot>>('Need', rowSchema(), 'needs');
    this.offers = conn.model<Row<OfferSnapshot>>(own('Offer'), rowSchema(), own('offers'));
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

  /** Everything held; without needs when `needs` is false (an instance loads its needs as it takes them). */
  async loadAll({ needs: withNeeds = true } = {}): Promise<{
    organisations: OrganisationSnapshot[];
    needs: NeedSnapshot[];
    offers: OfferSnapshot[];
  }> {
    const [organisations, needs, offers] = await Promise.all([
      all(this.organisations),
      withNeeds ? all(this.needs) : [],
      all(this.offers),
    ]);
    return { organisations, needs, offers };
  }

  /** The needs `pick` picks by id (those of a partition an instance takes over). */
  async loadNeeds(pick: (id: string) => boolean): Promise<NeedSnapshot[]> {
    const ids = (await this.needs.find().select('_id').lean<{ _id: string }[]>().exec())
      .map((r) => r._id)
      .filter(pick);
    const out: NeedSnapshot[] = [];
    for (let i = 0; i < ids.length; i += 1_000)
      out.push(...(await all(this.needs, { _id: { $in: ids.slice(i, i + 1_000) } })));
    return out;
  }
}
