import { performance } from 'node:perf_hooks';
import { Topics, topicName } from '@mutirao/contracts';
import type { ReadinessCheck, TokenVerifier } from '@mutirao/http';
import type { Clock } from '@mutirao/kernel';
import { consumerLag, type RunningConsumer } from '@mutirao/messaging';
import { OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { consumePostings, postingTopics } from './consumers/postings';
import { MatchIndex } from './domain/match-index';
import { createStores, initStores, type Stores } from './store/stores';
import { Changes } from './usecases/changes';
import { Consent } from './usecases/consent';
import { progress } from './usecases/progress';
import { ProposalQueries } from './usecases/proposals';
import { Reconciler } from './usecases/reconcile';
import { Review } from './usecases/review';
import { SettleQueue } from './usecases/settle';
import { ProposalTransitions } from './usecases/transitions';

/** Proposals per need, quiet time before ranking, longest wait: the defaults of the service. */
export const MATCHING_DEFAULTS = { limit: 3, settleMs: 250, maxDelayMs: 3_000 } as const;

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
}

/** The matching pipeline as it runs: from the topics' snapshots to stored proposals. */
export interface Matcher {
  readonly index: MatchIndex;
  /** Where the consumer hands the snapshots over. */
  readonly changes: Changes;
  needsWaiting(): number;
  idle(): boolean;
  /** Ranks every need waiting now, without waiting for the topics to settle. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the index from the persisted read model (no replay of the topics), then reacts to the
 * changes a previous process left pending. No Kafka and no HTTP: the service's `start` and the
 * restart test run it alike.
 */
export async function startMatcher(deps: MatcherDeps): Promise<Matcher> {
  const { readModel, proposals, pending } = deps.stores;
  // Elapsed time for the log only: a monotonic clock, not the service's.
  const t0 = performance.now();
  const [held, proposalCount] = await Promise.all([readModel.loadAll(), proposals.load()]);
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
    rank: (needIds, traces) => reconciler.rankNeeds(needIds, traces),
    settleMs: deps.settleMs ?? MATCHING_DEFAULTS.settleMs,
    maxDelayMs: deps.maxDelayMs ?? MATCHING_DEFAULTS.maxDelayMs,
  });
  const reconciler: Reconciler = new Reconciler({
    index,
    proposals,
    transitions: deps.transitions,
    topic: deps.proposalTopic,
    now: deps.now,
    wake: deps.wake,
    limit: deps.limit ?? MATCHING_DEFAULTS.limit,
    waiting: (needId) => settle.waiting(needId),
  });
  const changes = new Changes({
    readModel,
    index,
    proposals,
    reconciler,
    settle,
    now: deps.now,
    logger: deps.logger,
  });
  await settle.init();
  reconciler.loadFloors();
  await changes.resume(held, await pending.all());
  return {
    index,
    changes,
    needsWaiting: () => settle.needsWaiting(),
    idle: () => settle.idle(),
    flush: () => settle.flush(),
    stop: () => settle.stop(),
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
  /** The consumer group of the read model, as deployed (one per deployment). */
  consumerGroup: string;
  limit?: number;
  settleMs?: number;
  maxDelayMs?: number;
}

export interface Matching {
  app: Express;
  stores: Stores;
  relay: OutboxRelay;
  topics: { organisation: string; need: string; offer: string; proposal: string };
  /** The running pipeline; there is none before `start`. */
  readonly matcher: Matcher;
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
  const topics = {
    ...postingTopics(deps.topicPrefix),
    proposal: topicName(Topics.proposal, deps.topicPrefix),
  };
  const stores = createStores(deps.db);
  const { proposals } = stores;
  const relay = new OutboxRelay({
    models: [proposals.model],
    journal: proposals.journal,
    producer: deps.producer,
    logger: deps.logger,
    locks: proposals.locks,
  });
  const wake = () => relay.wake();
  const transitions = new ProposalTransitions({ proposals, topic: topics.proposal, wake });
  let matcher: Matcher | undefined;
  let consumer: Promise<RunningConsumer> | undefined;
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    verify: deps.verify,
    review: new Review({ proposals, transitions, now: deps.now }),
    consent: new Consent({ proposals, transitions, now: deps.now }),
    queries: new ProposalQueries({ proposals }),
    progress: () =>
      progress({
        // Not started: not caught up.
        idle: () => matcher?.idle() ?? false,
        needsWaiting: () => matcher?.needsWaiting() ?? 0,
        eventsWaiting: () =>
          consumerLag(deps.kafka, deps.consumerGroup, [topics.organisation, topics.need, topics.offer]),
      }),
  });
  return {
    app,
    stores,
    relay,
    topics,
    get matcher(): Matcher {
      if (!matcher) throw new Error('matching is not started');
      return matcher;
    },
    async start() {
      await initStores(stores);
      relay.start();
      matcher = await startMatcher({
        stores,
        transitions,
        proposalTopic: topics.proposal,
        now: deps.now,
        logger: deps.logger,
        wake,
        ...(deps.limit !== undefined ? { limit: deps.limit } : {}),
        ...(deps.settleMs !== undefined ? { settleMs: deps.settleMs } : {}),
        ...(deps.maxDelayMs !== undefined ? { maxDelayMs: deps.maxDelayMs } : {}),
      });
      consumer = consumePostings({
        kafka: deps.kafka,
        groupId: deps.consumerGroup,
        topicPrefix: deps.topicPrefix,
        changes: matcher.changes,
        logger: deps.logger,
      });
      return { consumer };
    },
    async stop() {
      const running = await consumer?.catch(() => undefined);
      await running?.stop();
      consumer = undefined;
      await matcher?.stop();
      await relay.stop();
    },
  };
}
