import { Topics, topicName } from '@mutirao/contracts';
import {
  deleteGroup,
  groupMembers,
  makeEvent,
  partitionCount,
  partitionOf,
  publish,
  type RunningConsumer,
  reachOffsets,
  topicEnds,
} from '@mutirao/messaging';
import { isDuplicateKey, type OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka, Producer } from 'kafkajs';
import { consumeNeedsAndCommands, consumeView } from './consumers/partitioned';
import { consumePostings, postingTopics } from './consumers/postings';
import { proposalKey } from './domain/triad-rules';
import type { Matcher } from './matching';
import type { Stores } from './store/stores';
import type { CommandBus, ProposalCommands } from './usecases/commands';
import { SOURCE } from './usecases/events';
import { NeedPartitions } from './usecases/ownership';
import { Rebalancer } from './usecases/rebalance';

/**
 * Matching as one of several instances (`MATCHING_INSTANCE`). Kafka splits the need topic's
 * partitions among them (one consumer group); each instance holds every organisation and offer
 * (its own group over both topics, its own rows) and the needs of its partitions, and alone writes
 * their proposals. Commands on a proposal reach the owner of its need through the command topic;
 * every instance follows every proposal on the proposal topic for its lists.
 */

export const matchingTopics = (prefix: string) => ({
  ...postingTopics(prefix),
  proposal: topicName(Topics.proposal, prefix),
  command: topicName(Topics.command, prefix),
  reply: topicName(Topics.reply, prefix),
  call: topicName(Topics.call, prefix),
});
export type MatchingTopics = ReturnType<typeof matchingTopics>;

/** The group in which one instance reads organisations and offers: every instance reads them all. */
export const instanceGroup = (group: string, instance: string) => `${group}.${instance}`;

/** Commands and replies over Kafka, keyed by need (commands) and by the sending instance (replies). */
export function kafkaCommandBus(producer: Producer, topics: MatchingTopics, replyTo: string): CommandBus {
  return {
    replyTo,
    send: (c) =>
      publish(producer, [
        {
          topic: topics.command,
          envelope:
            c.type === 'org.mutirao.matching.command.review'
              ? makeEvent({ type: c.type, source: SOURCE, subject: c.data.needId, data: c.data })
              : makeEvent({ type: c.type, source: SOURCE, subject: c.data.needId, data: c.data }),
        },
      ]),
    reply: (r) =>
      publish(producer, [
        {
          topic: topics.reply,
          envelope: makeEvent({
            type: 'org.mutirao.matching.command.replied',
            source: SOURCE,
            subject: r.replyTo,
            data: r,
          }),
        },
      ]),
  };
}

export interface RunningInstance {
  /** The need group's consumer, once joined (what main.ts waits for before it listens). */
  consumer: Promise<RunningConsumer>;
  /** No partition is being taken over. */
  settled(): boolean;
  /** Releases the partitions (after the work under way), then leaves the groups. */
  stop(): Promise<void>;
}

export interface InstanceDeps {
  kafka: Kafka;
  logger: Logger;
  consumerGroup: string;
  instance: string;
  topicPrefix: string;
  topics: MatchingTopics;
  stores: Stores;
  relay: OutboxRelay;
  commands: ProposalCommands;
  /** This process's name on the reply topic. */
  replyTo: string;
  /** Builds the pipeline once the partitions are known (organisations and offers, no need yet). */
  startMatcher: (partitions: NeedPartitions) => Promise<Matcher>;
}

export async function startInstance(deps: InstanceDeps): Promise<RunningInstance> {
  const { kafka, logger, topics, stores, relay } = deps;
  const count = await partitionCount(kafka, topics.need);
  const commandCount = await partitionCount(kafka, topics.command);
  if (count === 0 || commandCount !== count)
    throw new Error(
      `${topics.command} must have as many partitions as ${topics.need} (${commandCount} and ${count}): partition i of both goes to the same instance`,
    );
  const partitions = new NeedPartitions(count, (id) => partitionOf(id, count));
  stores.proposals.partitionOf = partitions.partitionOf;
  // Should one instance alone run again later (no MATCHING_INSTANCE), it cannot know what was left
  // undone here: it ranks every open need once.
  try {
    await stores.pending.add((await stores.pending.lastSequence()) + 1, 'all', '*');
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  relay.start();
  // The proposals are read from the store as of these offsets; the view reads on from there.
  const viewFrom = await topicEnds(kafka, [topics.proposal, topics.reply]);
  const matcher = await deps.startMatcher(partitions);
  const viewGroup = `${deps.consumerGroup}.view.${deps.replyTo}`;
  const view = await consumeView({
    kafka,
    groupId: viewGroup,
    topics,
    from: viewFrom,
    replyTo: deps.replyTo,
    onProposals: (ps) => {
      for (const p of ps) stores.proposals.observe(p, proposalKey(p.needId, p.offerIds));
    },
    onReply: (r) => deps.commands.settle(r),
    logger,
  });
  const ownGroup = instanceGroup(deps.consumerGroup, deps.instance);
  const postings = await consumePostings({
    kafka,
    groupId: ownGroup,
    topicPrefix: deps.topicPrefix,
    changes: matcher.changes,
    logger,
    without: 'need',
    work: (fn) => partitions.work(fn),
  });
  const stopping = new AbortController();
  let moving = 0;
  const rebalancer = new Rebalancer({
    partitions,
    holders: stores.holders,
    members: () => groupMembers(kafka, deps.consumerGroup),
    // Organisations and offers, and every proposal published until now (the table then holds all
    // but those still in their writers' outboxes, which the take reads from the store).
    catchUp: async () => {
      const [postings, published] = await Promise.all([
        topicEnds(kafka, [topics.organisation, topics.offer]),
        topicEnds(kafka, [topics.proposal]),
      ]);
      await Promise.all([
        reachOffsets(kafka, ownGroup, postings, { signal: stopping.signal }),
        reachOffsets(kafka, viewGroup, published, { signal: stopping.signal }),
      ]);
    },
    relaySettled: () => relay.settled(),
    drop: (p) => matcher.dropNeeds((id) => partitions.partitionOf(id) === p),
    take: async (p) => {
      moving++;
      try {
        await matcher.takeNeeds((id) => partitions.partitionOf(id) === p, p);
        // Its documents may hold events the last writer had not published yet.
        relay.wake();
      } finally {
        moving--;
      }
    },
    logger,
  });
  const consumer = consumeNeedsAndCommands({
    kafka,
    groupId: deps.consumerGroup,
    topics,
    partitions,
    changes: matcher.changes,
    commands: deps.commands,
    onAssigned: (memberId, ps) => rebalancer.assigned(memberId, ps),
    logger,
  });
  return {
    consumer,
    settled: () => moving === 0 && !partitions.moving(),
    async stop() {
      stopping.abort();
      await rebalancer.stop();
      // Each waits for its fetch under way (up to 5 s): side by side.
      await Promise.all([
        consumer.then((c) => c.stop()).catch(() => undefined),
        postings.stop(),
        view.stop().then(() => deleteGroup(kafka, viewGroup)),
      ]);
    },
  };
}
