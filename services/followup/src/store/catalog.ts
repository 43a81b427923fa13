import type { Money, NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { type KeyedLocks, keepNewestMany } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';

/** What the follow-up keeps of an organisation: enough to name it, place it and type it for IATI. */
export interface OrganisationView {
  id: string;
  name: string;
  kind: OrganisationSnapshot['kind'];
  sseForm?: OrganisationSnapshot['sseForm'];
  country: string;
}

export interface NeedView {
  id: string;
  title: string;
  sectors: string[];
  sdgs: number[];
  amount?: Money;
}

export interface OfferView {
  id: string;
  title: string;
  instrument: OfferSnapshot['instrument'];
}

interface Row {
  _id: string;
  revision: number;
  [field: string]: unknown;
}
const rowSchema = () =>
  new Schema<Row>({ _id: String, revision: Number }, { strict: false, versionKey: false });

/**
 * Read models of the organisations, needs and offers named by partnerships, fed by their topics
 * (newest revision wins). A need's details reach a partnership through them, however late.
 */
export class Catalog {
  private readonly orgs: Model<Row>;
  private readonly needs: Model<Row>;
  private readonly offers: Model<Row>;
  private readonly identifiers: Model<{ _id: string; ref: string; at: Date }>;

  constructor(
    db: Connection,
    private readonly locks: KeyedLocks,
  ) {
    this.orgs = db.model<Row>('Organisation', rowSchema(), 'organisations');
    this.needs = db.model<Row>('Need', rowSchema(), 'needs');
    this.offers = db.model<Row>('Offer', rowSchema(), 'offers');
    this.identifiers = db.model(
      'OrganisationIdentifier',
      new Schema<{ _id: string; ref: string; at: Date }>(
        { _id: String, ref: String, at: Date },
        { versionKey: false },
      ),
      'organisation_identifiers',
    );
  }

  async applyOrganisations(list: readonly OrganisationSnapshot[]): Promise<void> {
    await keepNewestMany(
      this.orgs,
      this.locks,
      list.map((o) => ({
        id: o.id,
        revision: o.revision,
        fields: { name: o.name, kind: o.kind, sseForm: o.sseForm ?? null, country: o.country },
      })),
    );
  }

  /** Returns the needs applied (newer than what was held). */
  async applyNeeds(list: readonly NeedSnapshot[]): Promise<NeedSnapshot[]> {
    const r = await keepNewestMany(
      this.needs,
      this.locks,
      list.map((n) => ({
        id: n.id,
        revision: n.revision,
        fields: { title: n.title, sectors: n.sectors, sdgs: n.sdgs, amount: n.amount ?? null },
      })),
    );
    return list.filter((_, i) => r[i] === 'applied');
  }

  async applyOffers(list: readonly OfferSnapshot[]): Promise<void> {
    await keepNewestMany(
      this.offers,
      this.locks,
      list.map((o) => ({
        id: o.id,
        revision: o.revision,
        fields: { title: o.title, instrument: o.instrument },
      })),
    );
  }

  async organisations(ids: readonly string[]): Promise<Map<string, OrganisationView>> {
    return byIds(this.orgs, ids, (d) => ({
      id: d._id,
      name: String(d.name),
      kind: d.kind as OrganisationView['kind'],
      ...(d.sseForm ? { sseForm: d.sseForm as OrganisationView['sseForm'] } : {}),
      country: String(d.country),
    }));
  }

  async need(id: string): Promise<NeedView | undefined> {
    return (await this.needsById([id])).get(id);
  }

  async needsById(ids: readonly string[]): Promise<Map<string, NeedView>> {
    return byIds(this.needs, ids, (d) => ({
      id: d._id,
      title: String(d.title),
      sectors: (d.sectors as string[]) ?? [],
      sdgs: (d.sdgs as number[]) ?? [],
      ...(d.amount ? { amount: d.amount as Money } : {}),
    }));
  }

  async offersById(ids: readonly string[]): Promise<Map<string, OfferView>> {
    return byIds(this.offers, ids, (d) => ({
      id: d._id,
      title: String(d.title),
      instrument: d.instrument as OfferView['instrument'],
    }));
  }

  /** The IATI organisation identifiers organisations gave themselves. */
  async identifiersOf(ids: readonly string[]): Promise<Map<string, string>> {
    const docs = await this.identifiers
      .find({ _id: { $in: [...new Set(ids)] } })
      .lean<{ _id: string; ref: string }[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, d.ref]));
  }

  async setIdentifier(orgId: string, ref: string | null, at: Date): Promise<void> {
    if (ref === null) await this.identifiers.deleteOne({ _id: orgId }).exec();
    else await this.identifiers.updateOne({ _id: orgId }, { $set: { ref, at } }, { upsert: true }).exec();
  }
}

/** The rows of these ids (each asked once), as views keyed by id. */
async function byIds<V>(
  model: Model<Row>,
  ids: readonly string[],
  view: (row: Row) => V,
): Promise<Map<string, V>> {
  const docs = await model
    .find({ _id: { $in: [...new Set(ids)] } })
    .lean<Row[]>()
    .exec();
  return new Map(docs.map((d) => [d._id, view(d)]));
}
