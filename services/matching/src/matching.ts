import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ReadinessCheck, TokenVerifier } from '@mutirao/http';
import type { Clock } from '@mutirao/kernel';
import { consumerLag, type RunningConsumer } from '@mutirao/messaging';
import { OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { consumePostings } from './consumers/postings';
import type { Solve } from './domain/calls/linear';
import type { LearnedModel } from './domain/learning/model';
import { MatchIndex } from './domain/match-index';
import {
  instanceGroup,
  kafkaCommandBus,
  type MatchingTopics,
  matchingTopics,
  type RunningInstance,
  startInstance,
} from './instances';
import { HighsSolver } from './solver/highs';
import { createStores, initStores, type Stores } from './store/stores';
import { Calls } from './usecases/calls';
import { Changes } from './usecases/changes';
import { ProposalCommands } from './usecases/commands';
import { Consent } from './usecases/consent';
import { Learning } from './usecases/learning';
import { everyNeed, type NeedPartitions, type Ownership } from './usecases/ownership';
import { progress } from './usecases/progress';
import { ProposalQueries } from './usecases/proposals';
import { Reconciler } from './usecases/reconcile';
import { Review } from './usecases/review';
import { noPendingChanges, SettleQueue } from './usecases/settle';
import { ProposalTransitions } from './usecases/transitions';

/** Proposals per need, quiet time before ranking, longest wait: the defaults of the service. */
export const MATCHING_DEFAULTS = { limit: 3, settleMs: 5, maxDelayMs: 50 } as const;

export interface MatcherDeps {
  stores: Stores;
  transitions: ProposalTransitions;
  /** The proposal topic as deployed (prefix included). */
  proposalTopic: string;
  now: Clock;
  logger: Logger;
  /** Called after every write of proposals so the outbox relay publishes at once. */
  wake: () => void;
  limit?: number;
  settleMs?: number;
  maxDelayMs?: number;
  /** Which needs this instance writes the proposals of: every need unless several instances run. */
  ownership?: Ownership;
  /**
   * One of several instances: no need is loaded at start (they come with the partitions the group
   * assigns, `takeNeeds`) and no pending change is recorded (see `noPendingChanges`).
   */
  partitioned?: boolean;
  /**
   * Calls are closed here (one instance only: a call's candidates are every open need), solved with
   * `solve` and their rounds published on `callTopic`.
   */
  calls?: { solve: Solve; callTopic: string };
  /** The ranking model learnt from decisions, once there is one. */
  model?: () => LearnedModel | undefined;
}

/** The matching pipeline as it runs: from the topics' snapshots to stored proposals. */
export interface Matcher {
  readonly index: MatchIndex;
  /** Where the consumer hands the snapshots over. */
  readonly changes: Changes;
  /** The calls' timers and solving; none with several instances. */
  readonly calls: Calls | undefined;
  needsWaiting(): number;
  idle(): boolean;
  /** Ranks every need waiting now, without waiting for the topics to settle. */
  flush(): Promise<void>;
  /** Forgets the needs `pick` picks: their partition goes to another instance (see Changes.dropNeeds). */
  dropNeeds(pick: (needId: string) => boolean): Promise<void>;
  /**
   * Takes over the needs `pick` picks, as the read model holds them, marking their proposals with
   * `partition` (see Changes.takeNeeds).
   */
  takeNeeds(pick: (needId: string) => boolean, partition?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the index from the persisted read model (no replay of the topics), then reacts to the
 * changes a previous process left pending. No Kafka and no HTTP: the service's `start` and the
 * restart test run it alike.
 */
export async function startMatcher(deps: MatcherDeps): Promise<Matcher> {
  const { readModel, proposals } = deps.stores;
  const pending = deps.partitioned ? noPendingChanges : deps.stores.pending;
  const ownership = deps.ownership ?? everyNeed;
  // Elapsed time for the log only: a monotonic clock, not the service's.
  const t0 = performance.now();
  const [held, proposalCount] = await Promise.all([
    readModel.loadAll({ needs: !deps.partitioned }),
    proposals.load(),
  ]);
  const index = MatchIndex.build(held);
  deps.logger.info(
    {
      ms: Math.round(performance.now() - t0),
      needs: held.needs.length,
      offers: held.offers.length,
      organisations: held.organisations.length,
      proposals: proposalCount,
    },
    'match index built from the read model',
  );
  const settle: SettleQueue = new SettleQueue({
    pending,
    logger: deps.logger,
    rank: (needIds, traces) => ownership.work(() => reconciler.rankNeeds(needIds, traces)),
    settleMs: deps.settleMs ?? MATCHING_DEFAULTS.settleMs,
    maxDelayMs: deps.maxDelayMs ?? MATCHING_DEFAULTS.maxDelayMs,
  });
  const reconciler: Reconciler = new Reconciler({
    index,
    proposals,
    transitions: deps.transitions,
    topic: deps.proposalTopic,
    now: deps.now,
    limit: deps.limit ?? MATCHING_DEFAULTS.limit,
    waiting: (needId) => settle.waiting(needId),
    owns: (needId) => ownership.owns(needId),
    ...(deps.model ? { model: deps.model } : {}),
  });
  const calls = deps.calls
    ? new Calls({
        index,
        proposals,
        rounds: deps.stores.rounds,
        solve: deps.calls.solve,
        proposalTopic: deps.proposalTopic,
        callTopic: deps.calls.callTopic,
        now: deps.now,
        wake: deps.wake,
        logger: deps.logger,
      })
    : undefined;
  const changes = new Changes({
    readModel,
    index,
    proposals,
    reconciler,
    settle,
    now: deps.now,
    logger: deps.logger,
    ...(calls ? { callChanged: (offer) => calls.changed(offer) } : {}),
  });
  await settle.init();
  reconciler.loadFloors();
  // The calls' closings come from the offers the read model holds: the timers survive a restart.
  await calls?.start();
  await changes.resume(held, await pending.all());
  return {
    index,
    changes,
    calls,
    needsWaiting: () => settle.needsWaiting(),
    idle: () => settle.idle(),
    flush: () => settle.flush(),
    dropNeeds: (pick) => changes.dropNeeds(pick),
    takeNeeds: async (pick, partition) => {
      const t0 = performance.now();
      const needs = await readModel.loadNeeds(pick);
      const loaded = performance.now();
      deps.logger.info(
        { partition, needs: needs.length, ms: Math.round(loaded - t0) },
        'needs to take over read',
      );
      await changes.takeNeeds(needs, partition);
      deps.logger.info(
        {
          partition,
          needs: needs.length,
          loadMs: Math.round(loaded - t0),
          takeMs: Math.round(performance.now() - loaded),
        },
        'needs taken over',
      );
    },
    stop: async () => {
      calls?.stop();
      await calls?.idle();
      await settle.stop();
    },
  };
}

export interface MatchingDeps {
  db: Connection;
  kafka: Kafka;
  producer: Producer;
  producerConnected: ReadinessCheck;
  databaseConnected: ReadinessCheck;
  verify: TokenVerifier;
  logger: Logger;
  /** The service's clock: every timestamp stored or published comes from it. */
  now: Clock;
  topicPrefix: string;
  /**
   * The consumer group of the read model, as deployed (one per deployment). With several
   * instances, the group they share for the needs and commands; each reads organisations and
   * offers in `<group>.<instance>`.
   */
  consumerGroup: string;
  /**
   * This instance's name when several run (`MATCHING_INSTANCE`): needs are split among them by
   * partition (see instances.ts). Unique among the running instances, and the same across restarts
   * of one (it names its organisations and offers, and its consumer group for them).
   */
  instance?: string;
  /** How long a command routed to another instance is waited for (default 10 s). */
  commandTimeoutMs?: number;
  limit?: number;
  settleMs?: number;
  maxDelayMs?: number;
}

export interface Matching {
  app: Express;
  stores: Stores;
  /** Decisions kept and the ranking model trained from them. */
  learning: Learning;
  relay: OutboxRelay;
  topics: MatchingTopics;
  /** The running pipeline; there is none before `start`. */
  readonly matcher: Matcher;
  /** With several instances, the need partitions this one holds; none with one instance. */
  readonly partitions: NeedPartitions | undefined;
  /**
   * Creates the collections, starts the relay, builds the index and reacts to pending changes,
   * then starts the consumer (resolved once it has joined its group).
   */
  start(): Promise<{ consumer: Promise<RunningConsumer> }>;
  /** Stops the consumer, the pipeline and the relay, in that order. */
  stop(): Promise<void>;
}

/**
 * Wires the pieces of the service from its connections; main.ts (or a test) owns config and
 * connections, and closes them after `stop`.
 */
export function createMatching(deps: MatchingDeps): Matching {
  const topics = matchingTopics(deps.topicPrefix);
  const stores = createStores(deps.db, deps.instance);
  const { proposals } = stores;
  // With several instances, each relays the documents of its own need partitions only, and leaves
  // another's journal batches to it for a while (it may still be writing them).
  let partitions: NeedPartitions | undefined;
  const relay = new OutboxRelay({
    models: [proposals.model, stores.rounds.model],
    journal: proposals.journal,
    producer: deps.producer,
    logger: deps.logger,
    locks: proposals.locks,
    ...(deps.instance !== undefined
      ? {
          journalGraceMs: 10_000,
          filter: () => ({ needPartition: { $in: partitions?.writing() ?? [] } }),
        }
      : {}),
  });
  const wake = () => relay.wake();
  const transitions = new ProposalTransitions({ proposals, topic: topics.proposal, wake });
  // Until the partitions are known nothing is written here with several instances.
  const ownership: Ownership =
    deps.instance === undefined
      ? everyNeed
      : {
          owns: (id) => partitions?.owns(id) ?? false,
          work: (fn) => (partitions ? partitions.work(fn) : fn()),
        };
  const learning = new Learning({ decisions: stores.decisions, now: deps.now, logger: deps.logger });
  const review = new Review({ proposals, transitions, now: deps.now, learning });
  const consent = new Consent({ proposals, transitions, now: deps.now, learning });
  const replyTo = `${deps.instance ?? 'solo'}-${randomUUID().slice(0, 8)}`;
  const commands = new ProposalCommands({
    review,
    consent,
    proposals,
    ownership,
    logger: deps.logger,
    ...(deps.instance !== undefined ? { bus: kafkaCommandBus(deps.producer, topics, replyTo) } : {}),
    ...(deps.commandTimeoutMs !== undefined ? { timeoutMs: deps.commandTimeoutMs } : {}),
  });
  // One HiGHS worker per process, started with the first call solved.
  let solver: HighsSolver | undefined;
  const solve: Solve = (model) => {
    solver ??= new HighsSolver();
    return solver.solve(model);
  };
  let matcher: Matcher | undefined;
  let running: RunningInstance | undefined;
  let consumer: Promise<RunningConsumer> | undefined;
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    verify: deps.verify,
    review,
    consent,
    commands,
    queries: new ProposalQueries({ proposals }),
    calls: () => matcher?.calls,
    progress: () =>
      progress({
        // Not started: not caught up.
        idle: () => (matcher?.idle() ?? false) && (running?.settled() ?? deps.instance === undefined),
        needsWaiting: () => matcher?.needsWaiting() ?? 0,
        eventsWaiting: async () =>
          deps.instance === undefined
            ? consumerLag(deps.kafka, deps.consumerGroup, [topics.organisation, topics.need, topics.offer])
            : (await consumerLag(deps.kafka, deps.consumerGroup, [topics.need, topics.command])) +
              (await consumerLag(deps.kafka, instanceGroup(deps.consumerGroup, deps.instance), [
                topics.organisation,
                topics.offer,
              ])),
      }),
  });
  const matcherDeps = (): MatcherDeps => ({
    stores,
    transitions,
    proposalTopic: topics.proposal,
    now: deps.now,
    logger: deps.logger,
    wake,
    ownership,
    model: () => learning.current(),
    ...(deps.instance === undefined ? { calls: { solve, callTopic: topics.call } } : {}),
    ...(deps.limit !== undefined ? { limit: deps.limit } : {}),
    ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
    ...(deps.maxDelayMs !== undefined ? { maxDelayMs: deps.maxDelayMs } : {}),
  });
  return {
    app,
    stores,
    learning,
    relay,
    topics,
    get matcher(): Matcher {
      if (!matcher) throw new Error('matching is not started');
      return matcher;
    },
    get partitions() {
      return partitions;
    },
    async start() {
      await initStores(stores);
      await learning.start();
      if (deps.instance === undefined) {
        relay.start();
        matcher = await startMatcher(matcherDeps());
        consumer = consumePostings({
          kafka: deps.kafka,
          groupId: deps.consumerGroup,
          topicPrefix: deps.topicPrefix,
          changes: matcher.changes,
          logger: deps.logger,
        });
        return { consumer };
      }
      running = await startInstance({
        ...deps,
        instance: deps.instance,
        topics,
        stores,
        relay,
        commands,
        replyTo,
        startMatcher: async (p) => {
          partitions = p;
          matcher = await startMatcher({ ...matcherDeps(), partitioned: true });
          return matcher;
        },
      });
      consumer = running.consumer;
      return { consumer };
    },
    async stop() {
      if (running) await running.stop();
      else await (await consumer?.catch(() => undefined))?.stop();
      consumer = undefined;
      running = undefined;
      commands.stop();
      learning.stop();
      await matcher?.stop();
      await relay.stop();
      await solver?.close();
      solver = undefined;
    },
  };
}
