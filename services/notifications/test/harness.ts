import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type OrganisationSnapshot,
  type PersonSnapshot,
  type ProposalSnapshot,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { createVerifier } from '@mutirao/http';
import { createKafka, ensureTopics, makeEvent, publish } from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { eventually, type TestPrincipal, testEnv, testIssuer } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { smtpTransport } from '../src/mail';
import { createNotifications, MAIL_TOPIC, type Notifications } from '../src/notifications';
import { type OwnMailpit, startMailpit } from './mailpit';

export const WEB_URL = 'http://web.test:8080';

/**
 * One notifications service in-process against real Kafka, FerretDB and a Mailpit of the test's own,
 * with a clock the test moves (`advance`) and fast loops.
 */
export async function startNotifications(
  opts: { retryBaseMs?: number; retryMaxMs?: number; maxAttempts?: number } = {},
) {
  const env = testEnv();
  const issuer = await testIssuer();
  const logger = createLogger('notifications-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const mailpit: OwnMailpit = await startMailpit();
  const db: Connection = await connectMongo(env.mongoUrl, env.dbName);
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('notifications') });
  await ensureTopics(
    kafka,
    [...Object.values(Topics), `${MAIL_TOPIC}.dlq`].map((t) => topicName(t, env.topicPrefix)),
    2,
  );
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumerGroup = env.unique('notifications');
  const journalPath = join(mkdtempSync(join(tmpdir(), 'notifications-')), 'sent.log');
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  let transport = smtpTransport({ host: '127.0.0.1', port: mailpit.smtpPort, secure: false });
  const make = async (): Promise<Notifications> =>
    createNotifications({
      db,
      kafka,
      producer,
      producerConnected: () => true,
      databaseConnected: () => isConnected(db),
      verify: createVerifier({ jwks: issuer.jwks }),
      logger,
      now,
      topicPrefix: env.topicPrefix,
      consumerGroup,
      transport,
      mail: {
        webUrl: WEB_URL,
        messageIdDomain: 'mutirao.test',
        digestHour: 7,
        from: 'Mutirão <notifications@mutirao.test>',
        concurrency: 2,
        leaseMs: 30_000,
        pollMs: 100,
        retry: {
          baseMs: opts.retryBaseMs ?? 200,
          maxMs: opts.retryMaxMs ?? 1_000,
          maxAttempts: opts.maxAttempts ?? 50,
        },
      },
      sweepMs: 100,
      journalPath,
      soleWriter: true,
    });
  let service = await make();
  await (await service.start()).consumers;
  const send = async (topic: string, type: string, subject: string, data: unknown) =>
    publish(producer, [
      {
        topic: topicName(topic, env.topicPrefix),
        envelope: makeEvent({ type: type as never, source: 'test', subject, data: data as never }),
      },
    ]);

  return {
    env,
    mailpit,
    db,
    get service() {
      return service;
    },
    now,
    /** Moves the service's clock forward. */
    advance(ms: number) {
      offset += ms;
      service.sweeper.wake();
      service.sender.wake();
    },
    token: (p: TestPrincipal) => issuer.sign(p),
    /** Stops the service and starts a new one on the same database, topics and group (a restart). */
    async restart(): Promise<void> {
      await service.stop();
      transport.close();
      transport = smtpTransport({ host: '127.0.0.1', port: mailpit.smtpPort, secure: false });
      service = await make();
      await (await service.start()).consumers;
    },
    async person(p: PersonSnapshot) {
      await send(Topics.person, 'org.mutirao.profiles.person.registered', p.id, { person: p });
    },
    async organisation(o: OrganisationSnapshot, type = 'org.mutirao.profiles.organisation.registered') {
      await send(Topics.organisation, type, o.id, { organisation: o });
    },
    async proposal(p: ProposalSnapshot, type: string) {
      await send(Topics.proposal, `org.mutirao.matching.proposal.${type}`, p.id, { proposal: p });
    },
    /** Publishes an envelope again as it was (a redelivery). */
    async raw(topic: string, envelope: ReturnType<typeof makeEvent>) {
      await publish(producer, [{ topic: topicName(topic, env.topicPrefix), envelope }]);
    },
    send,
    /** Until the directory holds these people and organisations. */
    async known(people: string[], organisations: string[] = []) {
      await eventually(
        () =>
          people.every((id) => service.directory.person(id)) &&
          organisations.every((id) => service.directory.organisation(id)),
        { what: `the directory to know ${[...people, ...organisations].join(', ')}` },
      );
    },
    async stop() {
      await service.stop();
      transport.close();
      await producer.disconnect();
      await mailpit.close();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startNotifications>>;
