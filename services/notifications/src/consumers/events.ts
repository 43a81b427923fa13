import {
  AccessEventSchemas,
  NeedEventSchemas,
  OfferEventSchemas,
  OrganisationEventSchemas,
  PartnershipEventSchemas,
  PersonEventSchemas,
  ProposalEventSchemas,
} from '@mutirao/contracts';
import { consumeBatches, type EventOf, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import { type Incoming, PROPOSAL_EVENTS_READ } from '../domain/decide';

export interface NotificationTopics {
  organisation: string;
  person: string;
  access: string;
  need: string;
  offer: string;
  proposal: string;
  partnership: string;
}

const SCHEMAS = {
  ...OrganisationEventSchemas,
  ...PersonEventSchemas,
  ...AccessEventSchemas,
  ...NeedEventSchemas,
  ...OfferEventSchemas,
  // Only the proposal events the decisions act on: the others are skipped unparsed (by their header).
  ...Object.fromEntries(
    PROPOSAL_EVENTS_READ.map((short) => {
      const type = `org.mutirao.matching.proposal.${short}` as const;
      return [type, ProposalEventSchemas[type]];
    }),
  ),
  ...PartnershipEventSchemas,
};
type Event = EventOf<typeof SCHEMAS>;

/** An event of the topics read, as the decisions take it. */
export function incoming(topic: keyof NotificationTopics, e: Event): Incoming {
  const base = { id: e.id, type: e.type, time: e.time };
  // The data was checked against its type's schema, which the topic determines.
  // biome-ignore lint/suspicious/noExplicitAny: one topic's data, read by that topic's case
  const d = e.data as any;
  switch (topic) {
    case 'organisation':
      return { topic, ...base, organisation: d.organisation };
    case 'person':
      return { topic, ...base, person: d.person };
    case 'access':
      return {
        topic,
        ...base,
        ...(d.invitation ? { invitation: d.invitation } : {}),
        ...(d.reset ? { reset: d.reset } : {}),
      };
    case 'need':
      return { topic, ...base, need: d.need };
    case 'offer':
      return { topic, ...base, offer: d.offer };
    case 'proposal':
      return { topic, ...base, proposal: d.proposal };
    case 'partnership':
      return { topic, ...base, ...(e.type.endsWith('.report-due') ? { due: d } : {}) };
  }
}

/**
 * One consumer group over every topic the service reads. Each fetched batch is handed over in
 * partition order; its offsets are committed only once `handle` has stored what it decided.
 */
export function consumeEvents(opts: {
  kafka: Kafka;
  groupId: string;
  topics: NotificationTopics;
  logger: Logger;
  handle: (events: Incoming[]) => Promise<void>;
}): Promise<RunningConsumer> {
  const byName = new Map(Object.entries(opts.topics).map(([k, v]) => [v, k as keyof NotificationTopics]));
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: Object.values(opts.topics),
    schemas: SCHEMAS,
    logger: opts.logger,
    maxBatch: 100,
    // Mail and the in-app list can wait a second: fewer, larger batches under load.
    gather: true,
    handler: async (events, ctx) => {
      const topic = byName.get(ctx.topic);
      if (!topic) return;
      await opts.handle(events.map((e) => incoming(topic, e)));
    },
  });
}
