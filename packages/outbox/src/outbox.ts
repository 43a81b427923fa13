import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@mutirao/contracts';
import { Schema, type UpdateQuery } from 'mongoose';

/** One pending event inside an aggregate's document. The envelope is kept as the exact JSON. */
export interface OutboxEntry {
  id: string;
  topic: string;
  envelope: string;
}

const OutboxEntrySchema = new Schema<OutboxEntry>(
  {
    id: { type: String, required: true },
    topic: { type: String, required: true },
    envelope: { type: String, required: true },
  },
  { _id: false },
);

/**
 * Fields to add to an aggregate's schema. The pending events live in the aggregate's own
 * document, so a state change and its events are one single-document write: no transaction
 * needed (FerretDB v1 has none), and no event without its change or change without its event.
 */
export const outboxFields = {
  outbox: { type: [OutboxEntrySchema], default: [] },
  // Indexed flag so the relay finds pending documents without scanning the collection.
  outboxPending: { type: Boolean, default: false, index: true },
  // A new random value with every write that leaves events: the relay empties, in one update, the
  // outboxes of the documents it read whose token is unchanged (nobody wrote them since).
  outboxToken: { type: String, index: true },
};

export interface WithOutbox {
  outbox: OutboxEntry[];
  outboxPending: boolean;
  outboxToken?: string;
}

/** What publishing needs of an entry besides its JSON, kept for entries made in this process. */
export interface EntryHeaders {
  subject: string;
  type: string;
  traceparent?: string;
}
const headersOf = new WeakMap<OutboxEntry, EntryHeaders>();

export function toEntry(topic: string, envelope: CloudEvent): OutboxEntry {
  const entry = { id: envelope.id, topic, envelope: JSON.stringify(envelope) };
  headersOf.set(entry, {
    subject: envelope.subject,
    type: envelope.type,
    ...(envelope.traceparent ? { traceparent: envelope.traceparent } : {}),
  });
  return entry;
}

/** The entry's subject, type and trace context: remembered when this process made it, else read from its JSON. */
export function entryHeaders(entry: OutboxEntry): EntryHeaders {
  const known = headersOf.get(entry);
  if (known) return known;
  const e = JSON.parse(entry.envelope) as CloudEvent;
  return { subject: e.subject, type: e.type, ...(e.traceparent ? { traceparent: e.traceparent } : {}) };
}

/** The outbox fields of a new document written with these events. */
export function pendingEvents(entries: OutboxEntry[]): WithOutbox {
  return entries.length > 0
    ? { outbox: entries, outboxPending: true, outboxToken: randomUUID() }
    : { outbox: [], outboxPending: false };
}

/** Adds pending events to an update: `$push` with `$each` keeps their order. */
export function appendEvents<T>(update: UpdateQuery<T>, entries: OutboxEntry[]): UpdateQuery<T> {
  if (entries.length === 0) return update;
  const set = (update.$set ?? {}) as Record<string, unknown>;
  return {
    ...update,
    $set: { ...set, outboxPending: true, outboxToken: randomUUID() },
    $push: { outbox: { $each: entries } },
  } as UpdateQuery<T>;
}
