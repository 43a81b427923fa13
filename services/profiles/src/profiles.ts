import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { OrganisationEventSchemas, Topics, topicName } from '@mutirao/contracts';
import { createVerifier, type ReadinessCheck } from '@mutirao/http';
import type { Clock } from '@mutirao/kernel';
import { consumeAgreements, endOffsets, follow, type RunningConsumer } from '@mutirao/messaging';
import { OutboxRelay } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { createIssuer, newSigningKey, type TokenIssuer } from './identity/issuer';
import { initStores, openStores, type Stores } from './store';
import { recordAgreement } from './usecases/partnerships';
import { backfillPersons } from './usecases/people';
import { relayLocks } from './usecases/serial';

/**
 * The topics this service writes (organisations; persons and access tokens, for the notifications
 * service) and reads (agreed proposals), as deployed.
 */
export const profilesTopics = (prefix: string) => ({
  organisation: topicName(Topics.organisation, prefix),
  person: topicName(Topics.person, prefix),
  access: topicName(Topics.access, prefix),
  proposal: topicName(Topics.proposal, prefix),
});

export interface ProfilesDeps {
  db: Connection;
  kafka: Kafka;
  producer: Producer;
  producerConnected: ReadinessCheck;
  databaseConnected: ReadinessCheck;
  logger: Logger;
  now: Clock;
  topicPrefix: string;
  /** Consumer group of the agreement consumer (the topic prefix is added). */
  agreementsGroup: string;
  /** How often the relay looks for unpublished events when no write woke it; its default when absent. */
  outboxPollMs?: number;
  /** Names this instance's follower group (host, pid and a random part by default). */
  instanceId?: string;
  /**
   * False when this instance is the only one (it holds the store's lease on FerretDB): its
   * directory then sees every write as it makes it, and no follower is started. True by default.
   */
  followOtherInstances?: boolean;
  tokens: {
    /** `iss` and `aud` of the tokens this service issues and expects. */
    issuer: string;
    audience: string;
    ttlSeconds: number;
    /** Another OIDC provider's JWKS to verify tokens with instead of this service's own keys. */
    jwksUrl?: string | undefined;
  };
}

export interface Profiles {
  app: Express;
  stores: Stores;
  issuer: TokenIssuer;
  relay: OutboxRelay;
  topics: ReturnType<typeof profilesTopics>;
  /** The agreement consumer's group, and this instance's follower's, as deployed (prefix included). */
  groups: { agreements: string; follower: string };
  /**
   * Reads where the organisation topic ends, fills the lists' directory from the store, publishes
   * the accounts never published (once: see `backfillPersons`), then starts
   * the relay and, in the background, the agreement consumer (which may take a rebalance) and the
   * follower that keeps the directory in step with every instance's writes from that end on.
   */
  start(): Promise<{ consumers: Promise<RunningConsumer[]> }>;
  /** Stops the consumers, then the relay. */
  stop(): Promise<void>;
}

/**
 * Wires the pieces of the service from its connections (it opens none; main.ts owns config and
 * connections, the tests' harness its own): builds the store's indexes, reads (or makes, on a
 * first start) the issuer's signing key, and builds the app.
 */
export async function createProfiles(deps: ProfilesDeps): Promise<Profiles> {
  const topics = profilesTopics(deps.topicPrefix);
  const stores = openStores(deps.db);
  await initStores(stores);
  const relay = new OutboxRelay({
    // Organisations, accounts and invitations carry later events in their documents; every insert with events
    // (accounts, invitations, password resets included) goes through the one journal.
    models: [stores.organisations.model, stores.accounts.model, stores.invitations.model],
    locks: relayLocks(stores.accounts.locks, stores.invitations.locks),
    journal: stores.journal,
    producer: deps.producer,
    logger: deps.logger,
    ...(deps.outboxPollMs !== undefined ? { pollMs: deps.outboxPollMs } : {}),
  });
  const key = await stores.keys.loadOrCreate(newSigningKey, deps.now());
  const issuer = await createIssuer({
    key,
    issuer: deps.tokens.issuer,
    audience: deps.tokens.audience,
    ttlSeconds: deps.tokens.ttlSeconds,
    now: deps.now,
  });
  const verify = createVerifier({
    // Our own keys in-process (no HTTP round trip to ourselves), unless another provider is plugged in.
    jwks: deps.tokens.jwksUrl ? new URL(deps.tokens.jwksUrl) : issuer.jwks(),
    issuer: deps.tokens.issuer,
    audience: deps.tokens.audience,
  });
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    verify,
    stores,
    now: deps.now,
    topics: { organisation: topics.organisation, person: topics.person, access: topics.access },
    issuer,
    onWrite: () => relay.wake(),
  });
  const instanceId = deps.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const groups = {
    agreements: topicName(deps.agreementsGroup, deps.topicPrefix),
    follower: topicName(`mutirao-profiles.follow.${instanceId}`, deps.topicPrefix),
  };
  let consumers: Promise<RunningConsumer[]> = Promise.resolve([]);
  return {
    app,
    stores,
    issuer,
    relay,
    topics,
    groups,
    async start() {
      const t0 = Date.now();
      // Read before loading, so that following from there misses nothing written meanwhile: every
      // organisation event before the end offsets is in the store (see follow.ts).
      const from = await endOffsets(deps.kafka, [topics.organisation]);
      const listed = await stores.organisations.load();
      deps.logger.info({ organisations: listed, ms: Date.now() - t0 }, 'organisation directory loaded');
      // Before the relay starts: the events it writes go out with the first pass.
      await backfillPersons({ accounts: stores.accounts, topic: topics.person, logger: deps.logger }, () =>
        relay.wake(),
      );
      relay.start();
      consumers = Promise.all([
        ...((deps.followOtherInstances ?? true)
          ? [
              follow({
                kafka: deps.kafka,
                groupId: groups.follower,
                from,
                schemas: OrganisationEventSchemas,
                logger: deps.logger,
                gather: true,
                handler: async (events) => {
                  stores.organisations.follow(events.map((e) => e.data.organisation));
                },
              }),
            ]
          : []),
        consumeAgreements({
          kafka: deps.kafka,
          groupId: groups.agreements,
          topic: topics.proposal,
          logger: deps.logger,
          apply: (p) => recordAgreement(stores, p),
        }),
      ]);
      return { consumers };
    },
    async stop() {
      const running = await consumers.catch(() => [] as RunningConsumer[]);
      await Promise.all(running.map((c) => c.stop()));
      await relay.stop();
    },
  };
}
