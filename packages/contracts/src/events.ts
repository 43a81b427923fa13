import type { z } from 'zod';
import { CallEventSchemas, CallEventType } from './call-events';
import { CommandEventSchemas, CommandEventType, ReplyEventSchemas, ReplyEventType } from './command-events';
import { NeedEventSchemas, NeedEventType, OfferEventSchemas, OfferEventType } from './exchange-events';
import { PartnershipEventSchemas, PartnershipEventType } from './followup-events';
import { OrganisationEventSchemas, OrganisationEventType } from './organisation-events';
import { AccessEventSchemas, AccessEventType, PersonEventSchemas, PersonEventType } from './person-events';
import { ProposalEventSchemas, ProposalEventType } from './proposal-events';
import { type Topic, Topics } from './topics';

/** The data schema of every event type the system produces: what `makeEvent` checks at compile time. */
export const EventSchemas = {
  ...OrganisationEventSchemas,
  ...PersonEventSchemas,
  ...AccessEventSchemas,
  ...NeedEventSchemas,
  ...OfferEventSchemas,
  ...ProposalEventSchemas,
  ...CommandEventSchemas,
  ...ReplyEventSchemas,
  ...PartnershipEventSchemas,
  ...CallEventSchemas,
};
export type EventType = keyof typeof EventSchemas;
export type EventDataOf<T extends EventType> = z.infer<(typeof EventSchemas)[T]>;

/** The topic each event type goes to (the AsyncAPI document is built from this). */
export const EventTopics: Record<EventType, Topic> = Object.fromEntries([
  ...OrganisationEventType.options.map((t) => [t, Topics.organisation]),
  ...PersonEventType.options.map((t) => [t, Topics.person]),
  ...AccessEventType.options.map((t) => [t, Topics.access]),
  ...NeedEventType.options.map((t) => [t, Topics.need]),
  ...OfferEventType.options.map((t) => [t, Topics.offer]),
  ...ProposalEventType.options.map((t) => [t, Topics.proposal]),
  ...CommandEventType.options.map((t) => [t, Topics.command]),
  ...ReplyEventType.options.map((t) => [t, Topics.reply]),
  ...PartnershipEventType.options.map((t) => [t, Topics.partnership]),
  ...CallEventType.options.map((t) => [t, Topics.call]),
]) as Record<EventType, Topic>;
