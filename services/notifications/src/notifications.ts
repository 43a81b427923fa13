import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dlqOf, Topics, topicName } from '@mutirao/contracts';
import type { ReadinessCheck, TokenVerifier } from '@mutirao/http';
import type { RunningConsumer } from '@mutirao/messaging';
import type { Logger } from '@mutirao/telemetry';
import type { Express } from 'express';
import type { Kafka, Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { buildApp } from './app';
import { consumeEvents, type NotificationTopics } from './consumers/events';
import type { Incoming } from './domain/decide';
import { type Delivery, DeliveryRepo } from './store/deliveries';
import { Directory } from './store/directory';
import { InboxRepo } from './store/inbox';
import { SentJournal } from './store/journal';
import { RecentEvents } from './store/recent';
import { ScheduleRepo } from './store/schedules';
import { unsubscribeSecret } from './store/secrets';
import { fireSchedule, type IngestDeps, ingest } from './usecases/ingest';
import type { MailSettings } from './usecases/notify';
import { People } from './usecases/people';
import { type MailTransport, Sender } from './usecases/sender';
import { Sweeper } from './usecases/sweeper';

/** The topic whose `.dlq` twin receives the mails given up on (nothing is published on the topic itself). */
export const MAIL_TOPIC = 'mutirao.notifications.mail.v1';

export interface NotificationsDeps {
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
  transport: MailTransport;
  mail: MailSettings & {
    from: string;
    concurrency: number;
    leaseMs: number;
    pollMs: number;
    retry: { baseMs: number; maxMs: number; maxAttempts: number };
  };
  sweepMs: number;
  /** The file where accepted mails are noted before the store knows (one per instance). */
  journalPath: string;
  /**
   * This process is the store's only writer (FerretDB, claimSoleWriter): every claim of another
   * sender or sweeper is a dead process's, taken back at the start instead of after its lease.
   */
  soleWriter: boolean;
  instanceId?: string;
}

export interface Notifications {
  app: Express;
  topics: NotificationTopics & { mailDlq: string };
  directory: Directory;
  repos: { deliveries: DeliveryRepo; inbox: InboxRepo; schedules: ScheduleRepo };
  sender: Sender;
  sweeper: Sweeper;
  /** The event handler, for tests that feed events without Kafka. */
  ingest(events: Incoming[]): Promise<void>;
  /** Loads the directory and the secret, takes back dead claims, starts the loops and (in the background) the consumer. */
  start(): Promise<{ consumers: Promise<RunningConsumer[]> }>;
  stop(): Promise<void>;
}

/** Wires the pieces of the service from its connections; main.ts owns config and connections. */
export async function createNotifications(deps: NotificationsDeps): Promise<Notifications> {
  const t = (name: string) => topicName(name, deps.topicPrefix);
  const topics = {
    organisation: t(Topics.organisation),
    person: t(Topics.person),
    access: t(Topics.access),
    need: t(Topics.need),
    offer: t(Topics.offer),
    proposal: t(Topics.proposal),
    partnership: t(Topics.partnership),
    mailDlq: dlqOf(t(MAIL_TOPIC)),
  };
  const owner = deps.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const deliveries = new DeliveryRepo(deps.db);
  const inbox = new InboxRepo(deps.db);
  const schedules = new ScheduleRepo(deps.db);
  const directory = new Directory(deps.db);
  const recent = new RecentEvents(deps.db);
  const secret = await unsubscribeSecret(deps.db);

  const deadLetter = async (d: Delivery) => {
    await deps.producer.send({
      topic: topics.mailDlq,
      acks: -1,
      messages: [
        {
          key: d._id,
          // No body: a mail may carry a one-time token.
          value: JSON.stringify({
            id: d._id,
            kind: d.kind,
            personId: d.personId,
            to: d.to,
            messageId: d.messageId,
            attempts: d.attempts,
            lastError: d.lastError,
            createdAt: d.createdAt,
          }),
          headers: {
            'dlq-reason': `mail not delivered: ${d.lastError ?? 'unknown'}`,
            'dlq-topic': t(MAIL_TOPIC),
            'dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
  };
  const sender = new Sender({
    repo: deliveries,
    transport: deps.transport,
    from: deps.mail.from,
    now: deps.now,
    logger: deps.logger,
    owner,
    leaseMs: deps.mail.leaseMs,
    concurrency: deps.mail.concurrency,
    pollMs: deps.mail.pollMs,
    retry: deps.mail.retry,
    deadLetter,
    journal: new SentJournal(deps.journalPath),
  });
  let sweeper: Sweeper | undefined;
  const ingestDeps: IngestDeps = {
    deliveries,
    inbox,
    schedules,
    secret,
    settings: deps.mail,
    now: deps.now,
    directory,
    recent,
    logger: deps.logger,
    stored: () => sender.wake(),
    scheduled: (dueAt) => {
      if (dueAt.getTime() <= deps.now().getTime()) sweeper?.wake();
    },
  };
  sweeper = new Sweeper({
    repo: schedules,
    fire: (s) => fireSchedule(ingestDeps, s),
    now: deps.now,
    logger: deps.logger,
    owner,
    leaseMs: deps.mail.leaseMs,
    pollMs: deps.sweepMs,
    // Alone (on FerretDB), this instance adds every schedule and the start took back the dead
    // claims: nothing to look for in the store. Otherwise another instance's schedules and the
    // claims of one that died are picked up every ten minutes.
    ...(deps.soleWriter ? {} : { rescanMs: 600_000 }),
  });
  const people = new People({ inbox, directory, secret });
  const app = buildApp({
    logger: deps.logger,
    readiness: { database: deps.databaseConnected, kafka: deps.producerConnected },
    people,
    verify: deps.verify,
  });
  let consumers: Promise<RunningConsumer[]> = Promise.resolve([]);
  const sw = sweeper;
  return {
    app,
    topics,
    directory,
    repos: { deliveries, inbox, schedules },
    sender,
    sweeper: sw,
    ingest: (events) => ingest(ingestDeps, events),
    async start() {
      await Promise.all([
        deliveries.ensureIndexes(),
        inbox.ensureIndexes(),
        schedules.ensureIndexes(),
        recent.init(),
      ]);
      const loaded = await directory.load();
      const replayed = await sender.replayJournal();
      const now = deps.now();
      const taken = await Promise.all([
        deliveries.recover(now, owner, deps.soleWriter),
        schedules.recover(now, owner, deps.soleWriter),
      ]);
      const schedulesDue = await schedules.load();
      deps.logger.info(
        {
          ...loaded,
          mailsMarkedFromJournal: replayed,
          mailsTakenBack: taken[0],
          schedulesTakenBack: taken[1],
          schedulesDue,
        },
        'directory loaded',
      );
      sender.start();
      sw.start();
      consumers = consumeEvents({
        kafka: deps.kafka,
        groupId: topicName(deps.consumerGroup, deps.topicPrefix),
        topics,
        logger: deps.logger,
        handle: (events) => ingest(ingestDeps, events),
      }).then((c) => [c]);
      return { consumers };
    },
    async stop() {
      const running = await consumers.catch(() => [] as RunningConsumer[]);
      await Promise.all(running.map((c) => c.stop()));
      await sw.stop();
      await sender.stop();
    },
  };
}
