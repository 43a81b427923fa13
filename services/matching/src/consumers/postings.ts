import {
  type NeedEventData,
  NeedEventSchemas,
  type OfferEventData,
  OfferEventSchemas,
  type OrganisationEventData,
  OrganisationEventSchemas,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { consumeBatches, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import type { Matcher } from '../matcher';

export const postingTopics = (prefix: string) => ({
  organisation: topicName(Topics.organisation, prefix),
  need: topicName(Topics.need, prefix),
  offer: topicName(Topics.offer, prefix),
});

/**
 * One consumer group over organisations, needs and offers, each applied by revision; the events of
 * a fetched batch (one topic's partition) go to the matcher together.
 */
export function consumePostings(opts: {
  kafka: Kafka;
  groupId: string;
  topicPrefix: string;
  matcher: Matcher;
  logger: Logger;
}): Promise<RunningConsumer> {
  const topics = postingTopics(opts.topicPrefix);
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: Object.values(topics),
    schemas: { ...OrganisationEventSchemas, ...NeedEventSchemas, ...OfferEventSchemas },
    logger: opts.logger,
    handler: async (events, ctx) => {
      if (ctx.topic === topics.organisation) {
        await opts.matcher.onOrganisations(events.map((e) => (e.data as OrganisationEventData).organisation));
      } else if (ctx.topic === topics.need) {
        await opts.matcher.onNeeds(events.map((e) => (e.data as NeedEventData).need));
      } else if (ctx.topic === topics.offer) {
        await opts.matcher.onOffers(events.map((e) => (e.data as OfferEventData).offer));
      }
    },
  });
}
