import type { ProposalSnapshot } from '@mutirao/contracts';
import { DomainError } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { expire, partiesOf, rerank, respond, review, visibleToParties } from './proposal';

/** The refusal a command met: the `DomainError` it threw (its kind is what HTTP answers with). */
function refusalOf(command: () => unknown): DomainError {
  try {
    command();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('the command was not refused');
}

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
    expect(d).toMatchObject({ event: 'approved', next: { status: 'approved', revision: 2 } });
    expect(d.next.review).toEqual({ decision: 'approved', by: 'coord-1', at: now.toISOString() });
  });
  it('needs a reason code to reject', () => {
    expect(refusalOf(() => review(aProposal(), { decision: 'rejected', by: 'c' }, now))).toMatchObject({
      kind: 'conflict',
    });
    expect(
      review(aProposal(), { decision: 'rejected', by: 'c', reason: 'poor-fit', note: 'n' }, now),
    ).toMatchObject({
      next: { status: 'rejected', review: { reason: 'poor-fit', note: 'n' } },
    });
  });
  it('reviews an info-requested proposal again, but not a decided one', () => {
    expect(
      review(aProposal({ status: 'info-requested' }), { decision: 'approved', by: 'c' }, now),
    ).toMatchObject({ event: 'approved', next: { status: 'approved' } });
    expect(
      refusalOf(() =>
        review(aProposal({ status: 'approved' }), { decision: 'rejected', by: 'c', reason: 'other' }, now),
      ),
    ).toMatchObject({ kind: 'conflict' });
  });
});

describe('consent', () => {
  const approved = aProposal({ status: 'approved' });
  it('counts three parties in a triad and agrees only when all accept', () => {
    expect(partiesOf(approved)).toEqual(['A', 'B', 'C']);
    const a = respond(approved, 'A', 'accept', now);
    expect(a).toMatchObject({
      event: 'accepted',
      next: { status: 'accepted', consents: { A: 'accepted' } },
    });
    const b = respond(a.next, 'B', 'accept', now);
    expect(b).toMatchObject({ event: 'accepted', next: { status: 'accepted' } });
    const c = respond(b.next, 'C', 'accept', now);
    expect(c).toMatchObject({ event: 'agreed', next: { status: 'agreed', revision: 4 } });
  });
  it('ends the proposal when any party declines', () => {
    expect(respond(approved, 'B', 'decline', now)).toMatchObject({
      event: 'declined',
      next: { status: 'declined' },
    });
  });
  it('refuses outsiders, unapproved proposals and a second answer', () => {
    expect(refusalOf(() => respond(approved, 'Z', 'accept', now))).toMatchObject({ kind: 'forbidden' });
    expect(refusalOf(() => respond(aProposal(), 'A', 'accept', now))).toMatchObject({ kind: 'conflict' });
    const a = respond(approved, 'A', 'accept', now);
    expect(refusalOf(() => respond(a.next, 'A', 'decline', now))).toMatchObject({
      kind: 'conflict',
      message: 'Your organisation already accepted this proposal.',
    });
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
      event: 'expired',
      next: { status: 'expired' },
    });
    expect(expire(aProposal({ status: 'agreed' }), now)).toBeUndefined();
    expect(expire(aProposal({ status: 'rejected' }), now)).toBeUndefined();
  });
});

describe('rerank', () => {
  it('moves an unreviewed proposal to its new place, and leaves reviewed or unchanged ones alone', () => {
    expect(rerank(aProposal({ rank: 1 }), 2, 0.6, now)).toMatchObject({
      event: 'proposed',
      next: { rank: 2, score: 0.6, revision: 2 },
    });
    expect(rerank(aProposal({ rank: 1, score: 0.7 }), 1, 0.7, now)).toBeUndefined();
    expect(rerank(aProposal({ status: 'approved' }), 3, 0.1, now)).toBeUndefined();
  });
});
