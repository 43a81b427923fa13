import {
  NeedEventSchemas,
  type NeedSnapshot,
  OfferEventSchemas,
  type OfferSnapshot,
  OrganisationEventSchemas,
  type OrganisationSnapshot,
} from '@mutirao/contracts';
import { consumeBatches, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';

/**
 * Thin handler of the organisation, need and offer topics: every event carries the snapshot;
 * the use case keeps the newest of each.
 */
export function consumeCatalog(opts: {
  kafka: Kafka;
  groupId: string;
  topics: { organisation: string; need: string; offer: string };
  logger: Logger;
  organisations: (list: OrganisationSnapshot[]) => Promise<unknown>;
  needs: (list: NeedSnapshot[]) => Promise<unknown>;
  offers: (list: OfferSnapshot[]) => Promise<unknown>;
}): Promise<RunningConsumer> {
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topics.organisation, opts.topics.need, opts.topics.offer],
    schemas: { ...OrganisationEventSchemas, ...NeedEventSchemas, ...OfferEventSchemas },
    logger: opts.logger,
    // The catalog serves reports and exports, not a user waiting: fewer, larger batches under load.
    gather: true,
    handler: async (events, ctx) => {
      const data = events.map((e) => e.data as Record<string, unknown>);
      if (ctx.topic === opts.topics.organisation)
        await opts.organisations(data.map((d) => d.organisation as OrganisationSnapshot));
      else if (ctx.topic === opts.topics.need) await opts.needs(data.map((d) => d.need as NeedSnapshot));
      else await opts.offers(data.map((d) => d.offer as OfferSnapshot));
    },
  });
}
