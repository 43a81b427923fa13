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
};

export interface WithOutbox {
  outbox: OutboxEntry[];
  outboxPending: boolean;
}

export const toEntry = (topic: string, envelope: CloudEvent): OutboxEntry => ({
  id: envelope.id,
  topic,
  envelope: JSON.stringify(envelope),
});

/** Adds pending events to an update: `$push` with `$each` keeps their order. */
export function appendEvents<T>(update: UpdateQuery<T>, entries: OutboxEntry[]): UpdateQuery<T> {
  const set = (update.$set ?? {}) as Record<string, unknown>;
  return {
    ...update,
    $set: { ...set, outboxPending: true },
    $push: { outbox: { $each: entries } },
  } as UpdateQuery<T>;
}
