import { type ProposalEventData, ProposalEventSchemas } from '@mutirao/contracts';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import { consume, type RunningConsumer } from './consumer';

const AGREED = 'org.mutirao.matching.proposal.agreed';

/**
 * Agreed partnerships from the proposal topic: the exchange turns them into a matched need and
 * less capacity, profiles into disclosed contact details. Other proposal events are skipped.
 */
export function consumeAgreements(opts: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  apply: (p: ProposalEventData['proposal']) => Promise<unknown>;
}): Promise<RunningConsumer> {
  return consume({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topic],
    // Only the agreed type is validated; the others are skipped unread.
    schemas: { [AGREED]: ProposalEventSchemas[AGREED] },
    logger: opts.logger,
    // Not on a user's path, and the topic carries every proposal's events: gathered.
    gather: true,
    handler: async (event) => {
      if (event.type !== AGREED) return;
      await opts.apply(event.data.proposal);
    },
  });
}
