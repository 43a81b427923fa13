import { type OrganisationEventData, OrganisationEventSchemas } from '@mutirao/contracts';
import { consume, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';

/** Thin handler: every organisation event carries the snapshot; the use case applies it by revision. */
export function consumeOrganisations(opts: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  apply: (o: OrganisationEventData['organisation']) => Promise<unknown>;
}): Promise<RunningConsumer> {
  return consume({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    schemas: OrganisationEventSchemas,
    logger: opts.logger,
    handler: async (event) => {
      await opts.apply((event.data as OrganisationEventData).organisation);
    },
  });
}
