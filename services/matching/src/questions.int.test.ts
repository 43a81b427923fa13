import { type CloudEvent, ProposalEventSchemas, type ProposalSnapshot, Topics } from '@mutirao/contracts';
import { makeEnvelope, publish } from '@mutirao/messaging';
import { eventually, type TestIssuer } from '@mutirao/testing';
import type { Producer } from 'kafkajs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchingTestbed } from '../test/harness';
import { aNeed, anOffer, anOrg } from './domain/testing/factories';
import { Proposal, ProposalList } from './http/schemas';
import type { Matching } from './matching';

/** Questions and answers on a proposal: who may ask, who may answer, and what stays on it. */
const bed = matchingTestbed('matching-questions-test');
const { t } = bed;
let producer: Producer;
let runtime: Matching;
let issuer: TestIssuer;
const seen: CloudEvent[] = [];

const NOW = new Date('2026-11-28T00:00:00Z');
const needOrg = anOrg({ id: 'org-gw', country: 'GW' });
const offerOrg = anOrg({ id: 'org-rw', country: 'RW', languages: ['fr', 'en'] });
const need = aNeed({ id: 'need-q', organisationId: 'org-gw' });
const offer = anOffer({ id: 'offer-q', organisationId: 'org-rw', capacity: 2 });

async function emit(topic: string, type: string, subject: string, data: unknown): Promise<void> {
  await publish(producer, [
    { topic: t(topic), envelope: makeEnvelope({ type, source: 'test', subject, data }) },
  ]);
}

beforeAll(async () => {
  ({ issuer, producer } = await bed.setUp([Topics.organisation, Topics.need, Topics.offer, Topics.proposal]));
  runtime = await bed.start(() => NOW);
  await bed.read(Topics.proposal, ProposalEventSchemas, seen);
});

afterAll(() => bed.tearDown());

const coordinator = () =>
  issuer.sign({ sub: 'coord-wa', roles: ['coordinator'], regions: ['Western Africa'] });
const outsider = () => issuer.sign({ sub: 'coord-sa', roles: ['coordinator'], regions: ['South America'] });
const member = (org: string) => issuer.sign({ sub: `m-${org}`, org, roles: ['member'] });

const ask = async (id: string, body: object, token?: string) =>
  request(runtime.app)
    .post(`/proposals/${id}/review`)
    .set('authorization', `Bearer ${token ?? (await coordinator())}`)
    .send({ decision: 'info-requested', ...body });
const answer = async (id: string, token: string, body: object) =>
  request(runtime.app)
    .post(`/proposals/${id}/information`)
    .set('authorization', `Bearer ${token}`)
    .send(body);
const stored = async (id: string): Promise<ProposalSnapshot> =>
  (
    await request(runtime.app)
      .get(`/proposals/${id}`)
      .set('authorization', `Bearer ${await coordinator()}`)
  ).body;

describe('asking a party for information on a proposal, against real Kafka and FerretDB', () => {
  let id: string;

  it('has a proposal to review', async () => {
    await emit(Topics.organisation, 'org.mutirao.profiles.organisation.registered', needOrg.id, {
      organisation: needOrg,
    });
    await emit(Topics.organisation, 'org.mutirao.profiles.organisation.registered', offerOrg.id, {
      organisation: offerOrg,
    });
    await emit(Topics.offer, 'org.mutirao.exchange.offer.published', offer.id, { offer });
    await emit(Topics.need, 'org.mutirao.exchange.need.published', need.id, { need });
    const p = await eventually(
      async () =>
        (
          await request(runtime.app)
            .get('/proposals')
            .set('authorization', `Bearer ${await coordinator()}`)
        ).body.items?.[0] as ProposalSnapshot | undefined,
      { what: 'a proposal in the review queue' },
    );
    id = p.id;
    expect(p).toMatchObject({ status: 'proposed', revision: 1 });
  });

  it('refuses a question without words, for a non-party, or from outside the region, storing nothing', async () => {
    const empty = await ask(id, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toContainEqual({
      path: 'note',
      message: 'write the question the party is to answer',
    });
    const blank = await ask(id, { note: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toContainEqual(expect.objectContaining({ path: 'note' }));
    const stranger = await ask(id, { note: 'Why?', to: 'org-xx' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.errors).toEqual([{ path: 'to', message: 'not a party to this proposal' }]);
    const far = await ask(id, { note: 'Why?' }, await outsider());
    expect(far.status).toBe(403);
    expect(await stored(id)).toMatchObject({ status: 'proposed', revision: 1 });
    expect((await stored(id)).questions).toBeUndefined();
  });

  it('asks the need’s organisation, which alone sees the question and may answer it', async () => {
    const asked = await ask(id, { note: 'What budget do you have for the training?' });
    expect(asked.status).toBe(200);
    expect(Proposal.parse(asked.body)).toMatchObject({
      status: 'info-requested',
      revision: 2,
      questions: [
        {
          question: 'What budget do you have for the training?',
          to: 'org-gw',
          by: 'coord-wa',
          at: NOW.toISOString(),
        },
      ],
    });

    // The party asked has it among its proposals; the other party does not see it yet.
    const mine = await request(runtime.app)
      .get('/proposals/mine')
      .set('authorization', `Bearer ${await member('org-gw')}`);
    expect(ProposalList.parse(mine.body).items.map((p) => [p.id, p.status])).toEqual([
      [id, 'info-requested'],
    ]);
    const theirs = await request(runtime.app)
      .get('/proposals/mine')
      .set('authorization', `Bearer ${await member('org-rw')}`);
    expect(theirs.body.items).toEqual([]);

    // Who may not answer: the other party (it cannot even see it), staff, an empty answer.
    expect((await answer(id, await member('org-rw'), { text: 'We do' })).status).toBe(404);
    expect((await answer(id, await coordinator(), { text: 'I answer' })).status).toBe(403);
    const empty = await answer(id, await member('org-gw'), { text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'text', message: 'write your answer' }]);
    const extra = await answer(id, await member('org-gw'), { text: 'x', score: 1 });
    expect(extra.status).toBe(400);
    expect(await stored(id)).toMatchObject({ status: 'info-requested', revision: 2 });
  });

  it('takes the answer, puts the proposal back in the queue with it, and publishes info-provided', async () => {
    const res = await answer(id, await member('org-gw'), { text: 'About 12 000 USD, from our members.' });
    expect(res.status).toBe(200);
    expect(Proposal.parse(res.body)).toMatchObject({
      status: 'info-provided',
      revision: 3,
      questions: [
        {
          question: 'What budget do you have for the training?',
          answer: { text: 'About 12 000 USD, from our members.', by: 'm-org-gw', at: NOW.toISOString() },
        },
      ],
    });
    const again = await answer(id, await member('org-gw'), { text: 'More' });
    expect(again.status).toBe(409);

    const queue = await request(runtime.app)
      .get('/proposals')
      .set('authorization', `Bearer ${await coordinator()}`);
    expect(
      queue.body.items.map((p: ProposalSnapshot) => [p.id, p.status, p.questions?.[0]?.answer?.text]),
    ).toEqual([[id, 'info-provided', 'About 12 000 USD, from our members.']]);
    await eventually(
      () =>
        seen.some(
          (e) =>
            e.subject === id &&
            e.type === 'org.mutirao.matching.proposal.info-provided' &&
            (e.data as { proposal: ProposalSnapshot }).proposal.revision === 3,
        ),
      { what: 'the info-provided event' },
    );
  });

  it('asks the other party next, keeps the whole history through approval, and shows it to both', async () => {
    const asked = await ask(id, { note: 'Can you start in March?', to: 'org-rw' });
    expect(asked.body).toMatchObject({ status: 'info-requested', revision: 4 });
    // The need's organisation answered its own question already; this one is not for it.
    expect((await answer(id, await member('org-gw'), { text: 'Yes' })).status).toBe(403);
    const ok = await answer(id, await member('org-rw'), { text: 'Yes, from 1 March.' });
    expect(ok.body).toMatchObject({ status: 'info-provided', revision: 5 });

    const approved = await request(runtime.app)
      .post(`/proposals/${id}/review`)
      .set('authorization', `Bearer ${await coordinator()}`)
      .send({ decision: 'approved' });
    expect(approved.status).toBe(200);
    for (const org of ['org-gw', 'org-rw']) {
      const seenBy = await request(runtime.app)
        .get(`/proposals/${id}`)
        .set('authorization', `Bearer ${await member(org)}`);
      expect(seenBy.body.status).toBe('approved');
      expect(
        (seenBy.body as ProposalSnapshot).questions?.map((q) => [q.to, q.question, q.answer?.text]),
      ).toEqual([
        ['org-gw', 'What budget do you have for the training?', 'About 12 000 USD, from our members.'],
        ['org-rw', 'Can you start in March?', 'Yes, from 1 March.'],
      ]);
    }
    // Decided: no more answers.
    expect((await answer(id, await member('org-rw'), { text: 'More' })).status).toBe(409);
  });
});
