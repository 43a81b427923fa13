import { type CloudEvent, type EventDataOf, type EventType, uuidv7 } from '@mutirao/contracts';
import { currentTraceparent } from '@mutirao/telemetry';
import type { Producer } from 'kafkajs';

export interface NewEvent<T extends EventType> {
  type: T;
  source: string;
  subject: string;
  data: EventDataOf<T>;
  time?: Date;
  traceparent?: string;
}

/**
 * Builds a CloudEvents 1.0 envelope of one of the contracts' event types; its data must match the
 * type's schema (a wrong payload does not compile). `traceparent` defaults to the active span's.
 */
export function makeEvent<T extends EventType>(
  e: NewEvent<T>,
): CloudEvent & { type: T; data: EventDataOf<T> } {
  return makeEnvelope(e) as CloudEvent & { type: T; data: EventDataOf<T> };
}

/**
 * `makeEvent` for any type and data, unchecked: for tests of the messaging layer itself and for
 * tools. Services produce with `makeEvent`.
 */
export function makeEnvelope<D>(e: {
  type: string;
  source: string;
  subject: string;
  data: D;
  time?: Date;
  traceparent?: string;
}): CloudEvent & { data: D } {
  const traceparent = e.traceparent ?? currentTraceparent();
  return {
    specversion: '1.0',
    id: uuidv7(),
    source: e.source,
    type: e.type,
    subject: e.subject,
    time: (e.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    ...(traceparent ? { traceparent } : {}),
    data: e.data,
  };
}

export interface OutgoingMessage {
  topic: string;
  envelope: CloudEvent;
}

/**
 * Publishes envelopes in structured mode, keyed by `subject` (the aggregate id) so that one
 * aggregate's events stay in order on one partition. `traceparent` also travels as a header for
 * tools that read headers only. Resolves once the broker has acknowledged (acks = all).
 */
export async function publish(producer: Producer, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, ms]) => ({
      topic,
      messages: ms.map(({ envelope }) => ({
        key: envelope.subject,
        value: JSON.stringify(envelope),
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          ce_type: envelope.type,
          ce_id: envelope.id,
          ...(envelope.traceparent ? { traceparent: envelope.traceparent } : {}),
        },
      })),
    })),
  });
}

/** An envelope already serialised (as the outbox keeps it), with what the headers need of it. */
export interface SerialisedMessage {
  topic: string;
  /** The envelope's exact JSON. */
  value: string;
  /** Its `subject`, `id`, `type` and `traceparent`. */
  subject: string;
  id: string;
  type: string;
  traceparent?: string;
}

/** The most bytes of message values in one send: Kafka refuses a batch of over 1 MB for a partition. */
const MAX_SEND_BYTES = 512 * 1024;

/**
 * `publish` for envelopes already serialised: sent as they are, not parsed and written again, in
 * sends of at most 512 KB of values (in order, so each key's messages keep theirs).
 */
export async function publishSerialised(producer: Producer, messages: SerialisedMessage[]): Promise<void> {
  let start = 0;
  while (start < messages.length) {
    let end = start;
    let bytes = 0;
    while (
      end < messages.length &&
      (end === start || bytes + (messages[end] as SerialisedMessage).value.length <= MAX_SEND_BYTES)
    ) {
      bytes += (messages[end] as SerialisedMessage).value.length;
      end++;
    }
    await sendSerialised(producer, messages.slice(start, end));
    start = end;
  }
}

async function sendSerialised(producer: Producer, messages: SerialisedMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const byTopic = new Map<string, SerialisedMessage[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic);
    if (list) list.push(m);
    else byTopic.set(m.topic, [m]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, ms]) => ({
      topic,
      messages: ms.map((m) => ({
        key: m.subject,
        value: m.value,
        headers: {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          ce_type: m.type,
          ce_id: m.id,
          ...(m.traceparent ? { traceparent: m.traceparent } : {}),
        },
      })),
    })),
  });
}
