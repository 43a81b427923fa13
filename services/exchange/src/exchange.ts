import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Topics, topicName } from '@mutirao/contracts';
import type { ReadinessCheck, TokenVerifier } from '@mutirao/http';
import { committedOffsets, consumeAgreements, endOffsets, type RunningConsumer } from '@mutirao/messaging';
import { KeyedLocks, OutboxJournal, OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { followCatalogs } from './consumers/follow';
import { consumeOrganisations } from './consumers/organisations';
import type { Content, NeedContent, OfferContent, Posting } from './domain/types';
import { OrganisationCountries } from './store/catalog';
import { OrganisationRepo } from './store/organisations';
import { PostingRepo, postingModel } from './store/postings';

import { applyAgreement } from './usecases/agreements';
import { ExpiryScheduler, sweep } from './usecases/expiry';
import { applyOrganisations } from './usecases/organisations';
import { PostingService } from './usecases/postings';

export interface ExchangeDeps {
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
  expirySweepMs: number;
  /** Names this instance's follower group (host, pid and a random part by default). */
  instanceId?: string;
  /**
   * False when this instance is the only one (it holds the store's lease on FerretDB): its
   * catalogs then see every write as it makes it, and no follower is started (an idle consumer
   * costs the broker and the process wake-ups). True by default.
   */
  followOtherInstances?: boolean;
}

export interface Exchange {
  app: Express;
  needs: PostingService<NeedContent>;
  offers: PostingService<OfferContent>;
  repos: { needs: PostingRepo; offers: PostingRepo; organisations: OrganisationRepo };
  relay: OutboxRelay;
  scheduler: ExpiryScheduler;
  topics: { need: string; offer: string; organisation: string; proposal: string };
  /** The expiry use case, for tests with an injected clock. */
  sweep(now: Date): Promise<number>;
  /**
   * Reads where the topics end (and where the organisation consumers' group stands), fills the
   * browse catalogs and the organisations' countries from the store, then starts the relay and the
   * scheduler and, in the background, the consumers (which may take a rebalance) and the follower
   * that keeps the catalogs in step with every instance's writes from those offsets on.
   */
  start(): Promise<{ consumers: Promise<RunningConsumer[]> }>;
  /** Stops consumers, scheduler and relay, in that order. */
  stop(): Promise<void>;
}

/** Wires the pieces of the service from its connections; main.ts owns config and connections. */
export function createExchange(deps: ExchangeDeps): Exchange {
  const topics = {
    need: topicName(Topics.need, deps.topicPrefix),
    offer: topicName(Topics.offer, deps.topicPrefix),
    organisation: topicName(Topics.organisation, deps.topicPrefix),
    proposal: topicName(Topics.proposal, deps.topicPrefix),
  };
  const locks = new KeyedLocks();
  const journal = new OutboxJournal(deps.db);
  const countries = new OrganisationCountries();
  const needRepo = new PostingRepo(postingModel(deps.db, 'need'), locks, journal, 'need', countries);
  const offerRepo = new PostingRepo(postingModel(deps.db, 'offer'), locks, journal, 'offer', countries);
  const orgs = new OrganisationRepo(deps.db);
  const relay = new OutboxRelay({
    models: [needRepo.model, offerRepo.model],
    locks,
    journal,
    producer: deps.producer,
    logger: deps.logger,
    pollMs: deps.outboxPollMs,
  });
  let scheduler: ExpiryScheduler | undefined;
  const afterWrite = (p: Posting, how: 'inserted' | 'updated') => {
    if (how === 'updated') relay.wake();
    if (p.status === 'open') scheduler?.notify(p.expiresAt);
  };
  const needs = new PostingService<NeedContent>({
    kind: 'need',
    repo: needRepo,
    orgs,
    topic: topics.need,
    now: deps.now,
    afterWrite,
  });
  const offers = new PostingService<OfferContent>({
    kind: 'offer',
    repo: offerRepo,
    orgs,
    topic: topics.offer,
    now: deps.now,
    afterWrite,
  });
  const kinds = [
    { service: needs as unknown as PostingService<Content>, repo: needRepo },
    { service: offers as unknown as PostingService<Content>, repo: offerRepo },
  ];
  scheduler = new ExpiryScheduler({
    kinds,
    now: deps.now,
    sweepEveryMs: deps.expirySweepMs,
    logger: deps.logger,
  });
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    needs,
    offers,
    verify: deps.verify,
  });
  const group = (name: string) => topicName(`${deps.consumerGroup}.${name}`, deps.topicPrefix);
  const instanceId = deps.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let consumers: Promise<RunningConsumer[]> = Promise.resolve([]);
  const sched = scheduler;
  return {
    app,
    needs,
    offers,
    repos: { needs: needRepo, offers: offerRepo, organisations: orgs },
    relay,
    scheduler: sched,
    topics,
    sweep: (now) => sweep(kinds, now),
    async start() {
      const t0 = Date.now();
      // Read before loading, so that following from there misses nothing written meanwhile: every
      // posting event before the end offsets is in the store; every organisation event before the
      // group's committed offsets is in the read model (follow.ts).
      const [postingsFrom, organisationsFrom] = await Promise.all([
        endOffsets(deps.kafka, [topics.need, topics.offer]),
        committedOffsets(deps.kafka, group('organisations'), [topics.organisation]),
      ]);
      const loaded = await Promise.all([
        needRepo.loadCatalog(),
        offerRepo.loadCatalog(),
        orgs.loadCountries(countries),
      ]);
      deps.logger.info(
        { needs: loaded[0], offers: loaded[1], organisations: loaded[2], ms: Date.now() - t0 },
        'browse catalogs loaded',
      );
      relay.start();
      sched.start();
      const followed = async (repo: PostingRepo, list: Parameters<PostingRepo['follow']>[0]) => {
        for (const e of await repo.follow(list)) if (e.status === 'open') sched.notify(new Date(e.expiresAt));
      };
      const follower = deps.followOtherInstances ?? true;
      consumers = Promise.all([
        ...(follower
          ? [
              followCatalogs({
                kafka: deps.kafka,
                groupId: group(`follow.${instanceId}`),
                topics,
                from: [...postingsFrom, ...organisationsFrom],
                logger: deps.logger,
                needs: (list) => followed(needRepo, list),
                offers: (list) => followed(offerRepo, list),
                organisations: (list) => {
                  for (const o of list) countries.apply(o.id, o.revision, o.country);
                  orgs.refresh(list);
                },
              }),
            ]
          : []),
        consumeOrganisations({
          kafka: deps.kafka,
          groupId: group('organisations'),
          topic: topics.organisation,
          logger: deps.logger,
          apply: async (list) => {
            const applied = await applyOrganisations(
              { orgs, postings: [needRepo, offerRepo], services: kinds.map((k) => k.service) },
              list,
            );
            // Alone, this group sees every organisation event: the countries follow from here.
            if (!follower) for (const o of list) countries.apply(o.id, o.revision, o.country);
            return applied;
          },
        }),
        consumeAgreements({
          kafka: deps.kafka,
          groupId: group('agreements'),
          topic: topics.proposal,
          logger: deps.logger,
          apply: (p) => applyAgreement({ needs, offers, logger: deps.logger }, p),
        }),
      ]);
      return { consumers };
    },
    async stop() {
      const running = await consumers.catch(() => [] as RunningConsumer[]);
      // Side by side: each may wait out a fetch in flight (up to 5 s), one after another overran the stop deadline.
      await Promise.all(running.map((c) => c.stop()));
      await sched.stop();
      await relay.stop();
    },
  };
}
