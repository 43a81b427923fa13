import type { Principal } from '@mutirao/http';
import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { Consent } from './consent';
import { Review } from './review';
import { aProposal, MemoryProposals } from './testing/memory-proposals';
import { ProposalTransitions } from './transitions';

const NOW = new Date('2026-11-28T10:00:00Z');
const westAfrica: Principal = { sub: 'kofi', roles: ['coordinator'], regions: ['Western Africa'] };
const southAmerica: Principal = { sub: 'ana', roles: ['coordinator'], regions: ['South America'] };
const admin: Principal = { sub: 'root', roles: ['admin'], regions: [] };
const member = (org: string): Principal => ({ sub: `m-${org}`, org, roles: ['member'], regions: [] });

function world() {
  const store = new MemoryProposals()
    .put(aProposal({ id: 'p-gw', needCountry: 'GW', score: 0.9 }), '2026-11-03T00:00:00.000Z')
    .put(aProposal({ id: 'p-sn', needCountry: 'SN', score: 0.8 }), '2026-11-01T00:00:00.000Z')
    .put(aProposal({ id: 'p-ke', needCountry: 'KE', score: 0.7 }), '2026-11-02T00:00:00.000Z')
    .put(aProposal({ id: 'p-br', needCountry: 'BR', score: 0.6, status: 'approved' }));
  const transitions = new ProposalTransitions({ proposals: store.store, topic: 'proposals', wake: () => {} });
  const deps = { proposals: store.store, transitions, now: () => NOW };
  return { store, review: new Review(deps), consent: new Consent(deps) };
}

const ids = (page: { items: { id: string }[] }) => page.items.map((p) => p.id);

describe('the review queue', () => {
  it("holds the proposals of the coordinator's regions, within the region asked for", async () => {
    const { review } = world();
    expect(ids(await review.queue(westAfrica, { sort: 'score', limit: 10 }))).toEqual(['p-gw', 'p-sn']);
    expect(ids(await review.queue(southAmerica, { sort: 'score', limit: 10 }))).toEqual([]);
    expect(ids(await review.queue(admin, { sort: 'score', limit: 10 }))).toEqual(['p-gw', 'p-sn', 'p-ke']);
    expect(ids(await review.queue(admin, { region: 'Eastern Africa', sort: 'score', limit: 10 }))).toEqual([
      'p-ke',
    ]);
    // A region outside the coordinator's gives nothing, not the region's proposals.
    expect(ids(await review.queue(westAfrica, { region: 'Africa', sort: 'age', limit: 10 }))).toEqual([
      'p-sn',
      'p-gw',
    ]);
    expect(ids(await review.queue(southAmerica, { status: ['approved'], sort: 'score', limit: 10 }))).toEqual(
      ['p-br'],
    );
  });

  it('pages with an opaque cursor, null on the last page, refused for another sort order', async () => {
    const { review } = world();
    const first = await review.queue(admin, { sort: 'score', limit: 2 });
    expect(ids(first)).toEqual(['p-gw', 'p-sn']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await review.queue(admin, { sort: 'score', limit: 2, cursor: first.nextCursor as string });
    expect(ids(second)).toEqual(['p-ke']);
    expect(second.nextCursor).toBeNull();
    await expect(
      review.queue(admin, { sort: 'age', limit: 2, cursor: first.nextCursor as string }),
    ).rejects.toMatchObject({ kind: 'invalid', path: 'cursor' });
    await expect(review.queue(admin, { sort: 'score', limit: 2, cursor: 'not-ours' })).rejects.toBeInstanceOf(
      DomainError,
    );
  });
});

describe('a review', () => {
  it('is recorded for a coordinator of the need’s region, with who and when', async () => {
    const { review, store } = world();
    const saved = await review.decide(westAfrica, 'p-gw', { decision: 'approved', note: 'fits' });
    expect(saved).toMatchObject({
      status: 'approved',
      revision: 2,
      review: { by: 'kofi', at: NOW.toISOString(), note: 'fits' },
    });
    expect(store.saved).toHaveLength(1);
  });

  it('is refused outside the regions (403), for no proposal (404), and for a decided one (409)', async () => {
    const { review, store } = world();
    await expect(review.decide(southAmerica, 'p-gw', { decision: 'approved' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(review.decide(westAfrica, 'nope', { decision: 'approved' })).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(review.decide(southAmerica, 'p-br', { decision: 'approved' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(store.saved).toEqual([]);
  });
});

describe('consent', () => {
  it('lists and answers the approved proposals of the organisation only', async () => {
    const { consent } = world();
    expect(ids(await consent.mine(member('org-gw')))).toEqual(['p-br']);
    expect(ids(await consent.mine(member('org-xx')))).toEqual([]);
    await expect(consent.mine(westAfrica)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await consent.answer(member('org-gw'), 'p-br', 'accept')).toMatchObject({
      status: 'accepted',
      consents: { 'org-gw': 'accepted' },
    });
    expect(await consent.answer(member('org-rw'), 'p-br', 'accept')).toMatchObject({ status: 'agreed' });
  });

  it('hides unapproved proposals and those of others (404), and refuses callers without an organisation (403)', async () => {
    const { consent, store } = world();
    await expect(consent.answer(member('org-gw'), 'p-gw', 'accept')).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(consent.answer(member('org-xx'), 'p-br', 'accept')).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(consent.answer(admin, 'p-br', 'decline')).rejects.toMatchObject({ kind: 'forbidden' });
    expect(store.saved).toEqual([]);
  });
});
