/**
 * Kafka topics, one per aggregate, keyed by aggregate id.
 * Renaming a topic is a migration: consumers keep their offsets per topic name, so a rename
 * needs a copy of the old topic's events and a coordinated switch of every consumer.
 */
export const Topics = {
  organisation: 'mutirao.profiles.organisation.v1',
  /** People who sign in, with their contact details: read by notifications only. */
  person: 'mutirao.profiles.person.v1',
  /** Invitation and password-reset tokens to be mailed: read by notifications only. */
  access: 'mutirao.profiles.access.v1',
  need: 'mutirao.exchange.need.v1',
  offer: 'mutirao.exchange.offer.v1',
  proposal: 'mutirao.matching.proposal.v1',
  /** Matching's own: review and consent commands for the instance owning the need (see command-events). */
  command: 'mutirao.matching.command.v1',
  /** Matching's own: the outcome of each command, for the instance that sent it. */
  reply: 'mutirao.matching.reply.v1',
  /** Partnerships after the agreement: status, outcome reports, reminders (follow-up service). */
  partnership: 'mutirao.followup.partnership.v1',
  /** Matching's calls: each round that assigned a call's capacity (see call-events). */
  call: 'mutirao.matching.call.v1',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

/** Every topic has a dead-letter twin where malformed messages go, with the reason. */
export const dlqOf = (topic: string): string => `${topic}.dlq`;

/**
 * Topic names as a deployment sees them. Tests give each file its own prefix so that files run
 * in parallel on one broker; production uses the bare names (empty prefix).
 */
export const topicName = (topic: string, prefix = ''): string => (prefix ? `${prefix}.${topic}` : topic);
