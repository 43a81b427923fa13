/**
 * Revoking an organisation's verification, through the whole system and real Kafka: profiles
 * publishes the revocation, the exchange closes the organisation's open postings (with their
 * `closed` events), matching expires its open proposals; verifying it again reopens nothing until
 * its owner renews a posting.
 */
import { type CloudEvent, NeedEventSchemas, OfferEventSchemas, Topics, topicName } from '@mutirao/contracts';
import { consume, createKafka, type RunningConsumer } from '@mutirao/messaging';
import { createLogger } from '@mutirao/telemetry';
import { eventually, type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, call, PASSWORD, seedCast, seedProposals, signInApi } from '../../web/test/cast';

const env = testEnv();
const logger = createLogger('revocation-test', 'silent');
let system: RunningSystem;
let cast: Cast;
let reader: RunningConsumer | undefined;
const postingEvents: CloudEvent[] = [];

interface Posting {
  id: string;
  title: string;
  status: string;
  closedBy?: string;
}
interface Proposal {
  id: string;
  status: string;
  needOrganisationId: string;
}

beforeAll(async () => {
  system = await startSystem(env);
  cast = await seedCast(system, 'revoke');
  await seedProposals(system, cast);
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('revocation-reader') });
  reader = await consume({
    kafka,
    groupId: env.unique('revocation-reader'),
    topics: [topicName(Topics.need, env.topicPrefix), topicName(Topics.offer, env.topicPrefix)],
    schemas: { ...NeedEventSchemas, ...OfferEventSchemas },
    logger,
    fromBeginning: true,
    handler: async (e) => void postingEvents.push(e),
  });
}, 240_000);

afterAll(async () => {
  await reader?.stop();
  await system?.stop();
});

const url = () => system.webUrl;
const status = async (method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${url()}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { errors?: { path: string }[] } };
};

describe('revoking a verification closes what the organisation had open, and reinstating reopens nothing', () => {
  it('cascades from the revocation to closed postings and expired proposals, with events', async () => {
    const [coordinator, entity] = await Promise.all([
      signInApi(url(), cast.coordinator, PASSWORD),
      signInApi(url(), cast.entity.email, PASSWORD),
    ]);
    const org = cast.entity.organisationId;
    const mine = () =>
      call<{ items: Posting[] }>(
        url(),
        'GET',
        `/api/exchange/needs?organisationId=${org}&status=open`,
        entity,
      );
    const [need] = (await mine()).items;
    expect(need).toBeDefined();
    const queue = async (statuses: string) =>
      (
        await call<{ items: Proposal[] }>(
          url(),
          'GET',
          `/api/matching/proposals?status=${statuses}&limit=100`,
          coordinator,
        )
      ).items.filter((p) => p.needOrganisationId === org);
    const open = await queue('proposed,approved');
    expect(open.map((p) => p.status).sort()).toEqual(['approved', 'proposed']);

    // A revocation needs its reason: refused, nothing changes.
    const base = `/api/profiles/organisations/${org}/verification`;
    const bare = await status('POST', `${base}/revoke`, coordinator, { note: '' });
    expect(bare.status).toBe(400);
    expect(bare.body.errors?.map((e) => e.path)).toEqual(['note']);
    expect((await call<{ status: string }>(url(), 'GET', base, coordinator)).status).toBe('verified');

    const revoked = await call<{ status: string; decision: { note: string } }>(
      url(),
      'POST',
      `${base}/revoke`,
      coordinator,
      { note: 'The general assembly has not met for three years.' },
    );
    expect(revoked).toMatchObject({
      status: 'revoked',
      decision: { note: 'The general assembly has not met for three years.' },
    });

    const closed = await eventually(
      async () => {
        const n = await call<Posting>(url(), 'GET', `/api/exchange/needs/${need?.id}`, entity);
        return n.status === 'closed' ? n : undefined;
      },
      { what: 'the need closed by the exchange', timeoutMs: 30_000 },
    );
    expect(closed.closedBy).toBe('revocation');
    await eventually(
      () =>
        postingEvents.some(
          (e) =>
            e.type === 'org.mutirao.exchange.need.closed' &&
            (e.data as { need: Posting }).need.id === need?.id &&
            (e.data as { need: Posting }).need.closedBy === 'revocation',
        ),
      { what: 'the need.closed event on Kafka', timeoutMs: 30_000 },
    );
    const expired = await eventually(
      async () => {
        const ps = await queue('expired');
        return ps.length === open.length ? ps : undefined;
      },
      { what: 'the proposals expired by matching', timeoutMs: 30_000 },
    );
    expect(expired.map((p) => p.id).sort()).toEqual(open.map((p) => p.id).sort());
    // The partner's offers belong to another organisation: untouched.
    const partner = await signInApi(url(), cast.partner.email, PASSWORD);
    const offers = await call<{ items: Posting[] }>(
      url(),
      'GET',
      `/api/exchange/offers?organisationId=${cast.partner.organisationId}`,
      partner,
    );
    expect(offers.items.map((o) => o.status)).toEqual(['open', 'open']);
  });

  it('reopens nothing when the organisation is verified again: the owner renews', async () => {
    const [admin, entity, coordinator] = await Promise.all([
      signInApi(url(), system.admin.email, system.admin.password),
      signInApi(url(), cast.entity.email, PASSWORD),
      signInApi(url(), cast.coordinator, PASSWORD),
    ]);
    const org = cast.entity.organisationId;
    await call(url(), 'POST', `/api/profiles/organisations/${org}/verification/verify`, admin, {
      note: 'The assembly met and elected a new board.',
    });
    // The exchange has taken the reinstatement in once it lets the organisation publish again.
    const expiresAt = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10);
    const draft = await call<Posting>(url(), 'POST', '/api/exchange/needs', entity, {
      type: 'financing',
      title: 'Working capital after the assembly',
      description: 'For the next harvest.',
      language: 'en',
      workingLanguages: ['en'],
      sectors: ['23231'],
      sdgs: [7],
      fundingRequired: true,
      expiresAt,
      status: 'draft',
    });
    await eventually(
      async () =>
        (await status('POST', `/api/exchange/needs/${draft.id}/publish`, entity, {})).status === 200,
      { what: 'the exchange to see the organisation verified again', timeoutMs: 30_000 },
    );
    const closed = await call<{ items: Posting[] }>(
      url(),
      'GET',
      `/api/exchange/needs?organisationId=${org}&status=closed`,
      entity,
    );
    expect(closed.items.map((n) => [n.title, n.closedBy])).toEqual([
      ['Solar kiosks for the islands', 'revocation'],
    ]);
    const id = closed.items[0]?.id as string;

    const renewed = await call<Posting>(url(), 'POST', `/api/exchange/needs/${id}/renew`, entity, {
      expiresAt: new Date(Date.now() + 90 * 864e5).toISOString().slice(0, 10),
    });
    expect(renewed.status).toBe('open');
    expect(renewed.closedBy).toBeUndefined();
    // The expired proposals stay expired: a pair is proposed once ever.
    const statuses = (
      await call<{ items: Proposal[] }>(
        url(),
        'GET',
        '/api/matching/proposals?status=proposed,approved,info-requested,info-provided,expired&limit=100',
        coordinator,
      )
    ).items
      .filter((p) => p.needOrganisationId === org)
      .map((p) => p.status);
    expect(statuses).toEqual(['expired', 'expired']);
  });
});
