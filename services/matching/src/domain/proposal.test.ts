import type { ProposalSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { expire, partiesOf, rerank, respond, review, visibleToParties } from './proposal';

const now = new Date('2026-11-28T10:00:00Z');
const aProposal = (over: Partial<ProposalSnapshot> = {}): ProposalSnapshot => ({
  id: 'p1',
  revision: 1,
  updatedAt: '2026-11-27T00:00:00Z',
  needId: 'n1',
  offerIds: ['o1', 'o2'],
  needOrganisationId: 'A',
  offerOrganisationIds: ['B', 'C'],
  needType: 'technology',
  needCountry: 'GW',
  modality: 'triangular',
  score: 0.7,
  rank: 1,
  status: 'proposed',
  explanation: { summary: 's', rules: [], criteria: [] },
  consents: {},
  ...over,
});

describe('review', () => {
  it('approves a proposed proposal, records who and when, and bumps the revision', () => {
    const d = review(aProposal(), { decision: 'approved', by: 'coord-1' }, now);
    expect(d).toMatchObject({ ok: true, event: 'approved', next: { status: 'approved', revision: 2 } });
    if (d.ok) expect(d.next.review).toEqual({ decision: 'approved', by: 'coord-1', at: now.toISOString() });
  });
  it('needs a reason code to reject', () => {
    expect(review(aProposal(), { decision: 'rejected', by: 'c' }, now)).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(
      review(aProposal(), { decision: 'rejected', by: 'c', reason: 'poor-fit', note: 'n' }, now),
    ).toMatchObject({
      ok: true,
      next: { status: 'rejected', review: { reason: 'poor-fit', note: 'n' } },
    });
  });
  it('reviews an info-requested proposal again, but not a decided one', () => {
    expect(review(aProposal({ status: 'info-requested' }), { decision: 'approved', by: 'c' }, now).ok).toBe(
      true,
    );
    expect(
      review(aProposal({ status: 'approved' }), { decision: 'rejected', by: 'c', reason: 'other' }, now),
    ).toMatchObject({
      ok: false,
      status: 409,
    });
  });
});

describe('consent', () => {
  const approved = aProposal({ status: 'approved' });
  it('counts three parties in a triad and agrees only when all accept', () => {
    expect(partiesOf(approved)).toEqual(['A', 'B', 'C']);
    const a = respond(approved, 'A', 'accept', now);
    expect(a).toMatchObject({
      ok: true,
      event: 'accepted',
      next: { status: 'accepted', consents: { A: 'accepted' } },
    });
    if (!a.ok) return;
    const b = respond(a.next, 'B', 'accept', now);
    if (!b.ok) throw new Error('B should accept');
    const c = respond(b.next, 'C', 'accept', now);
    expect(c).toMatchObject({ ok: true, event: 'agreed', next: { status: 'agreed', revision: 4 } });
  });
  it('ends the proposal when any party declines', () => {
    expect(respond(approved, 'B', 'decline', now)).toMatchObject({
      ok: true,
      event: 'declined',
      next: { status: 'declined' },
    });
  });
  it('refuses outsiders, unapproved proposals and a second answer', () => {
    expect(respond(approved, 'Z', 'accept', now)).toMatchObject({ ok: false, status: 403 });
    expect(respond(aProposal(), 'A', 'accept', now)).toMatchObject({ ok: false, status: 409 });
    const a = respond(approved, 'A', 'accept', now);
    if (!a.ok) throw new Error('A should accept');
    expect(respond(a.next, 'A', 'decline', now)).toMatchObject({ ok: false, status: 409 });
  });
  it('shows proposals to parties only from approval on', () => {
    expect(visibleToParties('proposed')).toBe(false);
    expect(visibleToParties('info-requested')).toBe(false);
    expect(visibleToParties('rejected')).toBe(false);
    expect(visibleToParties('approved')).toBe(true);
    expect(visibleToParties('agreed')).toBe(true);
  });
});

describe('expire', () => {
  it('expires open proposals and leaves decided ones alone', () => {
    expect(expire(aProposal({ status: 'accepted' }), now)).toMatchObject({
      ok: true,
      next: { status: 'expired' },
    });
    expect(expire(aProposal({ status: 'agreed' }), now).ok).toBe(false);
    expect(expire(aProposal({ status: 'rejected' }), now).ok).toBe(false);
  });
});

describe('rerank', () => {
  it('moves an unreviewed proposal to its new place, and leaves reviewed or unchanged ones alone', () => {
    expect(rerank(aProposal({ rank: 1 }), 2, 0.6, now)).toMatchObject({
      ok: true,
      event: 'proposed',
      next: { rank: 2, score: 0.6, revision: 2 },
    });
    expect(rerank(aProposal({ rank: 1, score: 0.7 }), 1, 0.7, now).ok).toBe(false);
    expect(rerank(aProposal({ status: 'approved' }), 3, 0.1, now).ok).toBe(false);
  });
});
