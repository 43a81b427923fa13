import { Topics, topicName } from '@mutirao/contracts';
import type { ReadinessCheck, TokenVerifier } from '@mutirao/http';
import { consumeAgreements, type RunningConsumer } from '@mutirao/messaging';
import { KeyedLocks, OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { consumeCatalog } from './consumers/catalog';
import type { ReportingOrg } from './iati/activity';
import { Catalog } from './store/catalog';
import { PartnershipRepo } from './store/partnerships';
import type { IatiDeps } from './usecases/iati';
import { PartnershipService } from './usecases/partnerships';
import { ReminderScheduler } from './usecases/reminders';

export interface FollowupDeps {
  db: Connection;
  kafka: Kafka;
  producer: Producer;
  producerConnected: ReadinessCheck;
  databaseConnected: ReadinessCheck;
  verify: TokenVerifier;
  logger: Logger;
  now: () => Date;
  topicPrefix: string;
  consumerGroup: string;
  outboxPollMs: number;
  reportPeriods: number[];
  graceDays: number;
  reminderSweepMs: number;
  reporting: ReportingOrg;
}

export interface Followup {
  app: Express;
  partnerships: PartnershipService;
  repo: PartnershipRepo;
  catalog: Catalog;
  relay: OutboxRelay;
  reminders: ReminderScheduler;
  topics: { organisation: string; need: string; offer: string; proposal: string; partnership: string };
  /** Starts the relay and the reminders, and, in the background, the consumers (which may take a rebalance). */
  start(): { consumers: Promise<RunningConsumer[]> };
  /** Stops consumers, reminders and relay, in that order. */
  stop(): Promise<void>;
}

/** Wires the pieces of the service from its connections; main.ts owns config and connections. */
export function createFollowup(deps: FollowupDeps): Followup {
  const topics = {
    organisation: topicName(Topics.organisation, deps.topicPrefix),
    need: topicName(Topics.need, deps.topicPrefix),
    offer: topicName(Topics.offer, deps.topicPrefix),
    proposal: topicName(Topics.proposal, deps.topicPrefix),
    partnership: topicName(Topics.partnership, deps.topicPrefix),
  };
  const locks = new KeyedLocks();
  const repo = new PartnershipRepo(deps.db, locks);
  const catalog = new Catalog(deps.db, locks);
  const relay = new OutboxRelay({
    models: [repo.model],
    locks,
    producer: deps.producer,
    logger: deps.logger,
    pollMs: deps.outboxPollMs,
  });
  let reminders: ReminderScheduler | undefined;
  const partnerships = new PartnershipService({
    repo,
    catalog,
    topic: topics.partnership,
    now: deps.now,
    reportPeriods: deps.reportPeriods,
    graceDays: deps.graceDays,
    logger: deps.logger,
    afterWrite: (next) => {
      relay.wake();
      reminders?.notify(next);
    },
  });
  reminders = new ReminderScheduler({
    partnerships,
    now: deps.now,
    sweepEveryMs: deps.reminderSweepMs,
    logger: deps.logger,
    soonest: () => repo.nextReminderAt(),
  });
  const iati: IatiDeps = { repo, catalog, reporting: deps.reporting, now: deps.now };
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    verify: deps.verify,
    partnerships,
    iati,
  });
  const group = (name: string) => topicName(`${deps.consumerGroup}.${name}`, deps.topicPrefix);
  let consumers: Promise<RunningConsumer[]> = Promise.resolve([]);
  const sched = reminders;
  return {
    app,
    partnerships,
    repo,
    catalog,
    relay,
    reminders: sched,
    topics,
    start() {
      relay.start();
      sched.start();
      consumers = Promise.all([
        consumeCatalog({
          kafka: deps.kafka,
          groupId: group('catalog'),
          topics,
          logger: deps.logger,
          organisations: (list) => catalog.applyOrganisations(list),
          needs: async (list) => partnerships.needsArrived(await catalog.applyNeeds(list)),
          offers: (list) => catalog.applyOffers(list),
        }),
        consumeAgreements({
          kafka: deps.kafka,
          groupId: group('agreements'),
          topic: topics.proposal,
          logger: deps.logger,
          apply: (p) => partnerships.recordAgreement(p),
        }),
      ]);
      return { consumers };
    },
    async stop() {
      const running = await consumers.catch(() => [] as RunningConsumer[]);
      await Promise.all(running.map((c) => c.stop()));
      await sched.stop();
      await relay.stop();
    },
  };
}
