import { type OrganisationEventData, OrganisationEventSchemas } from '@mutirao/contracts';
import { consumeBatches, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';

/**
 * Thin handler: every organisation event carries the snapshot; the use case applies a batch of
 * them by revision.
 */
export function consumeOrganisations(opts: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  apply: (list: OrganisationEventData['organisation'][]) => Promise<unknown>;
}): Promise<RunningConsumer> {
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schemas: OrganisationEventSchemas,
    logger: opts.logger,
    handler: async (events) => {
      await opts.apply(events.map((e) => e.data.organisation));
    },
  });
}
