import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { adminCredentials, Client } from '../../packages/cli/src/client';
import { importFile } from '../../packages/cli/src/commands';
import { generateDemo } from '../../packages/cli/src/demo';
import { Topics, topicName } from '../../packages/contracts/src/topics';
import {
  log,
  ProcessSampler,
  quantile,
  REPO_ROOT,
  type RunningSystem,
  startSystem,
  systemProcesses,
} from '../lib/system';

/**
 * The whole system under load, from a posted need to its proposal (see bench/README.md):
 *
 *   node --import tsx bench/system/run.ts [--rate N] [--duration S] [--matching-instances K] [--warmup S]
 *
 * Without `--rate` it runs the ladder (20, 50, 100, 200, 400… needs/s) until a step's p99 passes
 * one second. Figures only: it asserts nothing.
 */

const { values: opts } = parseArgs({
  options: {
    rate: { type: 'string' },
    duration: { type: 'string', default: '30' },
    'matching-instances': { type: 'string', default: '1' },
    base: { type: 'string', default: '10000,50000,20000' },
    kill: { type: 'boolean' },
    'no-kill': { type: 'boolean' },
    warmup: { type: 'string', default: '10' },
  },
});
const duration = Number(opts.duration);
/** Seconds of load at the first step's rate before it, not counted (`--warmup 0`: none, a cold start). */
const warmup = Number(opts.warmup);
const instances = Number(opts['matching-instances']);
const [baseOrgs, baseOffers, baseNeeds] = (opts.base as string).split(',').map(Number) as [
  number,
  number,
  number,
];
/** With several matching instances, one is killed (SIGKILL) in the middle of each step. */
const kill = instances > 1 ? !opts['no-kill'] : Boolean(opts.kill);
/** How long after a step's last post a need may still get its proposals before it counts missing. */
const GRACE_MS = 30_000;

const ms = (x: number) => x.toFixed(1);

// ----------------------------------------------------------------------------------- what Kafka saw

interface EventData {
  need?: { id: string };
  proposal?: { id: string; needId: string; offerIds: string[] };
}

interface Seen {
  /** When the bench's consumer received the need's first `proposed` event. */
  at: number;
  /** The proposal's envelope time (ranked and written) and its Kafka timestamp (appended). */
  rankedAt: number;
  appendedAt: number;
  proposals: Set<string>;
}

/**
 * Reads the proposal and need topics from the start: which needs have proposals (the candidates to
 * post again), when each posted need's first proposal came, and every proposal seen twice.
 */
class Watcher {
  readonly proposed = new Map<string, Seen>();
  /** Need ids → when their event was stored (envelope time) and appended to Kafka. */
  readonly needEvents = new Map<string, { storedAt: number; appendedAt: number }>();
  /** Proposals (by need and offers) that got a second id, and `proposed` events delivered twice. */
  duplicatedProposals = 0;
  redelivered = 0;
  private readonly byPair = new Map<string, string>();
  private readonly events = new Set<string>();
  private readonly consumer;

  constructor(
    kafka: Kafka,
    private readonly topics: { proposal: string; need: string },
  ) {
    this.consumer = kafka.consumer({
      groupId: `bench-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 100,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.proposal, this.topics.need], fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          if (!m.value) continue;
          const e = JSON.parse(m.value.toString()) as {
            id: string;
            type: string;
            time: string;
            data: EventData;
          };
          if (batch.topic === this.topics.need) {
            const id = e.data.need?.id;
            if (id && !this.needEvents.has(id))
              this.needEvents.set(id, { storedAt: Date.parse(e.time), appendedAt: Number(m.timestamp) });
            continue;
          }
          if (!e.type.endsWith('.proposed')) continue;
          if (this.events.has(e.id)) {
            this.redelivered++;
            continue;
          }
          this.events.add(e.id);
          const p = e.data.proposal;
          if (!p) continue;
          const pair = `${p.needId}|${p.offerIds.join('+')}`;
          const before = this.byPair.get(pair);
          if (before === undefined) this.byPair.set(pair, p.id);
          else if (before !== p.id) this.duplicatedProposals++;
          const seen = this.proposed.get(p.needId);
          if (seen) seen.proposals.add(p.id);
          else
            this.proposed.set(p.needId, {
              at: now,
              rankedAt: Date.parse(e.time),
              appendedAt: Number(m.timestamp),
              proposals: new Set([p.id]),
            });
        }
      },
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

// -------------------------------------------------------------------------------------- the floor

interface Floor {
  http: number[];
  kafka: number[];
  insert: number[];
  read: number[];
}

/** The path's unavoidable parts, each measured alone on the idle system. */
async function measureFloor(sys: RunningSystem, kafka: Kafka, samples = 300): Promise<Floor> {
  const floor: Floor = { http: [], kafka: [], insert: [], read: [] };
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const res = await fetch(new URL('/api/exchange/healthz', sys.url));
    await res.arrayBuffer();
    floor.http.push(performance.now() - t);
  }

  const topic = `${sys.prefix || 'bench'}.floor.${randomBytes(3).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = kafka.consumer({
    groupId: `bench-floor-${randomBytes(3).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let arrived: ((at: number) => void) | undefined;
  await consumer.run({
    eachMessage: async () => {
      arrived?.(performance.now());
    },
  });
  // The consumer has joined once a first message comes back.
  for (let i = 0; i < samples + 20; i++) {
    const t = performance.now();
    const back = new Promise<number>((resolve) => {
      arrived = resolve;
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: String(i), value: JSON.stringify({ i, pad: 'x'.repeat(2000) }) }],
    });
    const at = await back;
    if (i >= 20) floor.kafka.push(at - t);
  }
  await consumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();

  const mongo = new MongoClient(sys.mongoUrl);
  await mongo.connect();
  const db = mongo.db(`${sys.prefix || 'bench'}_floor`);
  const coll = db.collection<{ _id: string; pad: string }>('floor');
  for (let i = 0; i < samples; i++) {
    const id = `f${i}`;
    let t = performance.now();
    await coll.insertOne({ _id: id, pad: 'x'.repeat(2000) });
    floor.insert.push(performance.now() - t);
    t = performance.now();
    await coll.findOne({ _id: id });
    floor.read.push(performance.now() - t);
  }
  await db.dropDatabase();
  await mongo.close();
  return floor;
}

const floorOf = (f: Floor, q: number) =>
  quantile(f.http, q) + quantile(f.kafka, q) + quantile(f.insert, q) + quantile(f.read, q);

// ---------------------------------------------------------------------------------------- posting

interface Poster {
  token: string;
  body: Record<string, unknown>;
}

const NEED_FIELDS = [
  'type',
  'title',
  'description',
  'language',
  'workingLanguages',
  'sectors',
  'sdgs',
  'amount',
  'fundingRequired',
  'countriesOfInterest',
  'expiresAt',
] as const;

/**
 * Needs that got proposals, each to be posted again by a member of its organisation (a member per
 * organisation is invited, joins and signs in here).
 */
async function preparePosters(
  sys: RunningSystem,
  admin: Client,
  watcher: Watcher,
  max = 2000,
): Promise<Poster[]> {
  const candidates = [...watcher.proposed.keys()].sort().slice(0, max);
  if (candidates.length === 0) throw new Error('no need has proposals: nothing to post again');
  const tokens = new Map<string, string>();
  const posters: Poster[] = [];
  for (const id of candidates) {
    const need = await admin.call<Record<string, unknown>>('GET', `/api/exchange/needs/${id}`);
    if (need.status !== 'open') continue;
    const org = need.organisationId as string;
    let token = tokens.get(org);
    if (!token) {
      if (tokens.size >= 200) continue;
      const email = `bench-${org.slice(0, 12)}-${randomBytes(3).toString('hex')}@mutirao.test`;
      const inv = await admin.call<{ token: string }>(
        'POST',
        `/api/profiles/organisations/${org}/invitations`,
        { email },
      );
      const password = `pw-${randomBytes(8).toString('hex')}`;
      await admin.call('POST', `/api/profiles/invitations/${inv.token}/accept`, {
        name: 'Bench member',
        email,
        password,
      });
      const session = await new Client(sys.url, { email, password }).call<{ token: string }>(
        'POST',
        '/api/profiles/sessions',
        {
          email,
          password,
        },
      );
      token = session.token;
      tokens.set(org, token);
    }
    const body: Record<string, unknown> = { status: 'open' };
    for (const k of NEED_FIELDS) if (need[k] !== undefined && need[k] !== null) body[k] = need[k];
    posters.push({ token, body });
  }
  log(`${posters.length} needs with proposals to post again, by members of ${tokens.size} organisations`);
  return posters;
}

interface Posted {
  scheduled: number;
  accepted?: number;
  id?: string;
  error?: string;
}

async function post(url: string, p: Poster, scheduled: number): Promise<Posted> {
  const out: Posted = { scheduled };
  try {
    const res = await fetch(new URL('/api/exchange/needs', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
      body: JSON.stringify(p.body),
      signal: AbortSignal.timeout(30_000),
    });
    const json = (await res.json()) as { id?: string; detail?: string };
    if (res.status !== 201 || !json.id) out.error = `${res.status} ${json.detail ?? ''}`;
    else {
      out.accepted = Date.now();
      out.id = json.id;
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ steps

interface StepResult {
  rate: number;
  posted: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  acceptP99: number;
  errors: number;
  missing: number;
  duplicated: number;
  stages: string;
  stagesP99: string;
  windows: string;
  procs: { name: string; cpu: number; rss: number }[];
  killed?: string;
}

async function step(
  sys: RunningSystem,
  watcher: Watcher,
  posters: Poster[],
  rate: number,
  seconds: number,
  offset: number,
  /** Whether the step may kill a matching instance (not the warm-up). */
  mayKill = true,
): Promise<StepResult> {
  const count = Math.round(rate * seconds);
  const sampler = new ProcessSampler();
  const dupBefore = watcher.duplicatedProposals;
  sampler.begin();
  const t0 = Date.now() + 200;
  const sends: Promise<Posted>[] = [];
  let killed: string | undefined;
  // Open loop: every arrival is scheduled in advance; a late timer sends all that are due.
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const now = Date.now();
      while (i < count && t0 + (i * 1000) / rate <= now) {
        const scheduled = t0 + (i * 1000) / rate;
        sends.push(post(sys.url, posters[(offset + i) % posters.length] as Poster, scheduled));
        i++;
      }
      if (kill && mayKill && !killed && now >= t0 + (seconds * 1000) / 2) killed = killMatching();
      if (i >= count) return resolve();
      setTimeout(tick, Math.max(0, t0 + (i * 1000) / rate - Date.now()));
    };
    setTimeout(tick, 200);
  });
  const posted = await Promise.all(sends);
  const accepted = posted.filter((p) => p.id);
  const deadline = Date.now() + GRACE_MS;
  while (Date.now() < deadline && accepted.some((p) => !watcher.proposed.has(p.id as string)))
    await new Promise((r) => setTimeout(r, 100));
  const procs = sampler.end();
  const latencies: number[] = [];
  const stages = {
    stored: [] as number[],
    appended: [] as number[],
    ranked: [] as number[],
    published: [] as number[],
    seen: [] as number[],
  };
  for (const p of accepted) {
    const seen = watcher.proposed.get(p.id as string);
    if (!seen) continue;
    latencies.push(seen.at - p.scheduled);
    const ne = watcher.needEvents.get(p.id as string);
    if (ne) {
      stages.stored.push(ne.storedAt - p.scheduled);
      stages.appended.push(ne.appendedAt - ne.storedAt);
      stages.ranked.push(seen.rankedAt - ne.appendedAt);
    }
    stages.published.push(seen.appendedAt - seen.rankedAt);
    stages.seen.push(seen.at - seen.appendedAt);
  }
  const med = (xs: number[]) => quantile(xs, 0.5).toFixed(0);
  const p99 = (xs: number[]) => quantile(xs, 0.99).toFixed(0);
  // The p99 of each 5 s of the step (by scheduled send): a tail from a few stalls shows as one or
  // two slow windows, a saturated system as every window slow.
  const windows: number[][] = [];
  for (const p of accepted) {
    const seen = watcher.proposed.get(p.id as string);
    if (!seen) continue;
    const w = Math.max(0, Math.floor((p.scheduled - t0) / 5_000));
    windows[w] = [...(windows[w] ?? []), seen.at - p.scheduled];
  }
  return {
    rate,
    posted: posted.length,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    max: quantile(latencies, 1),
    acceptP99: quantile(
      accepted.map((p) => (p.accepted as number) - p.scheduled),
      0.99,
    ),
    errors: posted.length - accepted.length,
    missing: accepted.filter((p) => !watcher.proposed.has(p.id as string)).length,
    duplicated: watcher.duplicatedProposals - dupBefore,
    stages: `POST→stored ${med(stages.stored)}, →on Kafka ${med(stages.appended)}, →ranked and written ${med(stages.ranked)}, →on Kafka ${med(stages.published)}, →seen ${med(stages.seen)}`,
    stagesP99: `POST→stored ${p99(stages.stored)}, →on Kafka ${p99(stages.appended)}, →ranked and written ${p99(stages.ranked)}, →on Kafka ${p99(stages.published)}, →seen ${p99(stages.seen)}`,
    windows: windows.map((w) => (w ? p99(w) : '-')).join(' '),
    procs,
    ...(killed ? { killed } : {}),
    ...(posted.find((p) => p.error) ? { firstError: posted.find((p) => p.error)?.error } : {}),
  };
}

/** SIGKILLs the last matching instance; the start script starts it again. */
function killMatching(): string | undefined {
  const victims = systemProcesses()
    .filter((p) => p.name.startsWith('matching'))
    .sort((a, b) => a.name.localeCompare(b.name));
  // Not the first: the web server proxies matching's requests to it (docs/scaling.md).
  const victim = victims[victims.length - 1];
  if (!victim) return undefined;
  process.kill(victim.pid, 'SIGKILL');
  log(`killed ${victim.name} (pid ${victim.pid})`);
  return victim.name;
}

async function waitCaughtUp(admin: Client, timeoutS = 1800): Promise<void> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    const p = await admin
      .call<{ caughtUp: boolean }>('GET', '/api/matching/progress')
      .catch(() => ({ caughtUp: false }));
    if (p.caughtUp) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('matching did not catch up');
}

// ------------------------------------------------------------------------------------------- main

let sys: RunningSystem | undefined;

async function main(): Promise<void> {
  sys = await startSystem(instances > 1 ? { MATCHING_INSTANCES: String(instances) } : {});
  const admin = new Client(sys.url, adminCredentials(sys.env, REPO_ROOT));
  const kafka = new Kafka({
    brokers: sys.kafkaBrokers.split(','),
    clientId: 'bench-system',
    logLevel: logLevel.NOTHING,
  });
  const watcher = new Watcher(kafka, {
    proposal: topicName(Topics.proposal, sys.prefix),
    need: topicName(Topics.need, sys.prefix),
  });
  await watcher.start();
  try {
    if (!process.env.MUTIRAO_URL) {
      const t0 = Date.now();
      const file = generateDemo(4242, { organisations: baseOrgs, needs: baseNeeds, offers: baseOffers });
      await importFile(admin, file, true);
      log(
        `base imported: ${baseOrgs} organisations, ${baseOffers} offers, ${baseNeeds} needs in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
    await waitCaughtUp(admin);
    const posters = await preparePosters(sys, admin, watcher);
    await waitCaughtUp(admin);

    const floor = await measureFloor(sys, kafka);
    const f99 = floorOf(floor, 0.99);
    log(
      `floor (p50/p99 ms): http ${ms(quantile(floor.http, 0.5))}/${ms(quantile(floor.http, 0.99))}, kafka produce→consume ${ms(quantile(floor.kafka, 0.5))}/${ms(quantile(floor.kafka, 0.99))}, insert ${ms(quantile(floor.insert, 0.5))}/${ms(quantile(floor.insert, 0.99))}, read by _id ${ms(quantile(floor.read, 0.5))}/${ms(quantile(floor.read, 0.99))}; floor = sum of p99s ${ms(f99)} ms (of p50s ${ms(floorOf(floor, 0.5))} ms)`,
    );

    const rates = opts.rate ? [Number(opts.rate)] : [20, 50, 100, 200, 400, 800, 1600];
    const results: StepResult[] = [];
    let offset = 0;
    if (warmup > 0) {
      // The first seconds of load on a system that just loaded its base are slower (connection
      // pools growing, the request paths not yet compiled by V8): counted apart, then settled.
      const rate = rates[0] as number;
      const w = await step(sys, watcher, posters, rate, warmup, offset, false);
      offset += w.posted;
      log(
        `warm-up (not counted): ${w.posted} needs at ${rate}/s, p50 ${ms(w.p50)} p99 ${ms(w.p99)} ms, p99 of each 5 s ${w.windows}, errors ${w.errors}, missing ${w.missing}`,
      );
      await waitCaughtUp(admin, 300);
    }
    for (const rate of rates) {
      const r = await step(sys, watcher, posters, rate, duration, offset);
      offset += r.posted;
      results.push(r);
      log(
        `step ${rate}/s: ${r.posted} needs, p50 ${ms(r.p50)} p95 ${ms(r.p95)} p99 ${ms(r.p99)} max ${ms(r.max)} ms (POST answered p99 ${ms(r.acceptP99)} ms), errors ${r.errors}, missing ${r.missing}, duplicated ${r.duplicated}${r.killed ? `, ${r.killed} killed mid-step` : ''}`,
      );
      log(`  medians (ms): ${r.stages}`);
      log(`  p99s (ms): ${r.stagesP99}`);
      log(`  p99 of each 5 s (ms): ${r.windows}`);
      log(
        `  processes: ${r.procs.map((p) => `${p.name} ${p.cpu.toFixed(0)}% ${p.rss.toFixed(0)} MiB`).join(', ')}`,
      );
      console.log(
        `system: rate=${rate}/s p50=${ms(r.p50)} p99=${ms(r.p99)} ms floor=${ms(f99)} ms ratio=${(r.p99 / f99).toFixed(2)} errors=${r.errors} missing=${r.missing} duplicated=${r.duplicated}`,
      );
      if (r.p99 > 1000 || r.missing > r.posted / 10) break;
      await waitCaughtUp(admin, 300);
    }
    if (!opts.rate) {
      const ok = results.filter((r) => r.p99 <= 1000 && r.errors === 0);
      const last = results[results.length - 1] as StepResult;
      const busiest = [...last.procs].sort((a, b) => b.cpu - a.cpu)[0];
      console.log(
        `system: saturation=${ok.length > 0 ? ok[ok.length - 1]?.rate : 0}/s first=${busiest?.name} (${busiest?.cpu.toFixed(0)}% at ${last.rate}/s) floor=${ms(f99)} ms redelivered=${watcher.redelivered}`,
      );
    }
  } finally {
    await watcher.stop().catch(() => undefined);
    await sys.stop();
  }
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  await sys?.stop().catch(() => undefined);
  process.exit(1);
});
