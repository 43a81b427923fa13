import { NeedSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { type Command, type Context, decide, fold } from './posting';
import { needSnapshot } from './snapshot';
import { DomainError, type NeedContent, type Posting } from './types';

/** What a revoked verification does to a posting, and how its owner gets it back. */
const T0 = new Date('2030-01-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const verified: Context = { now: T0, organisationVerified: true };
const revoked: Context = { now: T0, organisationVerified: false };

const content: NeedContent = {
  type: 'financing',
  title: 'Cold room for the market',
  description: 'Fish and fruit spoil',
  language: 'pt',
  workingLanguages: ['pt'],
  sectors: ['23231'],
  sdgs: [7],
  fundingRequired: true,
  countriesOfInterest: [],
};

function run(state: Posting<NeedContent> | undefined, cmd: Command<NeedContent>, c: Context) {
  return fold(state, decide(cmd, state, c));
}
const create = (status: 'draft' | 'open') =>
  run(
    undefined,
    { type: 'create', id: 'n1', kind: 'need', organisationId: 'org1', content, expiresAt: day(30), status },
    verified,
  ).after;

describe('a revoked verification closes open postings', () => {
  it('closes an open posting, marked as closed for the revocation, with a public closed event', () => {
    const { after, published } = run(create('open'), { type: 'close-for-revocation' }, revoked);
    expect(after).toMatchObject({ status: 'closed', closedBy: 'revocation', revision: 2 });
    expect(published.map((p) => p.name)).toEqual(['closed']);
    expect(NeedSnapshot.parse(needSnapshot(after))).toMatchObject({
      status: 'closed',
      closedBy: 'revocation',
    });
  });

  it('leaves drafts and postings already ended alone, and does nothing once verified again', () => {
    expect(decide({ type: 'close-for-revocation' }, create('draft'), revoked)).toEqual([]);
    const withdrawn = run(create('open'), { type: 'withdraw' }, revoked).after;
    expect(decide({ type: 'close-for-revocation' }, withdrawn, revoked)).toEqual([]);
    // A late or replayed revocation after reinstatement closes nothing.
    expect(decide({ type: 'close-for-revocation' }, create('open'), verified)).toEqual([]);
  });

  it('is reopened by its owner’s renewal once verified again, never before, and never by itself', () => {
    const closed = run(create('open'), { type: 'close-for-revocation' }, revoked).after;
    const renew: Command<NeedContent> = { type: 'renew', expiresAt: day(90) };
    expect(() => decide(renew, closed, revoked)).toThrow(DomainError);
    const { after, published } = run(closed, renew, verified);
    expect(after).toMatchObject({ status: 'open', expiresAt: day(90) });
    expect(after.closedBy).toBeUndefined();
    expect(published.map((p) => p.name)).toEqual(['published']);
  });

  it('keeps an owner’s own closing final', () => {
    const closed = run(create('open'), { type: 'close' }, verified).after;
    expect(closed.closedBy).toBeUndefined();
    expect(() => decide({ type: 'renew', expiresAt: day(90) }, closed, verified)).toThrow(
      /cannot be renewed/,
    );
  });
});
