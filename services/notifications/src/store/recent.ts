import type { Connection } from 'mongoose';
import type { Incoming } from '../domain/decide';
import { collection, insertNew } from './db';

/** One event that told (or would have told) an organisation's members something, for that organisation. */
interface RecentDoc {
  /** `<event id>:<organisation id>`: an event handled again is stored once. */
  _id: string;
  org: string;
  at: Date;
  event: Incoming;
}

/**
 * The recent events addressed to organisations' members, one document per event and organisation
 * (the organisation a top-level string, which the embedded store filters on without reading each
 * document). The topics are read side by side, so a person's `registered` event may be handled
 * after an event that came later for their organisation: when a person joins, the events of their
 * organisation since they joined are decided again for them alone (see `ingest`).
 */
export class RecentEvents {
  private readonly c;

  constructor(conn: Connection) {
    this.c = collection<RecentDoc>(conn, 'recent_events');
  }

  async init(): Promise<void> {
    await this.c.createIndex({ org: 1 });
  }

  async add(e: Incoming, organisations: readonly string[]): Promise<void> {
    const at = new Date(e.time);
    await insertNew(
      this.c,
      [...new Set(organisations)].map((org) => ({ _id: `${e.id}:${org}`, org, at, event: e })),
    );
  }

  /** The organisation's events from `from` on, oldest first. */
  async since(org: string, from: Date): Promise<Incoming[]> {
    const docs = await this.c.find({ org }).toArray();
    return docs
      .filter((d) => d.at.getTime() >= from.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((d) => d.event);
  }

  private prunedAt = 0;

  /** Forgets events from before `before`; at most once an hour (a scan of the collection). */
  async pruneBefore(before: Date): Promise<void> {
    if (Date.now() - this.prunedAt < 3_600_000) return;
    this.prunedAt = Date.now();
    await this.c.deleteMany({ at: { $lt: before } });
  }
}
