import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { someFields } from '../domain/factories';
import { type Harness, startHarness } from '../test-harness';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.staff('admin');
});
afterAll(async () => {
  await h.stop();
});

const item = (ref: string, o: Record<string, unknown> = {}) => ({
  ...someFields(),
  ref,
  verified: true,
  ...o,
});
const send = (items: unknown[], token = admin) =>
  request(h.app).post('/organisations/import').set('authorization', `Bearer ${token}`).send({ items });

describe('importing organisations in batches', () => {
  it('refuses the whole batch when one item is invalid, naming the item and field, and stores nothing', async () => {
    const before = await h.counts();
    const res = await send([item('A-1'), item('A-2', { country: 'XX' }), item('A-3', { sectors: ['1'] })]);
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('items.1.country');
    expect(paths.some((p: string) => p.startsWith('items.2.sectors'))).toBe(true);
    const repeated = await send([item('A-1'), item('A-1')]);
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([expect.objectContaining({ path: 'items.1.ref' })]);
    expect(await h.counts()).toEqual(before);
  });

  it('creates, leaves unchanged, and updates what changed, with one event per change', async () => {
    const items = Array.from({ length: 60 }, (_, i) => item(`B-${i}`, { name: `Cooperativa ${i}` }));
    const first = await send(items);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { result: string }) => r.result)).toEqual(items.map(() => 'created'));
    expect(first.body.results.map((r: { ref: string }) => r.ref)).toEqual(items.map((i) => i.ref));
    const again = await send(items);
    expect(again.body.results.every((r: { result: string }) => r.result === 'unchanged')).toBe(true);
    const third = await send(items.map((x, i) => (i === 5 ? { ...x, name: 'Cooperativa cinco' } : x)));
    expect(third.body.results[5].result).toBe('updated');
    expect(third.body.results.filter((r: { result: string }) => r.result === 'updated')).toHaveLength(1);
    const id5 = third.body.results[5].id as string;
    expect(await h.eventsOf(id5, 2)).toEqual([
      { type: 'registered', revision: 1, verification: 'verified' },
      { type: 'updated', revision: 2, verification: 'verified' },
    ]);
  });

  it('lists what was imported, page by page, and only for the admin', async () => {
    const unverified = Array.from({ length: 7 }, (_, i) => item(`C-${i}`, { verified: false }));
    await send(unverified).expect(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(h.app)
        .get(`/verification/queue?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        .set('authorization', `Bearer ${admin}`)
        .expect(200);
      ids.push(...page.body.items.map((o: { ref?: string }) => o.ref));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids.filter((r) => r?.startsWith('C-'))).toEqual(unverified.map((u) => u.ref));
    const member = await h.register();
    expect((await send([item('D-1')], member.token)).status).toBe(403);
  });
});
