import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Topics, topicName } from '@mutirao/contracts';
import { createKafka, ensureTopics, makeEvent, publish } from '@mutirao/messaging';
import { connectMongo } from '@mutirao/outbox';
import {
  aNeedSnapshot,
  anOfferSnapshot,
  anOrganisationSnapshot,
  eventually,
  freePort,
  testEnv,
  testIssuer,
} from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * One trace per request, end to end, in the services as they run in production: real processes
 * started with the telemetry hook (`--import @mutirao/telemetry/register`), exporting OTLP/HTTP
 * (JSON) to a receiver in this test. A need posted to the exchange must be one trace from the
 * POST to the proposal matching writes and publishes, each step the descendant of the one before.
 */

const SERVICES = fileURLToPath(new URL('../..', import.meta.url));
const env = testEnv();
const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('trace') });
const topic = (t: string) => topicName(t, env.topicPrefix);

/** OTLP's span kinds (opentelemetry/proto/trace/v1/trace.proto). */
const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  /** Nanoseconds since the epoch. */
  start: bigint;
  end: bigint;
  attributes: Record<string, unknown>;
}

/** The OTLP JSON the exporter sends: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding */
interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: OtlpAttribute[];
      }[];
    }[];
  }[];
}

const otlpValue = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, otlpValue(a.value)]));

/** A collector of one's own: every span the services export, decoded. */
function otlpReceiver(): { server: Server; spans: ReceivedSpan[]; bad: string[] } {
  const spans: ReceivedSpan[] = [];
  const bad: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (req.url !== '/v1/traces' || !req.headers['content-type']?.includes('json')) {
        bad.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        res.writeHead(404).end();
        return;
      }
      const traces = JSON.parse(body) as OtlpTraces;
      for (const rs of traces.resourceSpans ?? []) {
        const service = String(attributesOf(rs.resource?.attributes)['service.name']);
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              service,
              scope: ss.scope?.name ?? '',
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind,
              start: BigInt(s.startTimeUnixNano),
              end: BigInt(s.endTimeUnixNano),
              attributes: attributesOf(s.attributes),
            });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans, bad };
}

const receiver = otlpReceiver();
const children: ChildProcess[] = [];
let output = '';
let exchangeDb: Connection;
let matchingDb: Connection;
let issuer: Awaited<ReturnType<typeof testIssuer>>;
const ports = { exchange: 0, matching: 0, web: 0 };

/** A service as scripts/start.ts starts it: node with tsx and the telemetry hook, in its folder. */
function startService(name: 'exchange' | 'matching' | 'web', port: number, otlpPort: number): ChildProcess {
  // The service names itself (mutirao-<name>) unless told otherwise.
  const { OTEL_SERVICE_NAME: _, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', '@mutirao/telemetry/register', 'src/main.ts'],
    {
      cwd: join(SERVICES, name),
      env: {
        ...inherited,
        PORT: String(port),
        MONGO_URL: env.mongoUrl,
        MONGO_DB: `${env.dbName}-${name}`,
        KAFKA_BROKERS: env.kafkaBrokers.join(','),
        TOPIC_PREFIX: env.topicPrefix,
        JWKS_JSON: JSON.stringify(issuer.jwks),
        CONSUMER_GROUP: env.unique(name),
        LOG_LEVEL: 'warn',
        EXCHANGE_URL: `http://127.0.0.1:${ports.exchange}`,
        MATCHING_URL: `http://127.0.0.1:${ports.matching}`,
        PROFILES_URL: 'http://127.0.0.1:9',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // Spans leave every 100 ms rather than every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        // The outbox's polls come often: none of them may join a request's trace. (The expiry
        // sweep keeps its minute: the timer a request arms must be the one that expires a need.)
        OUTBOX_POLL_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += `[${name}] ${d}`;
  });
  child.stderr?.on('data', (d) => {
    output += `[${name}] ${d}`;
  });
  children.push(child);
  return child;
}

async function ready(port: number, child: ChildProcess, path = '/readyz'): Promise<void> {
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(1_000) })).ok;
    },
    { timeoutMs: 60_000, what: `the service on ${port} to be ready` },
  );
}

const needOrg = anOrganisationSnapshot({ id: 'org-trace-gw', country: 'GW' });
const offerOrg = anOrganisationSnapshot({ id: 'org-trace-rw', country: 'RW', languages: ['fr', 'en'] });

/** What a member sends to post a snapshot's posting: none of the service's own fields. */
function bodyOf<T extends Record<string, unknown>>(snapshot: T) {
  const { id: _i, revision: _r, updatedAt: _u, organisationId: _o, status: _s, ...body } = snapshot;
  return body;
}

async function post(path: string, org: string, body: unknown): Promise<{ id: string }> {
  const token = await issuer.sign({ sub: `member-${org}`, org, roles: ['member'] });
  // Through the web app's proxy, as a browser sends it.
  const res = await fetch(`http://127.0.0.1:${ports.web}/api/exchange${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { id: string };
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

beforeAll(async () => {
  issuer = await testIssuer();
  const otlpPort = await freePort();
  await new Promise<void>((r) => receiver.server.listen(otlpPort, '127.0.0.1', r));
  await ensureTopics(
    kafka,
    Object.values(Topics).map((t) => topic(t)),
  );
  const producer = kafka.producer();
  await producer.connect();
  await publish(
    producer,
    [needOrg, offerOrg].map((organisation) => ({
      topic: topic(Topics.organisation),
      envelope: makeEvent({
        type: 'org.mutirao.profiles.organisation.verified',
        source: 'test',
        subject: organisation.id,
        data: { organisation },
      }),
    })),
  );
  await producer.disconnect();
  exchangeDb = await connectMongo(env.mongoUrl, `${env.dbName}-exchange`);
  matchingDb = await connectMongo(env.mongoUrl, `${env.dbName}-matching`);
  [ports.exchange, ports.matching, ports.web] = await Promise.all([freePort(), freePort(), freePort()]);
  const exchange = startService('exchange', ports.exchange, otlpPort);
  const matching = startService('matching', ports.matching, otlpPort);
  const web = startService('web', ports.web, otlpPort);
  await Promise.all([
    ready(ports.exchange, exchange),
    ready(ports.matching, matching),
    ready(ports.web, web, '/healthz'),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null || c.signalCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGTERM');
        }),
    ),
  );
  await new Promise((r) => receiver.server.close(r));
  for (const db of [exchangeDb, matchingDb]) {
    await db?.dropDatabase().catch(() => undefined);
    await db?.close();
  }
});

const count = (db: Connection, collection: string, filter: Record<string, unknown>) =>
  db.collection(collection).countDocuments(filter as never);

/** The span and its ancestors, nearest first, as far as they were received. */
function ancestry(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const line: ReceivedSpan[] = [span];
  for (let p = byId.get(span.parentSpanId); p && line.length < 100; p = byId.get(p.parentSpanId))
    line.push(p);
  return line;
}

/** The trace as an indented tree, for a failure's message. */
function render(spans: ReceivedSpan[]): string {
  const ids = new Set(spans.map((s) => s.spanId));
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const s of spans.filter(
      (x) => x.parentSpanId === parent || (depth === 0 && !ids.has(x.parentSpanId)),
    )) {
      if (depth === 0 && parent !== '' && s.parentSpanId === parent) continue;
      lines.push(`${'  '.repeat(depth)}${s.service} | ${s.scope} | ${s.name} (kind ${s.kind})`);
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines.join('\n');
}

const attr = (s: ReceivedSpan, ...keys: string[]) =>
  keys.map((k) => s.attributes[k]).find((v) => v !== undefined);

const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

/** The exchange's server spans of POST /needs, in the order the requests came. */
const postsOfNeeds = () =>
  receiver.spans
    .filter(
      (s) =>
        s.service === 'mutirao-exchange' &&
        s.kind === KIND.server &&
        attr(s, 'http.request.method', 'http.method') === 'POST' &&
        attr(s, 'url.path', 'http.target') === '/needs',
    )
    .sort((a, b) => (a.start < b.start ? -1 : 1));

describe('one trace per request', () => {
  it('is one trace from POST /needs to the proposal, each step under the one it follows from', async () => {
    // Matching knows both organisations and the offer before the need comes: its proposal then
    // follows from the need's event, not from theirs.
    await eventually(
      async () =>
        (await count(exchangeDb, 'organisations', { _id: { $in: [needOrg.id, offerOrg.id] } })) === 2 &&
        (await count(matchingDb, 'organisations', { _id: { $in: [needOrg.id, offerOrg.id] } })) === 2,
      { what: 'both organisations in both services' },
    );
    const offer = await post(
      '/offers',
      offerOrg.id,
      bodyOf(
        anOfferSnapshot({
          modalities: ['south-south'],
          expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        }),
      ),
    );
    await eventually(async () => (await count(matchingDb, 'offers', { _id: offer.id })) === 1, {
      what: 'the offer in matching',
    });

    const need = await post(
      '/needs',
      needOrg.id,
      bodyOf(aNeedSnapshot({ expiresAt: new Date(Date.now() + 60 * 86_400_000).toISOString() })),
    );
    await eventually(async () => (await count(matchingDb, 'proposals', { needId: need.id })) === 1, {
      what: 'the proposal',
    });

    const needTopic = topic(Topics.need);
    const proposalTopic = topic(Topics.proposal);
    const postSpan = () => postsOfNeeds()[0];
    const from = (service: string, scope: string) => (s: ReceivedSpan) =>
      s.service === `mutirao-${service}` && s.scope === `@opentelemetry/instrumentation-${scope}`;
    const inserted = (service: string, collection: string) => (s: ReceivedSpan) =>
      from(service, 'mongodb')(s) &&
      attr(s, 'db.operation.name', 'db.operation') === 'insert' &&
      attr(s, 'db.collection.name', 'db.mongodb.collection') === collection;
    const sentTo = (service: string, topicName: string) => (s: ReceivedSpan) =>
      from(service, 'kafkajs')(s) &&
      s.kind === KIND.producer &&
      attr(s, 'messaging.destination.name') === topicName;
    const ours = (service: string, name: string) => (s: ReceivedSpan) =>
      s.service === `mutirao-${service}` && s.name === name;
    // Every step, found by what it is in the trace of the POST.
    const STEPS = {
      entry: [
        "the web app's server span of POST /api/exchange/needs",
        (s: ReceivedSpan) => s.service === 'mutirao-web' && s.kind === KIND.server,
      ],
      post: ['the HTTP server span of POST /needs', (s: ReceivedSpan) => s === postSpan()],
      stored: ['the store write of the need (mongodb insert into needs)', inserted('exchange', 'needs')],
      published: ['the outbox publish (kafkajs send to the need topic)', sentTo('exchange', needTopic)],
      consumed: [
        "matching's consumer span of the need event",
        (s: ReceivedSpan) => ours('matching', `${needTopic} process`)(s) && s.kind === KIND.consumer,
      ],
      followed: ["matching's handling of that need", ours('matching', 'need changed')],
      ranked: ["matching's ranking of that need", ours('matching', 'rank need')],
      written: ['the proposal write (mongodb insert into proposals)', inserted('matching', 'proposals')],
      proposed: [
        'the `proposed` event sent (kafkajs send to the proposal topic)',
        sentTo('matching', proposalTopic),
      ],
    } as const;
    type Step = keyof typeof STEPS;
    const find = (spans: ReceivedSpan[]) =>
      Object.fromEntries(Object.entries(STEPS).map(([k, [, pick]]) => [k, spans.find(pick)])) as Record<
        Step,
        ReceivedSpan | undefined
      >;
    const complete = () => {
      const root = postSpan();
      return root !== undefined && Object.values(find(inTrace(root.traceId))).every((s) => s !== undefined);
    };
    await eventually(complete, { timeoutMs: 15_000, what: 'every step of the trace' }).catch(() => undefined);

    const root = postSpan();
    expect(
      root,
      `no POST /needs server span among the spans received:\n${render(receiver.spans)}`,
    ).toBeDefined();
    const spans = inTrace(root?.traceId ?? '');
    const tree = render(spans);
    const found = find(spans);
    expect(
      (Object.keys(STEPS) as Step[]).filter((k) => !found[k]).map((k) => STEPS[k][0]),
      `steps missing from trace ${root?.traceId}:\n${tree}`,
    ).toEqual([]);
    const span = (k: Step) => found[k] as ReceivedSpan;
    // Parents, not just one trace id. `parent`: the step's span is the other's child; `under`: a
    // descendant. The request stores the need and, once stored, the outbox sends its event; the
    // event's consumer continues from the very span that sent it; the need's ranking from its
    // handling; the proposal's write and its event from the ranking.
    const LINKS: [Step, 'parent' | 'under', Step][] = [
      ['post', 'under', 'entry'],
      ['stored', 'under', 'post'],
      ['published', 'under', 'post'],
      ['consumed', 'parent', 'published'],
      ['followed', 'under', 'consumed'],
      ['ranked', 'parent', 'followed'],
      ['written', 'under', 'ranked'],
      ['proposed', 'under', 'ranked'],
    ];
    for (const [child, how, other] of LINKS) {
      const what = `${STEPS[child][0]} is not ${how === 'parent' ? 'a child' : 'a descendant'} of ${STEPS[other][0]}`;
      if (how === 'parent') expect(span(child).parentSpanId, `${what}:\n${tree}`).toBe(span(other).spanId);
      else expect(ancestry(spans, span(child)), `${what}:\n${tree}`).toContain(span(other));
    }
    // To the millisecond: the send span's start is taken from the wall clock (whole milliseconds),
    // the insert's end from the high-resolution one.
    const ms = (ns: bigint) => ns / 1_000_000n;
    expect(
      ms(span('published').start),
      'the event is sent only once the need is stored',
    ).toBeGreaterThanOrEqual(ms(span('stored').end));
    // What the exchange does later (outbox polls, expiry sweeps, timers a request set) is not
    // part of the request: after the answer only the event's publish continues its trace, and the
    // event's consumers (each exchange instance follows its own topic to keep its browse catalog).
    await new Promise((r) => setTimeout(r, 1_000));
    const later = inTrace(span('post').traceId).filter(
      (s) =>
        s.service === 'mutirao-exchange' &&
        s.start > span('post').end &&
        s !== span('published') &&
        !(s.kind === KIND.consumer && s.parentSpanId === span('published').spanId),
    );
    expect(
      later.map((s) => s.name),
      render(inTrace(span('post').traceId)),
    ).toEqual([]);
    // express and mongoose were patched too. express's spans are in the request's trace; the post
    // finds its organisation in memory and writes through the driver, so mongoose shows in the
    // read of the need that follows (by `_id`, through mongoose).
    expect(
      spans.some((s) => from('exchange', 'express')(s) && ancestry(spans, s).includes(span('post'))),
      `no express span under the POST:\n${tree}`,
    ).toBe(true);
    const token = await issuer.sign({ sub: `member-${needOrg.id}`, org: needOrg.id, roles: ['member'] });
    const read = await fetch(`http://127.0.0.1:${ports.web}/api/exchange/needs/${need.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(200);
    const underARead = (s: ReceivedSpan) =>
      ancestry(receiver.spans, s).some(
        (a) => a.service === 'mutirao-exchange' && a.kind === KIND.server && a.name.startsWith('GET'),
      );
    await eventually(() => receiver.spans.some((s) => from('exchange', 'mongoose')(s) && underARead(s)), {
      what: 'a mongoose span under the exchange’s GET',
      timeoutMs: 10_000,
    });
    expect(receiver.bad).toEqual([]);
  });

  it("leaves a request's trace when the request is over: a timer it set works in no trace of its own", async () => {
    // The exchange arms its expiry timer for the new need's date; the expiry happens in that
    // timer, after the request.
    const before = postsOfNeeds().length;
    const need = await post(
      '/needs',
      needOrg.id,
      bodyOf(aNeedSnapshot({ expiresAt: new Date(Date.now() + 1_500).toISOString() })),
    );
    await eventually(
      async () => (await count(exchangeDb, 'needs', { _id: need.id, status: 'expired' })) === 1,
      { what: 'the need to expire' },
    );
    await eventually(() => postsOfNeeds().length > before, { what: 'the POST span' });
    await new Promise((r) => setTimeout(r, 1_000));
    const postSpan = postsOfNeeds()[before] as ReceivedSpan;
    const spans = inTrace(postSpan.traceId);
    const needTopic = topic(Topics.need);
    // The `published` event goes out after the answer, continuing the request's trace, and the
    // exchange's follower of its own topic takes it in; nothing else.
    const sends = new Set(
      spans
        .filter(
          (s) =>
            s.service === 'mutirao-exchange' &&
            s.kind === KIND.producer &&
            s.attributes['messaging.destination.name'] === needTopic &&
            s.parentSpanId,
        )
        .map((s) => s.spanId),
    );
    const later = spans.filter(
      (s) =>
        s.service === 'mutirao-exchange' &&
        s.start > postSpan.end &&
        !sends.has(s.spanId) &&
        !(s.kind === KIND.consumer && sends.has(s.parentSpanId)),
    );
    expect(
      later.map((s) => s.name),
      render(spans),
    ).toEqual([]);
    const sent = spans.filter((s) => s.service === 'mutirao-exchange' && s.kind === KIND.producer);
    expect(sent, `one event sent in the request's trace:\n${render(spans)}`).toHaveLength(1);
    // The expiry is a trace of its own, its event sent in it.
    const expiry = receiver.spans.find(
      (s) => s.name === 'expire posting' && s.attributes['mutirao.posting.id'] === need.id,
    );
    expect(expiry, 'a span for the expiry').toBeDefined();
    expect(expiry?.parentSpanId).toBe('');
    const expiryTrace = inTrace(expiry?.traceId ?? '');
    expect(
      expiryTrace.some(
        (s) => s.kind === KIND.producer && ancestry(expiryTrace, s).includes(expiry as ReceivedSpan),
      ),
      render(expiryTrace),
    ).toBe(true);
  });
});
