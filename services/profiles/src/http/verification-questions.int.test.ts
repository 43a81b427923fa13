import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test-harness';

/** Questions during a verification review: who asks, who answers, what stays, what is refused. */
let h: Harness;
let westAfrica: string;
let southAmerica: string;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  [westAfrica, southAmerica, admin] = await Promise.all([
    h.staff('coordinator', ['Western Africa']),
    h.staff('coordinator', ['South America']),
    h.staff('admin'),
  ]);
});
afterAll(async () => {
  await h.stop();
});

const senegal = { country: 'SN', languages: ['fr', 'wo'] };
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ask = (id: string, token: string, body: object) =>
  request(h.app).post(`/organisations/${id}/verification/questions`).set(as(token)).send(body);
const answer = (id: string, token: string, body: object) =>
  request(h.app).post(`/organisations/${id}/verification/answer`).set(as(token)).send(body);
const review = async (id: string) =>
  (await request(h.app).get(`/organisations/${id}/verification`).set(as(westAfrica)).expect(200)).body;

describe('asking an organisation for information during its verification', () => {
  it('refuses a question without words, or from outside the region, storing nothing', async () => {
    const { orgId } = await h.register(senegal);
    const before = await review(orgId);
    const empty = await ask(orgId, westAfrica, { question: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([
      { path: 'question', message: 'write the question the organisation is to answer' },
    ]);
    expect((await ask(orgId, southAmerica, { question: 'Why?' })).status).toBe(403);
    expect((await ask(orgId, westAfrica, { question: 'Why?', score: 1 })).status).toBe(400);
    expect(await review(orgId)).toEqual(before);
    expect(before.questions).toEqual([]);
  });

  it('asks; the organisation sees the question on its review and answers it; the coordinator reads the answer beside it', async () => {
    const { orgId, token } = await h.register(senegal);
    const other = await h.register(senegal);
    const asked = await ask(orgId, westAfrica, {
      question: 'Send the minutes of your last general assembly.',
    });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({
      status: 'pending',
      questions: [{ question: 'Send the minutes of your last general assembly.', by: expect.any(String) }],
    });
    // Still in the queue meanwhile.
    const queue = await request(h.app).get('/verification/queue').query({ limit: 100 }).set(as(westAfrica));
    expect(queue.body.items.map((o: { id: string }) => o.id)).toContain(orgId);

    // The organisation's own review shows the question.
    const own = await request(h.app).get(`/organisations/${orgId}/verification`).set(as(token)).expect(200);
    expect(own.body.questions).toHaveLength(1);

    // Who may not answer, and nothing is stored for them: another organisation, staff, an empty answer.
    expect((await answer(orgId, other.token, { text: 'We answer' })).status).toBe(403);
    expect((await answer(orgId, westAfrica, { text: 'I answer' })).status).toBe(403);
    expect((await answer(orgId, admin, { text: 'I answer' })).status).toBe(403);
    const empty = await answer(orgId, token, { text: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'text', message: 'write your answer' }]);
    expect((await review(orgId)).questions[0].answer).toBeUndefined();

    const ok = await answer(orgId, token, { text: 'Attached to our profile: minutes of 12 May.' });
    expect(ok.status).toBe(200);
    expect(ok.body.questions).toEqual([
      expect.objectContaining({
        question: 'Send the minutes of your last general assembly.',
        answer: {
          text: 'Attached to our profile: minutes of 12 May.',
          by: expect.any(String),
          at: expect.any(String),
        },
      }),
    ]);
    expect((await answer(orgId, token, { text: 'Again' })).status).toBe(409);
    expect((await review(orgId)).questions[0].answer.text).toBe(
      'Attached to our profile: minutes of 12 May.',
    );
    // A review note: the public revision did not move (no event).
    expect((await review(orgId)).revision).toBe(1);
  });

  it('refuses questions once the organisation is decided, and keeps the history after the decision', async () => {
    const { orgId, token } = await h.register(senegal);
    await ask(orgId, westAfrica, { question: 'Who sits on the board?' }).expect(200);
    await answer(orgId, token, { text: 'Five elected members.' }).expect(200);
    await request(h.app)
      .post(`/organisations/${orgId}/verification/decline`)
      .set(as(westAfrica))
      .send({ note: 'Not an SSE entity.' })
      .expect(200);
    expect((await ask(orgId, westAfrica, { question: 'And now?' })).status).toBe(409);
    expect((await review(orgId)).questions.map((q: { question: string }) => q.question)).toEqual([
      'Who sits on the board?',
    ]);
  });

  it('lists the verified organisations of the region, to revoke one', async () => {
    const partner = {
      kind: 'technology-provider' as const,
      sseForm: undefined,
      country: 'GH',
      languages: ['en'],
    };
    const [a, b] = [await h.register(partner), await h.register(partner)];
    await request(h.app)
      .post(`/organisations/${a.orgId}/verification/verify`)
      .set(as(westAfrica))
      .send({ note: 'Known partner.' })
      .expect(200);
    const listed = async (verification: string, token = westAfrica) =>
      (
        await request(h.app)
          .get('/organisations')
          .query({ verification, limit: 100 })
          .set(as(token))
          .expect(200)
      ).body.items.map((o: { id: string }) => o.id);
    expect(await listed('verified')).toContain(a.orgId);
    expect(await listed('verified')).not.toContain(b.orgId);
    expect(await listed('pending')).toContain(b.orgId);
    expect(await listed('verified', southAmerica)).not.toContain(a.orgId);
    const bad = await request(h.app)
      .get('/organisations')
      .query({ verification: 'sure' })
      .set(as(westAfrica));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('verification');
  });
});
