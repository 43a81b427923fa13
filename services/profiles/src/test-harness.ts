import {
  AccessEventSchemas,
  type CloudEvent,
  type OrganisationEventData,
  OrganisationEventSchemas,
  PersonEventSchemas,
  type PersonSnapshot,
} from '@mutirao/contracts';
import {
  caughtUp,
  consume,
  createKafka,
  ensureTopics,
  publish,
  type RunningConsumer,
} from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { eventually, testEnv } from '@mutirao/testing';
import type { Express } from 'express';
import type { Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { someFields } from './domain/factories';
import type { OrganisationFields } from './domain/organisation';
import type { TokenIssuer } from './identity/issuer';
import { hashPassword } from './identity/passwords';
import { createProfiles, profilesTopics } from './profiles';
import type { Stores } from './store';
import { createPerson } from './usecases/people';

/**
 * One profiles service per integration test file, wired by `createProfiles` as main.ts wires it,
 * against the real servers: its own database and topic prefix, a real relay and producer, and a
 * consumer that collects the events the service publishes. The clock can be moved.
 */
export interface Harness {
  app: Express;
  db: Connection;
  stores: Stores;
  issuer: TokenIssuer;
  clock: { offsetMs: number };
  events: { id: string; type: string; subject: string; data: OrganisationEventData }[];
  /** The topics of this file, as the service writes them. */
  topics: ReturnType<typeof profilesTopics>;
  /** What the service published on the person and access topics (duplicates included). */
  published: { id: string; topic: string; type: string; subject: string; data: unknown }[];
  /**
   * The distinct person events of one person, oldest first, once `count` have arrived; the type
   * without its prefix (`registered`, `updated`, `removed`).
   */
  personEvents(id: string, count: number): Promise<{ type: string; person: PersonSnapshot }[]>;
  /** The distinct access events (invitations, resets) whose data matches, once `count` have arrived. */
  accessEvents<T = Record<string, unknown>>(
    match: (data: Record<string, Record<string, unknown>>) => boolean,
    count?: number,
  ): Promise<{ type: string; subject: string; data: T }[]>;
  /** The distinct events of one organisation (the outbox delivers at least once), once `count` have arrived. */
  eventsOf(id: string, count: number): Promise<{ type: string; revision: number; verification: string }[]>;
  register(
    o?: Partial<OrganisationFields>,
    email?: string,
  ): Promise<{ orgId: string; token: string; email: string }>;
  signIn(email: string, password?: string): Promise<string>;
  staff(role: 'admin' | 'coordinator', regions?: string[]): Promise<string>;
  counts(): Promise<{ organisations: number; accounts: number; invitations: number; resets: number }>;
  /** Publishes envelopes on this file's proposal topic, as matching would. */
  publishProposalEvents(...events: CloudEvent[]): Promise<void>;
  /** Resolves once the service's agreement consumer has processed everything published so far. */
  agreementsProcessed(): Promise<void>;
  /**
   * Another instance of the service, as a second process would be: its own connection to the
   * same database, the same topics and consumer group. Writes through one instance at a time: on
   * FerretDB two writers of one document are not safe (docs/scaling.md).
   */
  replica(): Promise<{ app: Express; stores: Stores; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';
const ISSUER = 'urn:mutirao:profiles';
const AUDIENCE = 'urn:mutirao';

let n = 0;
export const uniqueEmail = (label = 'm') => `${label}-${Date.now().toString(36)}-${++n}@test.example`;

/**
 * `followOtherInstances`: whether the instance follows the organisation topic for other instances'
 * writes (only the replica tests need it; alone, as on FerretDB under its lease, it does not).
 */
export async function startHarness(opts: { followOtherInstances?: boolean } = {}): Promise<Harness> {
  const env = testEnv();
  const logger = createLogger('profiles-test', process.env.TEST_LOG ?? 'silent');
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const db = await connectMongo(env.mongoUrl, env.dbName);
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('profiles') });
  const topics = profilesTopics(env.topicPrefix);
  await ensureTopics(kafka, Object.values(topics), 1);
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const agreementsGroup = env.unique('partnerships');
  const make = (on: Connection) =>
    createProfiles({
      db: on,
      kafka,
      producer,
      producerConnected: () => true,
      databaseConnected: () => isConnected(on),
      logger,
      now,
      topicPrefix: env.topicPrefix,
      agreementsGroup,
      outboxPollMs: 1_000,
      followOtherInstances: opts.followOtherInstances ?? false,
      tokens: { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 900 },
    });
  const profiles = await make(db);
  const { app, stores, issuer } = profiles;
  await (await profiles.start()).consumers;

  const events: Harness['events'] = [];
  const published: Harness['published'] = [];
  const consumers: RunningConsumer[] = await Promise.all([
    consume({
      kafka,
      groupId: env.unique('collector'),
      topics: [topics.organisation],
      schemas: OrganisationEventSchemas,
      logger,
      handler: async (e) => {
        events.push({ id: e.id, type: e.type, subject: e.subject, data: e.data as OrganisationEventData });
      },
    }),
    consume({
      kafka,
      groupId: env.unique('people'),
      topics: [topics.person, topics.access],
      // Checked against the contracts as the notifications service will read them.
      schemas: { ...PersonEventSchemas, ...AccessEventSchemas },
      logger,
      handler: async (e, meta) => {
        published.push({ id: e.id, topic: meta.topic, type: e.type, subject: e.subject, data: e.data });
      },
    }),
  ]);
  const distinct = (list: Harness['published']) => {
    const seen = new Set<string>();
    return list.filter((e) => !seen.has(e.id) && seen.add(e.id));
  };

  const signIn = async (email: string, password = PASSWORD) => {
    const res = await request(app).post('/sessions').send({ email, password });
    if (res.status !== 200) throw new Error(`sign-in of ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };

  return {
    app,
    db,
    stores,
    issuer,
    clock,
    events,
    topics,
    published,
    async personEvents(id, count) {
      const mine = await eventually(
        () => {
          const got = distinct(published).filter((e) => e.topic === topics.person && e.subject === id);
          return got.length >= count ? got : undefined;
        },
        { what: `${count} person event(s) of ${id}` },
      );
      return mine.map((e) => ({
        type: e.type.replace('org.mutirao.profiles.person.', ''),
        person: (e.data as { person: PersonSnapshot }).person,
      }));
    },
    async accessEvents(match, count = 1) {
      const got = await eventually(
        () => {
          const found = distinct(published).filter(
            (e) => e.topic === topics.access && match(e.data as Record<string, Record<string, unknown>>),
          );
          return found.length >= count ? found : undefined;
        },
        { what: `${count} access event(s)` },
      );
      return got.map((e) => ({
        type: e.type.replace('org.mutirao.profiles.access.', ''),
        subject: e.subject,
        data: e.data as never,
      }));
    },
    async eventsOf(id, count) {
      const mine = await eventually(
        () => {
          const seen = new Set<string>();
          const got = events.filter((e) => e.subject === id && !seen.has(e.id) && seen.add(e.id));
          return got.length >= count ? got : undefined;
        },
        { what: `${count} event(s) of ${id}` },
      );
      return mine.map((e) => ({
        type: e.type.replace('org.mutirao.profiles.organisation.', ''),
        revision: e.data.organisation.revision,
        verification: e.data.organisation.verification,
      }));
    },
    async register(o = {}, email = uniqueEmail()) {
      const res = await request(app)
        .post('/organisations/register')
        .send({ organisation: someFields(o), member: { name: 'Ana', email, password: PASSWORD } });
      if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
      return { orgId: res.body.organisation.id as string, token: await signIn(email), email };
    },
    signIn,
    async staff(role, regions = []) {
      const email = uniqueEmail(role);
      await createPerson(
        { accounts: stores.accounts, topic: topics.person },
        {
          id: email,
          email,
          name: role,
          passwordHash: await hashPassword(PASSWORD),
          roles: [role],
          regions,
          createdAt: now(),
        },
      );
      return signIn(email);
    },
    async counts() {
      const [organisations, accounts, invitations, resets] = await Promise.all([
        stores.organisations.count(),
        stores.accounts.count(),
        stores.invitations.count(),
        stores.resets.count(),
      ]);
      return { organisations, accounts, invitations, resets };
    },
    async publishProposalEvents(...envelopes) {
      await publish(
        producer,
        envelopes.map((envelope) => ({ topic: topics.proposal, envelope })),
      );
    },
    async agreementsProcessed() {
      await eventually(() => caughtUp(kafka, profiles.groups.agreements, [topics.proposal]), {
        what: 'the agreement consumer to catch up',
      });
    },
    async replica() {
      const own = await connectMongo(env.mongoUrl, env.dbName);
      const replica = await make(own);
      await (await replica.start()).consumers;
      return {
        app: replica.app,
        stores: replica.stores,
        async stop() {
          await replica.stop();
          await own.close();
        },
      };
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await profiles.stop();
      await producer.disconnect();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}
