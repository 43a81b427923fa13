import type { ProposalSnapshot } from '@mutirao/contracts';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import type { ProposalEvent } from '../domain/proposal';

export const SOURCE = 'mutirao-matching';

/**
 * A proposal's event for the outbox: the snapshot as it is now, at the time of its revision (so
 * replaying the topics into an empty database gives the same events, given the same clock).
 */
export function proposalEntry(topic: string, p: ProposalSnapshot, event: ProposalEvent): OutboxEntry {
  const envelope = makeEvent({
    type: `org.mutirao.matching.proposal.${event}`,
    source: SOURCE,
    subject: p.id,
    data: { proposal: p },
    time: new Date(p.updatedAt),
  });
  return toEntry(topic, envelope);
}
