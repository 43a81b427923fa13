import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Topics, topicName } from '@mutirao/contracts';
import { consumerLag, createKafka, ensureTopics, makeEvent, publish } from '@mutirao/messaging';
import { connectMongo } from '@mutirao/outbox';
import { eventually, freePort, seededRandom, testEnv, testIssuer, testSeed } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageId } from '../src/domain/tokens';
import { MAIL_TOPIC } from '../src/notifications';
import { SentJournal } from '../src/store/journal';
import { anOrganisation, aPerson, aProposal } from './fixtures';
import { type OwnMailpit, startMailpit } from './mailpit';

/**
 * The real service process, SIGKILLed at random points 20 times while 200 approvals flow in, with
 * its SMTP server stopped for 30 s in the middle: every expected mail must reach Mailpit exactly
 * once (counted by Message-ID; Mailpit keeps duplicates). The times between kills are drawn from a
 * seeded generator: a failure prints the seed, and NOTIFY_CRASH_SEED=<seed> draws the same again.
 */
const REPO_ROOT = resolve(__dirname, '../../..');
const KILLS = Number(process.env.NOTIFY_CRASH_KILLS ?? 20);
const EVENTS = 200;
const PEOPLE = 10;
const OUTAGE_MS = Number(process.env.NOTIFY_CRASH_OUTAGE_MS ?? 30_000);
const SEED = testSeed('NOTIFY_CRASH_SEED');
const DOMAIN = 'mutirao.crash';

const env = testEnv();
const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('crash') });
const producer = kafka.producer();
let db: Connection;
let mailpit: OwnMailpit;
/** Mailpit's return after the outage, awaited before it is closed (a failure may come first). */
let back: Promise<void> | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  [db, mailpit] = await Promise.all([connectMongo(env.mongoUrl, env.dbName), startMailpit()]);
  await ensureTopics(
    kafka,
    [...Object.values(Topics), `${MAIL_TOPIC}.dlq`].map((t) => topicName(t, env.topicPrefix)),
    3,
  );
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await back;
  await mailpit?.close();
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
});

describe('the notifications service killed at random points', () => {
  it('delivers every expected mail exactly once through 20 kills and a 30 s SMTP outage', async ({
    onTestFailed,
    onTestFinished,
  }) => {
    onTestFailed(() => {
      console.error(`crash test failed with seed ${SEED}: NOTIFY_CRASH_SEED=${SEED} draws the same again`);
    });
    const t0 = Date.now();
    const issuer = await testIssuer();
    const port = await freePort();
    const journal = join(mkdtempSync(join(tmpdir(), 'notifications-crash-')), 'sent.log');
    const base = `http://127.0.0.1:${port}`;
    let child: ChildProcess | undefined;
    // A failure leaves no service behind.
    onTestFinished(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let output = '';
    const outputFile = join(tmpdir(), `notifications-crash-${SEED}.log`);
    const start = async () => {
      // node with tsx's loader, not the tsx CLI: a SIGKILL of the CLI would leave the service orphaned.
      child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: resolve(REPO_ROOT, 'services/notifications'),
        env: {
          ...process.env,
          PORT: String(port),
          MONGO_URL: env.mongoUrl,
          MONGO_DB: env.dbName,
          KAFKA_BROKERS: env.kafkaBrokers.join(','),
          TOPIC_PREFIX: env.topicPrefix,
          JWKS_JSON: JSON.stringify(issuer.jwks),
          CONSUMER_GROUP: 'notifications-crash',
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(mailpit.smtpPort),
          MAIL_FROM: `Mutirão <notifications@${DOMAIN}>`,
          // The shipped back-off (5 s doubling up to 10 min, 12 attempts): mails must flow again within
          // seconds of the server's return whatever back-off the outage would have grown.
          MAIL_POLL_MS: '200',
          MAIL_JOURNAL: journal,
          LOG_LEVEL: process.env.NOTIFY_CRASH_LOG_LEVEL ?? 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      await eventually(
        async () => (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(500) })).status === 200,
        {
          timeoutMs: 30_000,
          intervalMs: 50,
          what: `the service to be ready (output: ${output.slice(-2000)})`,
        },
      );
    };
    const exited = (c: ChildProcess) =>
      new Promise<void>((r) =>
        c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()),
      );

    // The directory: ten organisations with one member each, before any approval.
    const orgs = Array.from({ length: PEOPLE }, (_, i) =>
      anOrganisation({
        id: `org-${i}`,
        name: `Coop ${i}`,
        languages: [['pt', 'fr', 'es', 'en'][i % 4] as string],
      }),
    );
    const people = orgs.map((o, i) =>
      aPerson({ id: `p-${i}`, email: `p${i}@crash.example`, name: `P ${i}`, organisationId: o.id }),
    );
    const send = (topic: string, list: { type: string; subject: string; data: unknown }[]) =>
      publish(
        producer,
        list.map((e) => ({
          topic: topicName(topic, env.topicPrefix),
          envelope: makeEvent({
            type: e.type as never,
            source: 'crash',
            subject: e.subject,
            data: e.data as never,
          }),
        })),
      );
    await send(
      Topics.organisation,
      orgs.map((o) => ({
        type: 'org.mutirao.profiles.organisation.registered',
        subject: o.id,
        data: { organisation: o },
      })),
    );
    await send(
      Topics.person,
      people.map((p) => ({
        type: 'org.mutirao.profiles.person.registered',
        subject: p.id,
        data: { person: p },
      })),
    );

    // Each approval is for the need of one organisation; the offer's organisation has nobody to tell.
    const expected = new Map<string, string>();
    /** The delivery each approval should store, in the order they are published. */
    const deliveryIds: string[] = [];
    const approvals = Array.from({ length: EVENTS }, (_, i) => {
      const party = i % PEOPLE;
      const envelope = makeEvent({
        type: 'org.mutirao.matching.proposal.approved',
        source: 'crash',
        subject: `prop-${i}`,
        data: {
          proposal: aProposal({
            id: `prop-${i}`,
            needId: `need-${i}`,
            needOrganisationId: `org-${party}`,
            offerOrganisationIds: ['org-nobody'],
            // Approved now: its reminders are days away, after the test.
            review: { decision: 'approved', by: 'coordinator', at: new Date().toISOString() },
          }),
        },
      });
      expected.set(messageId(`${envelope.id}:p-${party}`, DOMAIN).slice(1, -1), `p${party}@crash.example`);
      deliveryIds.push(`${envelope.id}:p-${party}`);
      return envelope;
    });
    const publishSome = async (n: number) => {
      const batch = approvals.splice(0, n);
      if (batch.length > 0)
        await publish(
          producer,
          batch.map((envelope) => ({ topic: topicName(Topics.proposal, env.topicPrefix), envelope })),
        );
    };

    const timeline: string[] = [];
    const note = (what: string) => timeline.push(`${new Date().toISOString()} ${what}`);
    await start();
    note('first process ready');
    // Each approval names people the service must already know (Profiles publishes people when
    // they register, long before any proposal): an approval read before them tells nobody.
    await eventually(
      async () =>
        (await db.collection('people').countDocuments({})) === PEOPLE &&
        (await db.collection('organisations').countDocuments({})) === PEOPLE,
      { what: 'the directory to hold every person and organisation', timeoutMs: 60_000, intervalMs: 100 },
    );
    note('directory complete');
    const random = seededRandom(SEED);
    let kills = 0;
    let journalMarks = 0;
    let outageMs = 0;
    const deliveries = db.collection('deliveries');
    // Work done: mails stored by the consumer, and mails sent.
    const progress = async () =>
      (await deliveries.countDocuments({})) + (await deliveries.countDocuments({ status: 'sent' }));
    while (kills < KILLS) {
      await publishSome(EVENTS / KILLS);
      // Killed while it works: once this process has stored or sent something, at a random moment.
      const before = await progress();
      await eventually(async () => (await progress()) > before, { timeoutMs: 3_000, intervalMs: 20 }).catch(
        () => undefined,
      );
      await sleep(random() * 400);
      const c = child as ChildProcess;
      c.kill('SIGKILL');
      await exited(c);
      kills++;
      note(`kill ${kills}`);
      // Mails handed over to the server that the killed process had not yet marked sent in the store.
      const noted = new SentJournal(journal).read();
      if (noted.length > 0)
        journalMarks += await deliveries.countDocuments({
          _id: { $in: noted as never[] },
          status: { $ne: 'sent' },
        });
      if (kills === 6) {
        // The SMTP server goes away for 30 s, whatever the kills do meanwhile.
        await mailpit.stop();
        const from = Date.now();
        note('mailpit stopped');
        back = sleep(OUTAGE_MS).then(async () => {
          await mailpit.start();
          outageMs = Date.now() - from;
          note('mailpit back');
        });
      }
      await start();
      note(
        `started after kill ${kills}; stored ${await deliveries.countDocuments({})}, sent ${await deliveries.countDocuments({ status: 'sent' })}`,
      );
    }
    await back;

    // The last process delivers what is left.
    const drainFrom = Date.now();
    await eventually(async () => (await deliveries.countDocuments({ status: 'sent' })) >= EVENTS, {
      // (The report below gives the counts at the end of the wait.)
      what: `all ${EVENTS} deliveries sent`,
      timeoutMs: 60_000,
      intervalMs: 500,
    }).catch(async (err) => {
      const left = await deliveries
        .find({ status: { $ne: 'sent' } }, { projection: { text: 0, html: 0, subject: 0 } })
        .toArray();
      const groupId = topicName('notifications-crash', env.topicPrefix);
      const admin = kafka.admin();
      await admin.connect();
      const group = await admin.describeGroups([groupId]).catch((e: unknown) => String(e));
      await admin.disconnect();
      const lag = await consumerLag(kafka, groupId, [topicName(Topics.proposal, env.topicPrefix)]).catch(
        (e: unknown) => String(e),
      );
      const stored = new Set(
        (await deliveries.find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)),
      );
      const unstored = deliveryIds.flatMap((id, i) => (stored.has(id) ? [] : [i]));
      console.error(`timeline:\n${timeline.join('\n')}`);
      console.error(
        `not sent ${Math.round((Date.now() - drainFrom) / 1000)} s after the last start, at ${new Date().toISOString()}: ` +
          `${left.length} stored and not sent, ${await deliveries.countDocuments({})} stored of ${EVENTS}; ` +
          `approvals with no delivery stored (by order of publication): ${unstored.join(', ') || 'none'}; ` +
          `approvals not consumed (lag): ${lag}; group: ${JSON.stringify(group, (k, v) => (k === 'memberMetadata' || k === 'memberAssignment' ? undefined : v))}\n` +
          left.map((d) => JSON.stringify(d)).join('\n') +
          `\nservice output (tail; all of it in ${outputFile}):\n${output.slice(-3000)}`,
      );
      writeFileSync(outputFile, output);
      throw err;
    });
    const last = child as ChildProcess;
    last.kill('SIGTERM');
    await exited(last);
    expect(last.exitCode).toBe(0);

    const received = await mailpit.messages();
    const count = new Map<string, number>();
    for (const m of received) count.set(m.MessageID, (count.get(m.MessageID) ?? 0) + 1);
    const missing = [...expected.keys()].filter((id) => !count.has(id));
    const duplicated = [...count].filter(([, n]) => n > 1);
    const unexpected = [...count.keys()].filter((id) => !expected.has(id));
    const wrongRecipient = received.filter((m) => expected.get(m.MessageID) !== m.To[0]?.Address);
    const recovered = await deliveries
      .aggregate([
        { $match: { recovered: { $gt: 0 } } },
        { $group: { _id: null, n: { $sum: '$recovered' } } },
      ])
      .toArray();
    console.log(
      `notifications crash test (seed ${SEED}): kills=${kills} events=${EVENTS} mails expected=${expected.size} ` +
        `received=${received.length} missing=${missing.length} duplicated=${duplicated.length} ` +
        `claims taken back from killed processes=${recovered[0]?.n ?? 0} kills between a mail's hand-over and its mark (closed by the journal)=${journalMarks} smtp outage=${Math.round(outageMs / 1000)} s ` +
        `time=${Math.round((Date.now() - t0) / 1000)} s`,
    );
    if (duplicated.length > 0 || missing.length > 0) {
      // When each copy arrived, against the kills and the outage, and what the store says of it.
      for (const [id] of duplicated) {
        const copies = received.filter((m) => m.MessageID === id).map((m) => m.Created);
        const d = await deliveries.findOne({ messageId: `<${id}>` }, { projection: { text: 0, html: 0 } });
        console.log(
          `duplicate ${id}: received at ${copies.sort().join(', ')}; delivery ${JSON.stringify(d)}`,
        );
      }
      console.log(`timeline:\n${timeline.join('\n')}`);
      writeFileSync(outputFile, output);
      console.log(`service output: ${outputFile}`);
    }
    if (unexpected.length > 0) {
      const sample = received.filter((m) => !expected.has(m.MessageID)).slice(0, 3);
      console.log(
        JSON.stringify(sample),
        JSON.stringify(
          await deliveries
            .find({}, { projection: { _id: 1, messageId: 1, to: 1 } })
            .limit(3)
            .toArray(),
        ),
        [...expected].slice(0, 3),
      );
    }
    expect(missing).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(wrongRecipient).toEqual([]);
    expect(received).toHaveLength(EVENTS);
    expect(await deliveries.countDocuments({ status: { $ne: 'sent' } })).toBe(0);
    expect(outageMs).toBeGreaterThanOrEqual(OUTAGE_MS);
  }, 180_000);
});
