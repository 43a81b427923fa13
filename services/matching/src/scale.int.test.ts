import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CloudEvent,
  CommandEventSchemas,
  type NeedSnapshot,
  ProposalEventSchemas,
  type ProposalSnapshot,
  Topics,
  topicName,
} from '@mutirao/contracts';
import {
  connectProducer,
  consume,
  createKafka,
  ensureTopics,
  makeEnvelope,
  partitionOf,
  publish,
  type RunningConsumer,
  type TrackedProducer,
} from '@mutirao/messaging';
import { connectMongo } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { eventually, freePort, testEnv, testIssuer } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchNeed } from './domain/engine';
import { MatchIndex } from './domain/match-index';
import { randomWorld } from './domain/testing/random-world';
import { proposalKey } from './domain/triad-rules';

/**
 * Two matching instances as processes (with the telemetry hook, as `npm start` runs them),
 * needs published at 100 a second, one instance killed with SIGKILL halfway and started again:
 * every need ends with exactly the proposals the engine gives it, each stored and published once;
 * and a review sent to the instance that does not own the need is applied by the one that does.
 */

const env = testEnv();
const logger = createLogger('matching-scale-test', 'silent');
const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('scale-test') });
const t = (topic: string) => topicName(topic, env.topicPrefix);
const SERVICE_DIR = fileURLToPath(new URL('..', import.meta.url));
const PARTITIONS = 4;
const SEED = Number(process.env.SCALE_SEED ?? 20261130);
const world = randomWorld(SEED, { organisations: 80, needs: 600, offers: 300 });
const group = env.unique('matching');

let issuer: Awaited<ReturnType<typeof testIssuer>>;
let producer: TrackedProducer;
let db: Connection;
const readers: RunningConsumer[] = [];
/** Every proposal event on the topic, in the order read (a redelivery is read twice). */
const events: CloudEvent[] = [];
const commands: CloudEvent[] = [];

interface Instance {
  name: string;
  port: number;
  child: ChildProcess;
  output: string;
}
const instances = new Map<string, Instance>();

async function startInstance(name: string, port?: number): Promise<Instance> {
  const p = port ?? (await freePort());
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', '@mutirao/telemetry/register', 'src/main.ts'],
    {
      cwd: SERVICE_DIR,
      env: {
        ...process.env,
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        MONGO_URL: env.mongoUrl,
        MONGO_DB: env.dbName,
        TOPIC_PREFIX: env.topicPrefix,
        CONSUMER_GROUP: group,
        MATCHING_INSTANCE: name,
        PORT: String(p),
        JWKS_JSON: JSON.stringify(issuer.jwks),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const instance: Instance = { name, port: p, child, output: instances.get(name)?.output ?? '' };
  child.stdout?.on('data', (d) => {
    instance.output += d;
  });
  child.stderr?.on('data', (d) => {
    instance.output += d;
  });
  instances.set(name, instance);
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited:\n${instance.output}`);
      return (await fetch(`http://127.0.0.1:${p}/readyz`).catch(() => undefined))?.ok;
    },
    { timeoutMs: 90_000, what: `matching instance ${name} to be ready` },
  );
  return instance;
}

const url = (i: Instance, path: string) => `http://127.0.0.1:${i.port}${path}`;

async function call(i: Instance, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(url(i, path), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const emit = (topic: string, type: string, items: { id: string }[], field: string) =>
  publish(
    producer.producer,
    items.map((x) => ({
      topic: t(topic),
      envelope: makeEnvelope({ type, source: 'test', subject: x.id, data: { [field]: x } }),
    })),
  );

/** The engine's proposals for every need (the keys of its best three), against every offer. */
function expectedKeys(): Map<string, string[]> {
  const index = MatchIndex.build({ organisations: world.organisations, offers: world.offers, needs: [] });
  const ctx = { index, now: new Date(), rejected: new Set<string>(), limit: 3 };
  const out = new Map<string, string[]>();
  for (const need of world.needs) {
    if (need.status !== 'open') continue;
    const keys = matchNeed(need, ctx).map((p) => proposalKey(p.needId, p.offerIds));
    if (keys.length > 0) out.set(need.id, keys.sort());
  }
  return out;
}

type StoredProposal = { _id: string; key: string; needId: string; status: string; revision: number };
const stored = () =>
  db
    .collection<StoredProposal>('proposals')
    .find({}, { projection: { _id: 1, key: 1, needId: 1, status: 1, revision: 1 } })
    .toArray();

beforeAll(async () => {
  issuer = await testIssuer();
  db = await connectMongo(env.mongoUrl, env.dbName);
  // More partitions than instances, so that a restart moves some of them.
  await ensureTopics(kafka, [t(Topics.need), t(Topics.command)], PARTITIONS);
  await ensureTopics(kafka, [Topics.organisation, Topics.offer, Topics.proposal, Topics.reply].map(t));
  producer = await connectProducer(kafka);
  readers.push(
    await consume({
      kafka,
      groupId: env.unique('proposal-reader'),
      topics: [t(Topics.proposal)],
      schemas: ProposalEventSchemas,
      logger,
      handler: async (e) => void events.push(e),
    }),
    await consume({
      kafka,
      groupId: env.unique('command-reader'),
      topics: [t(Topics.command)],
      schemas: CommandEventSchemas,
      logger,
      handler: async (e) => void commands.push(e),
    }),
  );
  // Organisations and offers first: the needs then meet all of them.
  await emit(
    Topics.organisation,
    'org.mutirao.profiles.organisation.registered',
    world.organisations,
    'organisation',
  );
  await emit(Topics.offer, 'org.mutirao.exchange.offer.published', world.offers, 'offer');
}, 180_000);

afterAll(async () => {
  // SCALE_LOG_DIR=<dir> keeps each instance's log there (they are silent otherwise).
  const logDir = process.env.SCALE_LOG_DIR;
  for (const i of instances.values()) {
    if (i.child.exitCode === null && i.child.signalCode === null) {
      const exited = new Promise((r) => i.child.once('exit', r));
      i.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (i.child.exitCode === null) i.child.kill('SIGKILL');
    }
    if (logDir) writeFileSync(join(logDir, `${i.name}.log`), i.output);
  }
  for (const r of readers) await r.stop();
  await producer?.producer.disconnect();
  await db?.dropDatabase();
  await db?.close();
}, 60_000);

describe('matching on two instances, one killed and restarted mid-stream', () => {
  it('gives every need exactly its proposals, none missing and none twice', async () => {
    await Promise.all([startInstance('m1'), startInstance('m2')]);
    const needs = world.needs;
    const killAt = Math.floor(needs.length / 2);
    const started = Date.now();
    let restarted: Promise<Instance> | undefined;
    // 100 needs a second, in tenths of a second.
    for (let i = 0; i < needs.length; i += 10) {
      if (i === killAt) {
        const victim = instances.get('m2') as Instance;
        victim.child.kill('SIGKILL');
        await new Promise((r) => victim.child.once('exit', r));
        // Started again while the group still counts the dead member in.
        restarted = startInstance('m2', victim.port);
        restarted.catch(() => undefined);
      }
      await emit(Topics.need, 'org.mutirao.exchange.need.published', needs.slice(i, i + 10), 'need');
      const due = started + ((i + 10) / 100) * 1_000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    }
    await restarted;
    const [m1, m2] = [instances.get('m1') as Instance, instances.get('m2') as Instance];

    const expected = expectedKeys();
    const total = [...expected.values()].reduce((n, keys) => n + keys.length, 0);
    // Done: both instances caught up and idle, every stored proposal published, and nothing new
    // stored for two seconds (then compared, so that a failure shows what differs).
    let count = -1;
    let since = Date.now();
    await eventually(
      async () => {
        const progress = await Promise.all(
          [m1, m2].map(
            async (i) => (await (await fetch(url(i, '/progress'))).json()) as { caughtUp: boolean },
          ),
        );
        const ids = new Set((await stored()).map((p) => p._id));
        if (ids.size !== count) {
          count = ids.size;
          since = Date.now();
        }
        const published = new Set(events.map((e) => e.subject));
        return (
          progress.every((p) => p.caughtUp) &&
          [...ids].every((id) => published.has(id)) &&
          Date.now() - since > 2_000
        );
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: 'both instances to catch up and every proposal to be published',
      },
    );

    // Exactly the engine's proposals for every need: none missing, none extra.
    const proposals = await stored();
    const byNeed = new Map<string, string[]>();
    for (const p of proposals) byNeed.set(p.needId, [...(byNeed.get(p.needId) ?? []), p.key]);
    const wrong = [...new Set([...expected.keys(), ...byNeed.keys()])].filter(
      (id) => JSON.stringify(expected.get(id) ?? []) !== JSON.stringify((byNeed.get(id) ?? []).sort()),
    );
    expect(wrong.map((id) => ({ need: id, expected: expected.get(id), stored: byNeed.get(id) }))).toEqual([]);
    expect(proposals).toHaveLength(total);
    expect(proposals.every((p) => p.status === 'proposed' && p.revision === 1)).toBe(true);

    // Each proposal published once as proposed: a redelivery of the same event (the outbox is
    // at-least-once) is allowed, a second, different event is not.
    const proposedIds = new Map<string, Set<string>>();
    for (const e of events) {
      const p = (e.data as { proposal: ProposalSnapshot }).proposal;
      const ids = proposedIds.get(`${p.id}@${p.revision}`) ?? new Set();
      ids.add(e.id);
      proposedIds.set(`${p.id}@${p.revision}`, ids);
    }
    expect([...proposedIds].filter(([, ids]) => ids.size > 1)).toEqual([]);
    expect([...proposedIds.keys()].sort()).toEqual(proposals.map((p) => `${p._id}@1`).sort());

    // The kill was felt: the dead member's partitions were taken over by an instance.
    expect(m1.output + m2.output).toContain('need partition taken from a member that left the group');
  }, 300_000);

  it('routes a review sent to the instance that does not own the need to the one that does', async () => {
    const [m1, m2] = [instances.get('m1') as Instance, instances.get('m2') as Instance];
    const admin = await issuer.sign({ sub: 'root', roles: ['admin'] });
    // Which instance holds which need partition: the holders' member ids name the instance.
    const holders = await db
      .collection<{ _id: number; holder: string | null }>('need_partitions')
      .find()
      .toArray();
    const ownerOf = (need: NeedSnapshot['id']) => {
      const holder = holders.find((h) => h._id === partitionOf(need, PARTITIONS))?.holder ?? '';
      return holder.startsWith('mutirao-matching-m1')
        ? m1
        : holder.startsWith('mutirao-matching-m2')
          ? m2
          : undefined;
    };
    expect(holders.map((h) => h.holder?.replace(/-[0-9a-f-]+$/, '')).sort()).toEqual(
      expect.arrayContaining(['mutirao-matching-m1', 'mutirao-matching-m2']),
    );
    const proposal = (await stored()).find((p) => p.status === 'proposed') as StoredProposal;
    const owner = ownerOf(proposal.needId) as Instance;
    const other = owner === m1 ? m2 : m1;

    const approved = await call(other, 'POST', `/proposals/${proposal._id}/review`, admin, {
      decision: 'approved',
      note: 'routed',
    });
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', revision: 2 } });
    // It went through the command topic, keyed by the need, and was written once, by the owner.
    await eventually(
      () => commands.some((c) => (c.data as { proposalId: string }).proposalId === proposal._id),
      {
        what: 'the command on the command topic',
      },
    );
    const command = commands.find((c) => (c.data as { proposalId: string }).proposalId === proposal._id);
    expect(command?.subject).toBe(proposal.needId);
    expect((await stored()).find((p) => p._id === proposal._id)).toMatchObject({
      status: 'approved',
      revision: 2,
    });
    // The receiving instance reads its own write at once; the owner as soon as it has it.
    expect((await call(other, 'GET', `/proposals/${proposal._id}`, admin)).body).toMatchObject({
      status: 'approved',
    });
    // A refusal comes back as such.
    const again = await call(other, 'POST', `/proposals/${proposal._id}/review`, admin, {
      decision: 'approved',
    });
    expect(again.status).toBe(409);
    // The owner's own route gives the same refusal, applied locally.
    expect(
      (await call(owner, 'POST', `/proposals/${proposal._id}/review`, admin, { decision: 'approved' }))
        .status,
    ).toBe(409);
    // Parties answer through either instance.
    const party = (await await fetch(url(owner, `/proposals/${proposal._id}`), {
      headers: { authorization: `Bearer ${admin}` },
    }).then((r) => r.json())) as ProposalSnapshot;
    const parties = [...new Set([party.needOrganisationId, ...party.offerOrganisationIds])];
    for (const [i, org] of parties.entries()) {
      const member = await issuer.sign({ sub: `m-${org}`, org, roles: ['member'] });
      const res = await call(
        i % 2 === 0 ? other : owner,
        'POST',
        `/proposals/${proposal._id}/accept`,
        member,
      );
      expect(res.status).toBe(200);
    }
    await eventually(
      () =>
        events.some((e) => e.subject === proposal._id && e.type === 'org.mutirao.matching.proposal.agreed'),
      { what: 'the agreed event' },
    );
  }, 120_000);
});
