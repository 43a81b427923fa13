import {
  type NeedSnapshot,
  type OrganisationSnapshot,
  PartnershipEventSchemas,
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
import { eventually, type TestPrincipal, testEnv, testIssuer } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { createFollowup, type Followup } from '../src/followup';

export interface SeenEvent {
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** One follow-up service in-process against real Kafka and FerretDB, with this file's own names. */
export async function startFollowup(
  opts: { now?: () => Date; reportPeriods?: number[]; graceDays?: number } = {},
) {
  const env = testEnv();
  const issuer = await testIssuer();
  const logger = createLogger('followup-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const db: Connection = await connectMongo(env.mongoUrl, env.dbName);
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('followup') });
  await ensureTopics(
    kafka,
    Object.values(Topics).map((t) => topicName(t, env.topicPrefix)),
    2,
  );
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const followup: Followup = createFollowup({
    db,
    kafka,
    producer,
    producerConnected: () => true,
    databaseConnected: () => isConnected(db),
    verify: createVerifier({ jwks: issuer.jwks }),
    logger,
    now: opts.now ?? (() => new Date()),
    topicPrefix: env.topicPrefix,
    consumerGroup: env.unique('followup'),
    // Slow on purpose: events in these tests arrive quickly only if writes wake the relay.
    outboxPollMs: 60_000,
    reportPeriods: opts.reportPeriods ?? [3, 6, 12],
    graceDays: opts.graceDays ?? 14,
    // Tests run the reminder pass themselves, with their clock.
    reminderSweepMs: 3_600_000,
    reporting: { ref: 'XI-IATI-MUTIRAO', type: '90', name: 'Mutirão' },
  });
  const consumers = await followup.start().consumers;

  // What the notifications service would see: every event on the partnership topic.
  const seen: SeenEvent[] = [];
  const watcher: RunningConsumer = await consume({
    kafka,
    groupId: env.unique('watcher'),
    topics: [followup.topics.partnership],
    schemas: PartnershipEventSchemas,
    logger,
    handler: async (e) => {
      seen.push({ type: e.type, subject: e.subject, data: e.data as Record<string, unknown> });
    },
  });

  const send = async (topic: string, envelope: ReturnType<typeof makeEvent>) =>
    publish(producer, [{ topic, envelope }]);

  return {
    env,
    followup,
    db,
    seen,
    consumers,
    token: (p: TestPrincipal) => issuer.sign(p),
    async publishOrganisation(o: OrganisationSnapshot): Promise<void> {
      await send(
        followup.topics.organisation,
        makeEvent({
          type: 'org.mutirao.profiles.organisation.registered',
          source: 'test',
          subject: o.id,
          data: { organisation: o },
        }),
      );
    },
    async publishNeed(n: NeedSnapshot): Promise<void> {
      await send(
        followup.topics.need,
        makeEvent({
          type: 'org.mutirao.exchange.need.published',
          source: 'test',
          subject: n.id,
          data: { need: n },
        }),
      );
    },
    async publishAgreed(p: ProposalSnapshot): Promise<void> {
      await send(
        followup.topics.proposal,
        makeEvent({
          type: 'org.mutirao.matching.proposal.agreed',
          source: 'test',
          subject: p.id,
          data: { proposal: p },
        }),
      );
    },
    async recorded(id: string) {
      return eventually(async () => (await followup.repo.get(id))?.partnership, {
        what: `partnership ${id}`,
      });
    },
    async known(collection: string, id: string) {
      await eventually(async () => (await db.collection(collection).findOne({ _id: id as never })) !== null, {
        what: `${collection} ${id}`,
      });
    },
    eventsOf: (subject: string) => seen.filter((e) => e.subject === subject),
    async stop() {
      await watcher.stop();
      await followup.stop();
      await producer.disconnect();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startFollowup>>;
