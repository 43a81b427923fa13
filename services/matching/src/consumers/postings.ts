import {
  NeedEventSchemas,
  type NeedSnapshot,
  OfferEventSchemas,
  type OfferSnapshot,
  OrganisationEventSchemas,
  type OrganisationSnapshot,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { consumeBatches, type RunningConsumer, traceOf } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import type { Changes } from '../usecases/changes';

export const postingTopics = (prefix: string) => ({
  organisation: topicName(Topics.organisation, prefix),
  need: topicName(Topics.need, prefix),
  offer: topicName(Topics.offer, prefix),
});

/**
 * One consumer group over organisations, needs and offers, each applied by revision; the events of
 * a fetched batch (one topic's partition) are handed over together. With several instances, each
 * reads organisations and offers alone, in a group of its own (`without: 'need'`): every instance
 * needs them all.
 */
export function consumePostings(opts: {
  kafka: Kafka;
  groupId: string;
  topicPrefix: string;
  /** Where the snapshots go: the read model, the index and what follows from them. */
  changes: Pick<Changes, 'onOrganisations' | 'onNeeds' | 'onOffers'>;
  logger: Logger;
  without?: 'need';
  /** Runs each batch's handling (see Ownership.work). */
  work?: <T>(fn: () => Promise<T>) => Promise<T>;
}): Promise<RunningConsumer> {
  const topics = postingTopics(opts.topicPrefix);
  const work = opts.work ?? ((fn) => fn());
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: Object.entries(topics)
      .filter(([name]) => name !== opts.without)
      .map(([, topic]) => topic),
    schemas: { ...OrganisationEventSchemas, ...NeedEventSchemas, ...OfferEventSchemas },
    logger: opts.logger,
    // A batch is one partition of one topic: its events all carry the same kind of snapshot. Each
    // change goes with its event's trace, which its follow-through continues.
    handler: (events) =>
      work(async () => {
        const organisations: OrganisationSnapshot[] = [];
        const needs: NeedSnapshot[] = [];
        const offers: OfferSnapshot[] = [];
        const traces: Record<'organisation' | 'need' | 'offer', (string | undefined)[]> = {
          organisation: [],
          need: [],
          offer: [],
        };
        for (const e of events) {
          const d = e.data;
          if ('organisation' in d) {
            organisations.push(d.organisation);
            traces.organisation.push(traceOf(e));
          } else if ('need' in d) {
            needs.push(d.need);
            traces.need.push(traceOf(e));
          } else if ('offer' in d) {
            offers.push(d.offer);
            traces.offer.push(traceOf(e));
          }
        }
        if (organisations.length > 0) await opts.changes.onOrganisations(organisations, traces.organisation);
        if (needs.length > 0) await opts.changes.onNeeds(needs, traces.need);
        if (offers.length > 0) await opts.changes.onOffers(offers, traces.offer);
      }),
  });
}
