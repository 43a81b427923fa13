import { type ProposalEventData, ProposalEventSchemas } from '@mutirao/contracts';
import { consume, type RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';

const AGREED = 'org.mutirao.matching.proposal.agreed';

/** Thin handler: only agreed proposals concern profiles (they disclose contact details). */
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
    handler: async (event) => {
      if (event.type !== AGREED) return;
      await opts.apply((event.data as ProposalEventData).proposal);
    },
  });
}
