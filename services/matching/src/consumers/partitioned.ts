import {
  CommandEventSchemas,
  type CommandReplyData,
  NeedEventSchemas,
  ProposalEventSchemas,
  type ProposalSnapshot,
  ReplyEventSchemas,
} from '@mutirao/contracts';
import {
  BatchGivenBack,
  consumeBatches,
  coPartitionedAssigner,
  type Offsets,
  type RunningConsumer,
  startGroupAt,
} from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Kafka } from 'kafkajs';
import type { Changes } from '../usecases/changes';
import type { ProposalCommands, RoutedCommand } from '../usecases/commands';
import type { NeedPartitions } from '../usecases/ownership';

/**
 * With several instances: the needs and the commands on their proposals, in the one group the
 * instances share, partition i of both topics to the same instance (`coPartitionedAssigner`).
 * A batch waits until its partition is taken over here (see Rebalancer); a batch of a partition
 * that is not (or no longer) this instance's is given back (`BatchGivenBack`): its offsets are not
 * committed and its next reader gets it, with no retry here and no restart of the consumer (a
 * restart would be one more rebalance for the whole group).
 */
export function consumeNeedsAndCommands(opts: {
  kafka: Kafka;
  groupId: string;
  topics: { need: string; command: string };
  partitions: NeedPartitions;
  changes: Pick<Changes, 'onNeeds'>;
  commands: Pick<ProposalCommands, 'execute'>;
  /** Each new assignment of need partitions to this member. */
  onAssigned: (memberId: string, partitions: number[]) => void;
  logger: Logger;
}): Promise<RunningConsumer> {
  const { topics, partitions } = opts;
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [topics.need, topics.command],
    schemas: { ...NeedEventSchemas, ...CommandEventSchemas },
    logger: opts.logger,
    partitionAssigners: [coPartitionedAssigner],
    onGroupJoin: ({ memberId, assignment }) => opts.onAssigned(memberId, assignment[topics.need] ?? []),
    handler: async (events, ctx) => {
      if (!(await heldMeanwhileAlive(partitions, ctx.partition, ctx.heartbeat)))
        throw new BatchGivenBack(`partition ${ctx.partition} of ${ctx.topic} is not this instance's`);
      if (ctx.topic === topics.need) {
        const needs = events.flatMap((e) => ('need' in e.data ? [e.data.need] : []));
        if (needs.length > 0) await partitions.work(() => opts.changes.onNeeds(needs));
        return;
      }
      for (const e of events) {
        // The data was checked against its type's schema on the way in.
        const command = { type: e.type, data: e.data } as RoutedCommand;
        if (!(await opts.commands.execute(command)))
          throw new BatchGivenBack(`the need ${command.data.needId} is not written by this instance`);
      }
    },
  });
}

/**
 * Waits until the partition is taken over here, telling the group this member is alive meanwhile
 * (a take-over may outlast the session timeout: the holder's release, the catching up, the load).
 */
async function heldMeanwhileAlive(
  partitions: NeedPartitions,
  partition: number,
  heartbeat?: () => Promise<void>,
): Promise<boolean> {
  const held = partitions.whenHeld(partition);
  for (;;) {
    const tick = new Promise<'tick'>((r) => setTimeout(() => r('tick'), 2_000).unref());
    const result = await Promise.race([held, tick]);
    if (result !== 'tick') return result;
    await heartbeat?.();
  }
}

/**
 * Every instance's view of every proposal and its own replies: the proposal topic (from the
 * offsets it stood at when the proposals were loaded from the store, so nothing in between is
 * missed) and the reply topic, in a group of this process's own.
 */
export async function consumeView(opts: {
  kafka: Kafka;
  groupId: string;
  topics: { proposal: string; reply: string };
  /** Where to start: the ends of both topics before the store was read. */
  from: Offsets;
  replyTo: string;
  onProposals: (proposals: ProposalSnapshot[]) => void;
  onReply: (reply: CommandReplyData) => void;
  logger: Logger;
}): Promise<RunningConsumer> {
  await startGroupAt(opts.kafka, opts.groupId, opts.from);
  return consumeBatches({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.topics.proposal, opts.topics.reply],
    schemas: { ...ProposalEventSchemas, ...ReplyEventSchemas },
    logger: opts.logger,
    fromBeginning: false,
    handler: async (events) => {
      const proposals: ProposalSnapshot[] = [];
      for (const e of events) {
        if ('proposal' in e.data) proposals.push(e.data.proposal);
        else if (e.data.replyTo === opts.replyTo) opts.onReply(e.data);
      }
      if (proposals.length > 0) opts.onProposals(proposals);
    },
  });
}
