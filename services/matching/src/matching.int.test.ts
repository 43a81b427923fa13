import {
  type CloudEvent,
  ProposalEventSchemas,
  type ProposalSnapshot,
  ProposalStatus,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { createVerifier } from '@mutirao/http';
import {
  caughtUp,
  connectProducer,
  consume,
  createKafka,
  ensureTopics,
  makeEnvelope,
  publish,
  type TrackedProducer,
} from '@mutirao/messaging';
import { connectMongo, isConnected } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { eventually, testEnv, testIssuer } from '@mutirao/testing';
import type { Producer } from 'kafkajs';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { aNeed, anOffer, anOrg } from './domain/testing/factories';
import { Progress, Proposal, ProposalList, ProposalPage } from './http/schemas';
import { createMatching, type Matching } from './matching';

const env = testEnv();
const logger = createLogger('matching-test', 'silent');
const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('matching-test') });
const t = (topic: string) => topicName(topic, env.topicPrefix);
let producer: Producer;
// The service's own connections, opened here as main.ts opens them.
let db: Connection;
let serviceProducer: TrackedProducer;
let runtime: Matching;
let issuer: Awaited<ReturnType<typeof testIssuer>>;
const seen: CloudEvent[] = [];
const seenGroup = env.unique('proposal-reader');
let stopSeen: (() => Promise<void>) | undefined;

const NOW = new Date('2026-11-28T00:00:00Z');
const needOrg = anOrg({ id: 'org-gw', country: 'GW' });
const offerOrg = anOrg({ id: 'org-rw', country: 'RW', languages: ['fr', 'en'] });
const need = aNeed({ id: 'need-1', organisationId: 'org-gw' });
const offer = anOffer({ id: 'offer-1', organisationId: 'org-rw', capacity: 2 });

async function emit(topic: string, type: string, subject: string, data: unknown): Promise<void> {
  await publish(producer, [
    { topic: t(topic), envelope: makeEnvelope({ type, source: 'test', subject, data }) },
  ]);
}

beforeAll(async () => {
  issuer = await testIssuer();
  db = await connectMongo(env.mongoUrl, env.dbName);
  await ensureTopics(
    kafka,
    [Topics.organisation, Topics.need, Topics.offer, Topics.proposal].map((x) => t(x)),
  );
  serviceProducer = await connectProducer(kafka);
  runtime = createMatching({
    db,
    kafka,
    producer: serviceProducer.producer,
    producerConnected: serviceProducer.connected,
    databaseConnected: () => isConnected(db),
    verify: createVerifier({ jwks: issuer.jwks }),
    logger,
    now: () => NOW,
    topicPrefix: env.topicPrefix,
    consumerGroup: env.unique('matching'),
  });
  await (await runtime.start()).consumer;
  producer = kafka.producer();
  await producer.connect();
  const c = await consume({
    kafka,
    groupId: seenGroup,
    topics: [t(Topics.proposal)],
    schemas: ProposalEventSchemas,
    logger,
    handler: async (e) => void seen.push(e),
  });
  stopSeen = c.stop;
});

afterAll(async () => {
  await stopSeen?.();
  await producer?.disconnect();
  await runtime?.stop();
  await serviceProducer?.producer.disconnect();
  await db?.close();
});

/**
 * The answer is the one the OpenAPI document gives: it parses with the operation's response schema
 * and has no field the schema does not name (parsing would drop it).
 */
function documented<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  expect(schema.parse(body)).toEqual(body);
  return body as z.infer<S>;
}

const coordinator = () =>
  issuer.sign({ sub: 'coord-wa', roles: ['coordinator'], regions: ['Western Africa'] });
const outsider = () => issuer.sign({ sub: 'coord-sa', roles: ['coordinator'], regions: ['South America'] });
const member = (org: string) => issuer.sign({ sub: `m-${org}`, org, roles: ['member'] });

describe('matching service against real Kafka and FerretDB', () => {
  let proposal: ProposalSnapshot;

  it('proposes a verified pair from the topics, with an explanation, once', async () => {
    await emit(Topics.organisation, 'org.mutirao.profiles.organisation.registered', needOrg.id, {
      organisation: needOrg,
    });
    await emit(Topics.organisation, 'org.mutirao.profiles.organisation.registered', offerOrg.id, {
      organisation: offerOrg,
    });
    await emit(Topics.offer, 'org.mutirao.exchange.offer.published', offer.id, { offer });
    await emit(Topics.need, 'org.mutirao.exchange.need.published', need.id, { need });
    // A replay of the same need changes nothing.
    await emit(Topics.need, 'org.mutirao.exchange.need.published', need.id, { need });

    const queue = await eventually(
      async () => {
        const res = await request(runtime.app)
          .get('/proposals')
          .set('authorization', `Bearer ${await coordinator()}`);
        return res.body.items?.length ? res.body : undefined;
      },
      { what: 'a proposal in the review queue' },
    );
    expect(documented(ProposalPage, queue)).toMatchObject({ nextCursor: null });
    expect(queue.items).toHaveLength(1);
    proposal = queue.items[0];
    expect(proposal).toMatchObject({
      needId: 'need-1',
      offerIds: ['offer-1'],
      modality: 'south-south',
      rank: 1,
      status: 'proposed',
    });
    expect(proposal.explanation.rules.every((r) => r.ok)).toBe(true);
    expect(proposal.explanation.criteria.length).toBeGreaterThan(0);
    await eventually(() => seen.some((e) => e.type === 'org.mutirao.matching.proposal.proposed'), {
      what: 'proposed event',
    });
  });

  it('keeps the queue to the coordinator of the region, and hides unapproved proposals from parties', async () => {
    const out = await request(runtime.app)
      .get('/proposals')
      .set('authorization', `Bearer ${await outsider()}`);
    expect(out.body.items).toEqual([]);
    const denied = await request(runtime.app)
      .post(`/proposals/${proposal.id}/review`)
      .set('authorization', `Bearer ${await outsider()}`)
      .send({ decision: 'approved' });
    expect(denied.status).toBe(403);
    const hidden = await request(runtime.app)
      .get(`/proposals/${proposal.id}`)
      .set('authorization', `Bearer ${await member('org-gw')}`);
    expect(hidden.status).toBe(404);
    const early = await request(runtime.app)
      .post(`/proposals/${proposal.id}/accept`)
      .set('authorization', `Bearer ${await member('org-gw')}`);
    expect(early.status).toBe(404);
    const noToken = await request(runtime.app).get('/proposals');
    expect(noToken.status).toBe(401);
    expect(noToken.headers['content-type']).toMatch(/problem\+json/);
  });

  it('rejects a rejection without a reason, naming the field', async () => {
    const res = await request(runtime.app)
      .post(`/proposals/${proposal.id}/review`)
      .set('authorization', `Bearer ${await coordinator()}`)
      .send({ decision: 'rejected' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: 'reason', message: 'a rejection needs a reason code' });
  });

  it('goes from approval through both consents to agreed, emitting every transition', async () => {
    const approved = await request(runtime.app)
      .post(`/proposals/${proposal.id}/review`)
      .set('authorization', `Bearer ${await coordinator()}`)
      .send({ decision: 'approved', note: 'Good fit' });
    expect(approved.status).toBe(200);
    documented(Proposal, approved.body);
    expect(approved.body).toMatchObject({
      status: 'approved',
      revision: 2,
      review: { by: 'coord-wa', note: 'Good fit' },
    });

    const mine = await request(runtime.app)
      .get('/proposals/mine')
      .set('authorization', `Bearer ${await member('org-rw')}`);
    expect(documented(ProposalList, mine.body).items.map((p) => p.id)).toEqual([proposal.id]);
    const stranger = await request(runtime.app)
      .post(`/proposals/${proposal.id}/accept`)
      .set('authorization', `Bearer ${await member('org-xx')}`);
    expect(stranger.status).toBe(404);

    const a = await request(runtime.app)
      .post(`/proposals/${proposal.id}/accept`)
      .set('authorization', `Bearer ${await member('org-gw')}`);
    expect(a.body).toMatchObject({ status: 'accepted', consents: { 'org-gw': 'accepted' } });
    const again = await request(runtime.app)
      .post(`/proposals/${proposal.id}/accept`)
      .set('authorization', `Bearer ${await member('org-gw')}`);
    expect(again.status).toBe(409);
    const b = await request(runtime.app)
      .post(`/proposals/${proposal.id}/accept`)
      .set('authorization', `Bearer ${await member('org-rw')}`);
    expect(documented(Proposal, b.body)).toMatchObject({ status: 'agreed', revision: 4 });

    await eventually(() => seen.some((e) => e.type === 'org.mutirao.matching.proposal.agreed'), {
      what: 'agreed event',
    });
    const revisions = seen
      .filter((e) => e.subject === proposal.id)
      .map((e) => (e.data as { proposal: ProposalSnapshot }).proposal.revision);
    expect([...new Set(revisions)]).toEqual([1, 2, 3, 4]);
  });

  it('expires open proposals when their offer is withdrawn, and never proposes the pair again', async () => {
    const need2 = aNeed({ id: 'need-2', organisationId: 'org-gw', title: 'Solar repair training' });
    await emit(Topics.need, 'org.mutirao.exchange.need.published', need2.id, { need: need2 });
    const p2 = await eventually(
      async () =>
        (await runtime.matcher.index.need('need-2')) &&
        (
          await request(runtime.app)
            .get('/proposals')
            .set('authorization', `Bearer ${await coordinator()}`)
        ).body.items.find((p: ProposalSnapshot) => p.needId === 'need-2'),
      { what: 'proposal for need-2' },
    );
    await emit(Topics.offer, 'org.mutirao.exchange.offer.withdrawn', offer.id, {
      offer: { ...offer, revision: 2, status: 'withdrawn' },
    });
    await eventually(
      () => seen.some((e) => e.subject === p2.id && e.type === 'org.mutirao.matching.proposal.expired'),
      { what: 'expired event' },
    );
    // The offer comes back: the expired pair is not proposed a second time.
    await emit(Topics.offer, 'org.mutirao.exchange.offer.updated', offer.id, {
      offer: { ...offer, revision: 3 },
    });
    // "Nothing was proposed" means something only once matching has provably handled the event:
    // its group has committed past it and no need is left to rank (`GET /progress`).
    await eventually(
      async () => documented(Progress, (await request(runtime.app).get('/progress')).body).caughtUp,
      {
        what: 'matching to catch up with the returned offer',
      },
    );
    expect(runtime.matcher.index.offer(offer.id)?.revision).toBe(3);

    // The store: the pair's one proposal, still expired, and no other for the need.
    const all = await request(runtime.app)
      .get('/proposals')
      .query({ status: ProposalStatus.options.join(','), limit: 100 })
      .set('authorization', `Bearer ${await coordinator()}`);
    expect(
      all.body.items
        .filter((p: ProposalSnapshot) => p.needId === 'need-2')
        .map((p: ProposalSnapshot) => [p.id, p.status]),
    ).toEqual([[p2.id, 'expired']]);

    // The same list a page at a time: an opaque cursor, null on the last page.
    const everyStatus = ProposalStatus.options.join(',');
    const page = async (cursor?: string) =>
      documented(
        ProposalPage,
        (
          await request(runtime.app)
            .get('/proposals')
            .query({ status: everyStatus, limit: 1, sort: 'age', ...(cursor ? { cursor } : {}) })
            .set('authorization', `Bearer ${await coordinator()}`)
        ).body,
      );
    const first = await page();
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(first.nextCursor as string);
    expect(second.nextCursor).toBeNull();
    // Made at the same instant (the clock stands still here): in id order.
    const both = [proposal.id, p2.id].sort();
    expect([...first.items, ...second.items].map((p) => p.id)).toEqual(both);

    // The export: every proposal, for the admin only.
    const admin = await issuer.sign({ sub: 'root', roles: ['admin'] });
    const exported = await request(runtime.app)
      .get('/export/proposals')
      .set('authorization', `Bearer ${admin}`);
    const statusOf = new Map([
      [proposal.id, 'agreed'],
      [p2.id, 'expired'],
    ]);
    expect(documented(ProposalList, exported.body).items.map((p) => [p.id, p.status])).toEqual(
      both.map((id) => [id, statusOf.get(id)]),
    );
    const notAdmin = await request(runtime.app)
      .get('/export/proposals')
      .set('authorization', `Bearer ${await coordinator()}`);
    expect(notAdmin.status).toBe(403);

    // The topic: whatever matching wrote is published, and this test's reader has read all of it.
    await runtime.relay.drain();
    await eventually(() => caughtUp(kafka, seenGroup, [t(Topics.proposal)]), {
      what: 'the proposal reader to catch up',
    });
    const proposedForNeed2 = seen.filter(
      (e) =>
        e.type === 'org.mutirao.matching.proposal.proposed' &&
        (e.data as { proposal: ProposalSnapshot }).proposal.needId === 'need-2',
    );
    expect(proposedForNeed2.map((e) => e.subject)).toEqual([p2.id]);
  });
});
