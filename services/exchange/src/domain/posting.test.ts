import { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { canEdit, canSee, canSeeConfidential } from './access';
import { type Command, type Context, decide, fold } from './posting';
import { needSnapshot, offerSnapshot } from './snapshot';
import { type Content, DomainError, type NeedContent, type OfferContent, type Posting } from './types';

const T0 = new Date('2030-01-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const ctx = (over: Partial<Context> = {}): Context => ({ now: T0, organisationVerified: true, ...over });

const needContent = (over: Partial<NeedContent> = {}): NeedContent => ({
  type: 'financing',
  title: 'Cold room for the market',
  description: 'Fish and fruit spoil',
  language: 'pt',
  workingLanguages: ['pt', 'fr'],
  sectors: ['23231'],
  sdgs: [7],
  fundingRequired: true,
  countriesOfInterest: [],
  confidentialNotes: 'board minutes attached',
  ...over,
});
const offerContent = (over: Partial<OfferContent> = {}): OfferContent => ({
  types: ['technology'],
  instrument: 'technical-assistance',
  title: 'Solar mini-grids',
  description: 'We install them',
  language: 'en',
  workingLanguages: ['en'],
  sectors: [],
  sdgs: [7],
  eligibility: { regions: ['Sub-Saharan Africa'] },
  priorities: ['ldc'],
  modalities: ['south-south'],
  capacity: 1,
  ...over,
});

function run<C extends Content>(state: Posting<C> | undefined, cmd: Command<C>, c = ctx()) {
  return fold(state, decide(cmd, state, c));
}
const aNeed = (status: 'draft' | 'open' = 'open', over: Partial<NeedContent> = {}) =>
  run<NeedContent>(undefined, {
    type: 'create',
    id: 'n1',
    kind: 'need',
    organisationId: 'org1',
    content: needContent(over),
    expiresAt: day(30),
    status,
  }).after;
const anOffer = (over: Partial<OfferContent> = {}) =>
  run<OfferContent>(undefined, {
    type: 'create',
    id: 'o1',
    kind: 'offer',
    organisationId: 'org2',
    content: offerContent(over),
    expiresAt: day(30),
    status: 'open',
  }).after;

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('posting lifecycle rules', () => {
  it('publishes an open need at revision 1 with a public snapshot that hides confidential notes', () => {
    const { after, published } = run<NeedContent>(undefined, {
      type: 'create',
      id: 'n1',
      kind: 'need',
      organisationId: 'org1',
      content: needContent(),
      expiresAt: day(30),
      status: 'open',
    });
    expect(after).toMatchObject({ status: 'open', revision: 1 });
    expect(published.map((p) => p.name)).toEqual(['published']);
    const snap = needSnapshot(after);
    expect(NeedSnapshot.parse(snap)).toEqual(snap);
    expect(JSON.stringify(snap)).not.toContain('board minutes');
  });

  it('keeps drafts private: no public event until published, and only a verified organisation publishes', () => {
    const draft = aNeed('draft');
    expect(draft.status).toBe('draft');
    const edited = run(draft, { type: 'edit', content: needContent({ title: 'New' }), expiresAt: day(40) });
    expect(edited.published).toEqual([]);
    expect(edited.after.revision).toBe(2);
    expect(refusal(() => decide({ type: 'publish' }, draft, ctx({ organisationVerified: false }))).kind).toBe(
      'forbidden',
    );
    const pub = run(edited.after, { type: 'publish' });
    expect(pub.published.map((p) => p.name)).toEqual(['published']);
    expect(pub.after).toMatchObject({ status: 'open', revision: 3 });
    expect(run(draft, { type: 'withdraw' }).published).toEqual([]);
  });

  it('refuses an expiry in the past, and an edit of a posting that is no longer open', () => {
    const e = refusal(() =>
      decide(
        {
          type: 'create',
          id: 'n2',
          kind: 'need',
          organisationId: 'o',
          content: needContent(),
          expiresAt: day(-1),
          status: 'open',
        },
        undefined,
        ctx(),
      ),
    );
    expect(e).toMatchObject({ kind: 'invalid', path: 'expiresAt' });
    const withdrawn = run(aNeed(), { type: 'withdraw' }).after;
    expect(
      refusal(() => decide({ type: 'edit', content: needContent(), expiresAt: day(9) }, withdrawn, ctx()))
        .kind,
    ).toBe('conflict');
  });

  it('expires an open posting at its date, and the owner renews it into open again', () => {
    const open = aNeed();
    expect(decide({ type: 'expire' }, open, ctx({ now: day(29) }))).toEqual([]);
    const expired = run(open, { type: 'expire' }, ctx({ now: day(30) }));
    expect(expired.published.map((p) => p.name)).toEqual(['expired']);
    expect(expired.after.status).toBe('expired');
    expect(decide({ type: 'expire' }, expired.after, ctx({ now: day(31) }))).toEqual([]);
    const renewed = run(expired.after, { type: 'renew', expiresAt: day(90) }, ctx({ now: day(31) }));
    expect(renewed.published.map((p) => p.name)).toEqual(['published']);
    expect(renewed.after).toMatchObject({ status: 'open', revision: 3, expiresAt: day(90) });
  });

  it('applies an agreement once: the need is matched, the offer loses one unit and stays open at zero', () => {
    const need = run(aNeed(), { type: 'agree', proposalId: 'p1' });
    expect(need.published.map((p) => p.name)).toEqual(['matched']);
    expect(decide({ type: 'agree', proposalId: 'p1' }, need.after, ctx())).toEqual([]);
    const offer = run(anOffer({ capacity: 1 }), { type: 'agree', proposalId: 'p1' });
    expect(offer.published.map((p) => p.name)).toEqual(['capacity-changed']);
    expect(offer.after.content.capacity).toBe(0);
    expect(offer.after.status).toBe('open');
    expect(OfferSnapshot.parse(offerSnapshot(offer.after)).capacity).toBe(0);
    expect(decide({ type: 'agree', proposalId: 'p1' }, offer.after, ctx())).toEqual([]);
    const second = run(offer.after, { type: 'agree', proposalId: 'p2' });
    expect(second.published).toEqual([]);
    expect(second.after.revision).toBe(offer.after.revision);
    expect(second.after.appliedProposals).toEqual(['p1', 'p2']);
  });

  it('imports idempotently: the same content changes nothing, a change is one update, a past date expires', () => {
    const open = aNeed();
    const same = {
      type: 'import' as const,
      organisationId: 'org1',
      content: needContent(),
      expiresAt: day(30),
    };
    expect(decide({ ...same, status: 'open' }, open, ctx())).toEqual([]);
    const changed = run(open, { ...same, status: 'open', content: needContent({ sdgs: [7, 5] }) });
    expect(changed.published.map((p) => p.name)).toEqual(['updated']);
    expect(refusal(() => decide({ ...same, status: 'draft', expiresAt: day(31) }, open, ctx())).kind).toBe(
      'conflict',
    );
    expect(
      refusal(() => decide({ ...same, status: 'open', organisationId: 'other' }, open, ctx())).kind,
    ).toBe('conflict');
    const created = run<NeedContent>(
      undefined,
      {
        type: 'create',
        id: 'n9',
        kind: 'need',
        organisationId: 'org1',
        content: needContent(),
        expiresAt: day(-5),
        status: 'open',
        pastExpiryExpires: true,
      },
      ctx(),
    );
    expect(created.after.status).toBe('expired');
    expect(created.published.map((p) => p.name)).toEqual(['expired']);
  });
});

describe('access', () => {
  const posting = { organisationId: 'org1', status: 'draft' as const };
  const member = { sub: 'u', org: 'org1', roles: ['member'], regions: [] };
  const stranger = { sub: 'v', org: 'org2', roles: ['member'], regions: [] };
  const coordinator = { sub: 'c', roles: ['coordinator'], regions: ['Western Africa'] };
  it('lets owners and the admin edit, hides drafts from others, and scopes coordinators to regions', () => {
    expect(canEdit(member, posting)).toBe(true);
    expect(canEdit(stranger, posting)).toBe(false);
    expect(canEdit({ sub: 'a', roles: ['admin'], regions: [] }, posting)).toBe(true);
    expect(canSee(stranger, posting)).toBe(false);
    expect(canSee(stranger, { ...posting, status: 'open' })).toBe(true);
    expect(canSeeConfidential(coordinator, posting, 'GW')).toBe(true);
    expect(canSeeConfidential(coordinator, posting, 'PE')).toBe(false);
    expect(canSeeConfidential(stranger, posting, 'GW')).toBe(false);
  });
});
