import {
  NeedEventSchemas,
  OfferEventSchemas,
  type OrganisationSnapshot,
  type ProposalSnapshot,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { createVerifier } from '@mutirao/http';
import {
  consume,
  createKafka,
  ensureTopics,
  makeEvent,
  publish,
  type RunningConsumer,
} from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import {
  aNeedSnapshot,
  anOfferSnapshot,
  anOrganisationSnapshot,
  eventually,
  type TestPrincipal,
  testEnv,
  testIssuer,
} from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { createExchange, type Exchange } from '../src/exchange';

export interface SeenEvent {
  type: string;
  subject: string;
  revision: number;
  data: Record<string, unknown>;
}

export const inDays = (n: number, from = new Date()) => new Date(from.getTime() + n * 86_400_000);

/** What a member sends to post a snapshot's posting: its content and expiry, none of the service's fields. */
function bodyOf<
  T extends { id: string; revision: number; updatedAt: string; organisationId: string; status: string },
>(snapshot: T): Omit<T, 'id' | 'revision' | 'updatedAt' | 'organisationId' | 'status'> {
  const { id: _i, revision: _r, updatedAt: _u, organisationId: _o, status: _s, ...body } = snapshot;
  return body;
}

/** Test data: a need body as a member posts it (the shared snapshot factory's, with these values). */
export const aNeed = (over: Record<string, unknown> = {}) => ({
  ...bodyOf(
    aNeedSnapshot({
      type: 'financing',
      title: 'Mini-rede solar para o mercado de Bolama',
      description: 'O gerador a gasóleo avaria com frequência.',
      language: 'pt',
      workingLanguages: ['pt', 'fr'],
      sectors: ['23231'],
      sdgs: [7, 5],
      amount: { value: 50_000, currency: 'USD' },
      fundingRequired: true,
      countriesOfInterest: ['RW'],
      expiresAt: inDays(60).toISOString(),
    }),
  ),
  ...over,
});

export const anOffer = (over: Record<string, unknown> = {}) => ({
  ...bodyOf(
    anOfferSnapshot({
      types: ['technology', 'capacity-building'],
      instrument: 'technical-assistance',
      title: 'Community solar mini-grids',
      description: 'Design, installation and technician training.',
      language: 'en',
      workingLanguages: ['en', 'fr'],
      sectors: ['23231'],
      sdgs: [7],
      eligibility: {
        regions: ['Sub-Saharan Africa'],
        developingOnly: true,
        sseForms: ['cooperative', 'association'],
      },
      priorities: ['ldc'],
      amount: { min: 10_000, max: 100_000, currency: 'USD' },
      modalities: ['south-south', 'triangular'],
      capacity: 2,
      expiresAt: inDays(90).toISOString(),
    }),
  ),
  ...over,
});

export const anOrganisation = (over: Partial<OrganisationSnapshot> = {}): OrganisationSnapshot =>
  anOrganisationSnapshot({
    id: 'org-gw',
    updatedAt: new Date().toISOString(),
    name: 'Associação de Energia de Bolama',
    sseForm: 'association',
    languages: ['pt'],
    ...over,
  });

/** One exchange service in-process against real Kafka and FerretDB, with this file's own names. */
export async function startExchange(
  opts: {
    now?: () => Date;
    expirySweepMs?: number;
    mongoUrl?: string;
    /** False: the instance runs alone, as on FerretDB where it holds the store's lease. */
    followOtherInstances?: boolean;
  } = {},
) {
  const env = testEnv();
  const issuer = await testIssuer();
  const logger = createLogger('exchange-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const db: Connection = await connectMongo(opts.mongoUrl ?? env.mongoUrl, env.dbName);
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('exchange') });
  const topics = Object.values(Topics).map((t) => topicName(t, env.topicPrefix));
  await ensureTopics(kafka, topics, 2);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumerGroup = env.unique('exchange');
  const make = (on: Connection = db): Exchange =>
    createExchange({
      db: on,
      kafka,
      producer,
      producerConnected: () => true,
      databaseConnected: () => isConnected(on),
      verify: createVerifier({ jwks: issuer.jwks }),
      logger,
      now: opts.now ?? (() => new Date()),
      topicPrefix: env.topicPrefix,
      consumerGroup,
      // Slow on purpose: events in these tests arrive quickly only if writes wake the relay.
      outboxPollMs: 60_000,
      expirySweepMs: opts.expirySweepMs ?? 3_600_000,
      ...(opts.followOtherInstances !== undefined ? { followOtherInstances: opts.followOtherInstances } : {}),
    });
  let exchange = make();
  const consumers = await (await exchange.start()).consumers;

  // What other services would see: every event on the need and offer topics.
  const seen: SeenEvent[] = [];
  const watcher: RunningConsumer = await consume({
    kafka,
    groupId: env.unique('watcher'),
    topics: [exchange.topics.need, exchange.topics.offer],
    schemas: { ...NeedEventSchemas, ...OfferEventSchemas },
    logger,
    handler: async (e) => {
      const data = e.data as Record<string, { revision: number }>;
      const snapshot = (data.need ?? data.offer) as { revision: number };
      seen.push({ type: e.type, subject: e.subject, revision: snapshot.revision, data: data as never });
    },
  });

  return {
    env,
    get exchange() {
      return exchange;
    },
    /**
     * Another instance of the service, as a second process would be: its own connection to the
     * same database, the same topics and consumer groups. Writes through one instance at a time:
     * on FerretDB two writers of one document are not safe (docs/scaling.md).
     */
    async replica(): Promise<{ exchange: Exchange; stop(): Promise<void> }> {
      const own = await connectMongo(opts.mongoUrl ?? env.mongoUrl, env.dbName);
      const replica = make(own);
      await (await replica.start()).consumers;
      return {
        exchange: replica,
        async stop() {
          await replica.stop();
          await own.close();
        },
      };
    },
    /** Stops the service and starts a new one on the same database and topics (a restart). */
    async restart(): Promise<void> {
      await exchange.stop();
      exchange = make();
      await (await exchange.start()).consumers;
    },
    db,
    seen,
    consumers,
    token: (p: TestPrincipal) => issuer.sign(p),
    async publishOrganisation(o: OrganisationSnapshot): Promise<void> {
      await publish(producer, [
        {
          topic: exchange.topics.organisation,
          envelope: makeEvent({
            type: 'org.mutirao.profiles.organisation.registered',
            source: 'test',
            subject: o.id,
            data: { organisation: o },
          }),
        },
      ]);
    },
    async organisationKnown(id: string, revision = 1) {
      await eventually(
        // The store itself, not the repository, which may answer from what it holds in memory.
        async () =>
          (((await db.collection('organisations').findOne({ _id: id as never }))?.revision as number) ?? 0) >=
          revision,
        {
          what: `organisation ${id} at revision ${revision}`,
        },
      );
    },
    async publishAgreed(p: ProposalSnapshot): Promise<void> {
      await publish(producer, [
        {
          topic: exchange.topics.proposal,
          envelope: makeEvent({
            type: 'org.mutirao.matching.proposal.agreed',
            source: 'test',
            subject: p.id,
            data: { proposal: p },
          }),
        },
      ]);
    },
    eventsOf: (subject: string) => seen.filter((e) => e.subject === subject),
    async stop() {
      await watcher.stop();
      await exchange.stop();
      await producer.disconnect();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startExchange>>;
