import { Topics, topicName } from '@mutirao/contracts';
import { connectMongo } from '@mutirao/outbox';
import { createLogger } from '@mutirao/telemetry';
import { eventually, testEnv } from '@mutirao/testing';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aNeed, anOffer, anOrg } from './domain/testing/factories';
import { type Matcher, startMatcher } from './matching';
import type { PendingChanges } from './store/pending';
import type { ProposalStore } from './store/proposals';
import type { ReadModel } from './store/read-model';
import { openStores, type Stores } from './store/stores';
import { ProposalTransitions } from './usecases/transitions';

/**
 * A crash between taking a change into the read model and storing the proposals it calls for: the
 * events are not redelivered (their offsets were committed), so the next start must find the work
 * itself, on a real FerretDB, without ranking every open need again.
 */

const env = testEnv();
const logger = createLogger('matching-restart-test', 'silent');
const NOW = new Date('2026-11-28T00:00:00Z');
let conn: Connection;
let stores: Stores;
let readModel: ReadModel;
let proposals: ProposalStore;
let pending: PendingChanges;
const running: Matcher[] = [];

beforeAll(async () => {
  conn = await connectMongo(env.mongoUrl, env.dbName);
  stores = await openStores(conn);
  ({ readModel, proposals, pending } = stores);
});

afterAll(async () => {
  for (const m of running) await m.stop();
  await conn?.dropDatabase();
  await conn?.close();
});

/** A matching process; `settleMs` long enough means it never gets round to proposing by itself. */
async function start(settleMs: number): Promise<Matcher> {
  const proposalTopic = topicName(Topics.proposal, env.topicPrefix);
  const m = await startMatcher({
    stores,
    transitions: new ProposalTransitions({ proposals, topic: proposalTopic, wake: () => {} }),
    proposalTopic,
    now: () => NOW,
    logger,
    wake: () => {},
    settleMs,
    maxDelayMs: settleMs,
  });
  running.push(m);
  return m;
}

const needOrg = anOrg({ id: 'org-gw', country: 'GW' });
const offerOrg = anOrg({ id: 'org-rw', country: 'RW', languages: ['fr', 'en'] });
const offer = anOffer({ id: 'offer-1', organisationId: 'org-rw', capacity: 5 });
const settledNeed = aNeed({ id: 'need-settled', organisationId: 'org-gw' });
const lateNeed = aNeed({ id: 'need-late', organisationId: 'org-gw' });
const proposed = async (needId: string) =>
  (await proposals.forNeed(needId)).filter((p) => p.status === 'proposed');

describe('a start after a crash', () => {
  it('proposes what the last process took in but never proposed, and ranks no other need', async () => {
    // A first process takes everything in and proposes: nothing is left pending.
    const first = await start(10);
    await first.changes.onOrganisations([needOrg]);
    await first.changes.onOrganisations([offerOrg]);
    await first.changes.onOffers([offer]);
    await first.changes.onNeeds([settledNeed]);
    await eventually(async () => first.idle() && (await pending.all()).length === 0, {
      what: 'the first process to propose and clear its pending changes',
    });
    expect(await proposed(settledNeed.id)).toHaveLength(1);
    await first.stop();

    // A second one takes a new need in and dies before it proposes anything.
    const second = await start(60_000);
    await second.changes.onNeeds([lateNeed]);
    expect(second.needsWaiting()).toBe(1);
    await second.stop();
    expect(await proposed(lateNeed.id)).toHaveLength(0);
    expect(await pending.all()).toEqual([{ kind: 'need', id: lateNeed.id }]);

    // The third ranks that need alone, proposes for it, and clears what was pending.
    const third = await start(10);
    expect(third.needsWaiting()).toBeLessThanOrEqual(1);
    await eventually(async () => (await proposed(lateNeed.id)).length === 1, { what: 'the late proposal' });
    await eventually(async () => (await pending.all()).length === 0, { what: 'pending changes cleared' });
    await third.stop();

    // With nothing pending, a start has nothing to rank.
    const fourth = await start(60_000);
    expect(fourth.needsWaiting()).toBe(0);
    expect(fourth.idle()).toBe(true);
    await fourth.stop();
  });

  it('expires the proposals of an offer withdrawn just before the crash', async () => {
    expect(await proposed(settledNeed.id)).toHaveLength(1);
    // What the process had done when it died: the change recorded as pending, then applied.
    const withdrawn = { ...offer, status: 'withdrawn' as const, revision: offer.revision + 1 };
    await pending.add((await pending.lastSequence()) + 1, 'offer', withdrawn.id);
    expect(await readModel.applyOffers([withdrawn])).toEqual(['applied']);

    const next = await start(10);
    await eventually(async () => (await proposed(settledNeed.id)).length === 0, {
      what: "the withdrawn offer's proposals to expire",
    });
    expect((await proposals.forNeed(settledNeed.id)).map((p) => p.status)).toEqual(['expired']);
    await eventually(async () => (await pending.all()).length === 0, { what: 'pending changes cleared' });
    await next.stop();
  });
});
