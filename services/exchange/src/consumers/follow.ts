import {
  NeedEventSchemas,
  type NeedSnapshot,
  OfferEventSchemas,
  type OfferSnapshot,
  OrganisationEventSchemas,
  type OrganisationSnapshot,
} from '@mutirao/contracts';
import { follow, type Position, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';

/**
 * Thin handler of what this instance follows for its browse catalogs (every partition, from where
 * they were loaded): the need and offer topics (every instance's writes) and the organisation topic
 * (the countries). Each partition's events go to the catalog of their topic as snapshots.
 */
export function followCatalogs(opts: {
  kafka: Kafka;
  groupId: string;
  topics: { need: string; offer: string; organisation: string };
  from: readonly Position[];
  logger: Logger;
  needs: (list: NeedSnapshot[]) => Promise<unknown>;
  offers: (list: OfferSnapshot[]) => Promise<unknown>;
  organisations: (list: OrganisationSnapshot[]) => unknown;
}): Promise<RunningConsumer> {
  return follow({
    kafka: opts.kafka,
    groupId: opts.groupId,
    from: opts.from,
    schemas: { ...NeedEventSchemas, ...OfferEventSchemas, ...OrganisationEventSchemas },
    logger: opts.logger,
    // Other instances' writes (each instance holds its own at once): a second later is fine.
    gather: true,
    handler: async (events, ctx) => {
      const data = events.map((e) => e.data);
      if (ctx.topic === opts.topics.need)
        await opts.needs(data.flatMap((d) => ('need' in d ? [d.need] : [])));
      else if (ctx.topic === opts.topics.offer)
        await opts.offers(data.flatMap((d) => ('offer' in d ? [d.offer] : [])));
      else if (ctx.topic === opts.topics.organisation)
        await opts.organisations(data.flatMap((d) => ('organisation' in d ? [d.organisation] : [])));
    },
  });
}
