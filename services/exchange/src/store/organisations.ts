import type { OrganisationSnapshot, VerificationStatus } from '@mutirao/contracts';
import { KeyedLocks, keepNewestMany } from '@mutirao/outbox';
import { type Connection, type Model, Schema } from 'mongoose';
import type { OrganisationCountries } from './catalog';

/** What the exchange keeps of an organisation: enough to check publishing and to filter. */
export interface OrganisationView {
  id: string;
  revision: number;
  name: string;
  kind: OrganisationSnapshot['kind'];
  country: string;
  verification: VerificationStatus;
}

interface OrganisationDoc {
  _id: string;
  revision: number;
  name: string;
  kind: string;
  country: string;
  verification: string;
}

const OrganisationSchema = new Schema<OrganisationDoc>(
  {
    _id: String,
    revision: { type: Number, required: true },
    name: String,
    kind: String,
    country: String,
    verification: String,
  },
  { versionKey: false },
);

const viewOf = (d: OrganisationDoc): OrganisationView => ({
  id: d._id,
  revision: d.revision,
  name: d.name,
  kind: d.kind as OrganisationView['kind'],
  country: d.country,
  verification: d.verification as VerificationStatus,
});

/**
 * How long an organisation read here is answered from memory. What is held is kept current by the
 * organisation events this instance sees: alone, its consumer applies every one (`applyMany`); with
 * several instances sharing the consumer group, each follows every partition of the topic as well
 * (`refresh`), a gathered fetch (at most a second) behind the topic. The store is read again after
 * this long all the same. (It was 5 s without `refresh`: 40 reads a second at 100 posts a second.)
 */
const HELD_MS = 60_000;

const viewOfSnapshot = (o: OrganisationSnapshot): OrganisationView => ({
  id: o.id,
  revision: o.revision,
  name: o.name,
  kind: o.kind,
  country: o.country,
  verification: o.verification,
});

/** The organisation read model, built from `mutirao.profiles.organisation.v1`. */
export class OrganisationRepo {
  private readonly model: Model<OrganisationDoc>;
  private readonly locks = new KeyedLocks();
  /**
   * Organisations read lately: every post reads its organisation (is it verified, where is it), and
   * on the embedded store a round trip costs more than the rest of the check.
   */
  private readonly held = new Map<string, { view: OrganisationView; at: number }>();

  constructor(db: Connection) {
    this.model = db.model<OrganisationDoc>('Organisation', OrganisationSchema, 'organisations');
  }

  async get(id: string): Promise<OrganisationView | undefined> {
    const hit = this.held.get(id);
    if (hit && Date.now() - hit.at < HELD_MS) return { ...hit.view };
    const d = await this.model.findById(id).lean<OrganisationDoc>().exec();
    if (!d) return undefined;
    const view = viewOf(d);
    this.hold(view);
    return { ...view };
  }

  /**
   * Organisation events this instance follows (another instance may be the one applying them to
   * the store): an organisation held in memory takes a newer revision at once. Those not held are
   * left to the next read.
   */
  refresh(list: readonly OrganisationSnapshot[]): void {
    for (const o of list) {
      const hit = this.held.get(o.id);
      if (hit && hit.view.revision < o.revision) this.held.set(o.id, { view: viewOfSnapshot(o), at: hit.at });
    }
  }

  private hold(view: OrganisationView): void {
    if (this.held.size >= 10_000) this.held.clear();
    this.held.set(view.id, { view, at: Date.now() });
  }

  /** Several organisations by id, in one query. */
  async getMany(ids: readonly string[]): Promise<Map<string, OrganisationView>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const docs = await this.model
      .find({ _id: { $in: unique } })
      .lean<OrganisationDoc[]>()
      .exec();
    return new Map(docs.map((d) => [d._id, viewOf(d)]));
  }

  /** Fills the browse catalogs' countries from the read model (at start, before serving). */
  async loadCountries(into: OrganisationCountries): Promise<number> {
    const cursor = this.model
      .find({}, { revision: 1, country: 1 })
      .lean<Pick<OrganisationDoc, '_id' | 'revision' | 'country'>>()
      .cursor({ batchSize: 1_000 });
    let n = 0;
    for await (const d of cursor) {
      into.apply(d._id, d.revision, d.country);
      n++;
    }
    return n;
  }

  /** Stores the snapshot if its revision is newer than the one held; false when it is not. */
  async apply(o: OrganisationSnapshot): Promise<boolean> {
    const [applied] = await this.applyMany([o]);
    return applied === true;
  }

  /** `apply` for a batch (see keepNewestMany), in the order given. */
  async applyMany(list: readonly OrganisationSnapshot[]): Promise<boolean[]> {
    const results = await keepNewestMany(
      this.model,
      this.locks,
      list.map((o) => ({
        id: o.id,
        revision: o.revision,
        fields: { name: o.name, kind: o.kind, country: o.country, verification: o.verification },
      })),
    );
    list.forEach((o, i) => {
      if (results[i] === 'applied') this.hold(viewOfSnapshot(o));
      // Not applied: an older revision, or what the store holds already; read it again next time.
      else this.held.delete(o.id);
    });
    return results.map((r) => r === 'applied');
  }
}
