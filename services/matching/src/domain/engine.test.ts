import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { describe, expect, it } from 'vitest';
import { matchNeed, matchOffer } from './engine';
import { MatchIndex } from './match-index';
import { aNeed, anOffer, anOrg, NOW } from './testing/factories';
import { proposalKey } from './triad-rules';

/** A Guinea-Bissau entity needing solar technology and a handful of Southern and Northern partners. */
function world(extra: { offers?: OfferSnapshot[]; orgs?: OrganisationSnapshot[] } = {}) {
  const orgs = [
    anOrg({ id: 'gw', country: 'GW' }),
    anOrg({ id: 'rw', country: 'RW', name: 'Ingufu' }),
    anOrg({ id: 'ke', country: 'KE', name: 'Jua Kali' }),
    anOrg({ id: 'sn', country: 'SN', name: 'Teranga Solaire' }),
    anOrg({ id: 'no', country: 'NO', kind: 'financier', sseForm: undefined, name: 'NordSol' }),
    anOrg({ id: 'ch', country: 'CH', kind: 'financier', sseForm: undefined, name: 'Alpina' }),
    ...(extra.orgs ?? []),
  ];
  const offers = [
    anOffer({ id: 'rw-grid', organisationId: 'rw', sdgs: [7, 5] }),
    anOffer({ id: 'ke-grid', organisationId: 'ke', sdgs: [7] }),
    anOffer({ id: 'sn-grid', organisationId: 'sn', sectors: ['23210'], sdgs: [] }),
    anOffer({
      id: 'sn-other',
      organisationId: 'sn',
      sectors: [],
      sdgs: [],
      title: 'Advice',
      description: 'General advice',
    }),
    ...(extra.offers ?? []),
  ];
  const index = MatchIndex.build({ organisations: orgs, offers, needs: [] });
  return { index, ctx: { index, now: NOW } };
}

const need = aNeed({ id: 'n', organisationId: 'gw' });

describe('matchNeed', () => {
  it('proposes at most three offers, best first', () => {
    const { ctx } = world();
    const proposals = matchNeed(need, ctx);
    expect(proposals.map((p) => p.rank)).toEqual([1, 2, 3]);
    expect(proposals.map((p) => p.offerIds[0])).toEqual(['rw-grid', 'ke-grid', 'sn-grid']);
    for (let i = 1; i < proposals.length; i++)
      expect(proposals[i]?.score).toBeLessThanOrEqual(proposals[i - 1]?.score ?? 1);
  });

  it('labels a pairing of two Southern organisations south-south and a Northern partner north-south', () => {
    const loan = anOffer({
      id: 'ch-loan',
      organisationId: 'ch',
      types: ['technology'],
      modalities: ['north-south'],
    });
    const { index, ctx } = world({ offers: [loan] });
    index.removeOffer('ke-grid');
    index.removeOffer('sn-grid');
    const byOffer = new Map(matchNeed(need, ctx).map((p) => [p.offerIds[0], p.modality]));
    expect(byOffer.get('rw-grid')).toBe('south-south');
    expect(byOffer.get('ch-loan')).toBe('north-south');
  });

  it('proposes nothing when no offer passes the rules, and nothing for a need that is not open', () => {
    const { ctx } = world();
    expect(matchNeed(aNeed({ organisationId: 'gw', type: 'supply-chain' }), ctx)).toEqual([]);
    expect(matchNeed({ ...need, status: 'matched' }, ctx)).toEqual([]);
    expect(matchNeed(aNeed({ organisationId: 'unknown-org' }), ctx)).toEqual([]);
  });

  it('never proposes again a pairing a coordinator rejected: the next best takes its place', () => {
    const { ctx } = world();
    const proposals = matchNeed(need, { ...ctx, rejected: new Set([proposalKey('n', ['rw-grid'])]) });
    expect(proposals.map((p) => p.offerIds[0])).toEqual(['ke-grid', 'sn-grid', 'sn-other']);
  });

  it('explains each proposal: every rule passed, and a score that is the weighted sum of its parts', () => {
    const { ctx } = world();
    const [best] = matchNeed(need, ctx);
    expect(best).toBeDefined();
    if (!best) return;
    const { rules, criteria, summary } = best.explanation;
    expect(rules.map((r) => r.rule)).toEqual([
      'R1',
      'R2',
      'R3',
      'R4',
      'R5',
      'R6',
      'R7',
      'R8',
      'not-rejected',
    ]);
    expect(rules.every((r) => r.ok && r.text.length > 0)).toBe(true);
    expect(criteria.reduce((s, c) => s + c.weight * c.value, 0)).toBeCloseTo(best.score, 10);
    expect(criteria.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 10);
    expect(summary).toContain('Ingufu (Rwanda)');
    expect(summary).toContain('South-South');
  });

  it('follows the index: a withdrawn, exhausted or changed offer drops out, and comes back when it reopens', () => {
    const { index, ctx } = world();
    const ids = () => matchNeed(need, ctx).map((p) => p.offerIds[0]);
    const rw = index.offer('rw-grid') as OfferSnapshot;
    index.upsertOffer({ ...rw, revision: 2, capacity: 0 });
    expect(ids()).not.toContain('rw-grid');
    index.upsertOffer({ ...rw, revision: 3 });
    expect(ids()).toContain('rw-grid');
    index.upsertOffer({ ...rw, revision: 4, workingLanguages: ['en'] });
    expect(ids()).not.toContain('rw-grid');
    index.upsertOffer({ ...rw, revision: 5, status: 'withdrawn', workingLanguages: ['fr'] });
    expect(ids()).not.toContain('rw-grid');
    expect(index.stats().offers.items).toBe(3);
  });

  it('reads organisations at match time: an organisation that loses its verification drops out', () => {
    const { index, ctx } = world();
    index.upsertOrganisation(anOrg({ id: 'rw', country: 'RW', verification: 'revoked' }));
    expect(matchNeed(need, ctx).map((p) => p.offerIds[0])).not.toContain('rw-grid');
  });
});

describe('matchNeed for a need that requires funding', () => {
  const funded = aNeed({
    id: 'nf',
    organisationId: 'gw',
    fundingRequired: true,
    amount: { value: 50_000, currency: 'USD' },
  });
  const grant = anOffer({
    id: 'no-grant',
    organisationId: 'no',
    types: ['financing'],
    modalities: ['triangular'],
    amount: { min: 20_000, max: 150_000, currency: 'USD' },
  });

  it('proposes triads [provider, funder], labelled triangular', () => {
    const { ctx } = world({ offers: [grant] });
    const proposals = matchNeed(funded, ctx);
    expect(proposals.length).toBe(3);
    expect(proposals[0]?.offerIds).toEqual(['rw-grid', 'no-grant']);
    expect(proposals.every((p) => p.modality === 'triangular' && p.offerIds[1] === 'no-grant')).toBe(true);
    const rules = proposals[0]?.explanation.rules ?? [];
    expect(rules.filter((r) => r.role === 'provider').map((r) => r.rule)).toContain('triad-provider');
    expect(rules.filter((r) => r.role === 'funder').map((r) => r.rule)).toContain('triad-funder');
    expect(rules.every((r) => r.ok)).toBe(true);
  });

  it('proposes nothing without a funder, since the entity cannot pay', () => {
    const { ctx } = world();
    expect(matchNeed(funded, ctx)).toEqual([]);
  });

  it('does not use a funder that also provides, nor a funder that only funds directly', () => {
    const direct = { ...grant, id: 'ch-loan', organisationId: 'ch', modalities: ['north-south' as const] };
    const ownFunder = { ...grant, id: 'rw-fund', organisationId: 'rw' };
    const { index, ctx } = world({ offers: [direct, ownFunder] });
    index.removeOffer('ke-grid');
    index.removeOffer('sn-grid');
    index.removeOffer('sn-other');
    // Ingufu cannot fund its own provision; Alpina funds only North-South loans.
    expect(matchNeed(funded, ctx)).toEqual([]);
  });

  it('lets a single offer that provides both the help and the financing compete with the triads', () => {
    const both = anOffer({
      id: 'sn-both',
      organisationId: 'sn',
      types: ['technology', 'financing'],
      sdgs: [7, 5],
    });
    const { ctx } = world({ offers: [grant, both] });
    const proposals = matchNeed(funded, ctx);
    expect(proposals.some((p) => p.offerIds.length === 1 && p.offerIds[0] === 'sn-both')).toBe(true);
    expect(proposals.some((p) => p.offerIds.length === 2)).toBe(true);
  });
});

describe('matchOffer', () => {
  it('finds the open needs for which a new offer now ranks among the best', () => {
    const { index, ctx } = world();
    const needs: NeedSnapshot[] = [
      need,
      aNeed({ id: 'other-type', organisationId: 'gw', type: 'market-access' }),
      aNeed({ id: 'other-language', organisationId: 'gw', workingLanguages: ['es'] }),
    ];
    for (const n of needs) index.upsertNeed(n);
    const fresh = anOffer({ id: 'sn-best', organisationId: 'sn', sdgs: [7, 5] });
    index.upsertOffer(fresh);
    const matches = matchOffer(fresh, ctx);
    expect(matches.map((m) => m.need.id)).toEqual(['n']);
    expect(matches[0]?.proposals.some((p) => p.offerIds.includes('sn-best'))).toBe(true);
  });

  it('finds the funding-required needs a new triangular funder completes', () => {
    const { index, ctx } = world();
    const funded = aNeed({ id: 'nf', organisationId: 'gw', fundingRequired: true });
    index.upsertNeed(funded);
    const grant = anOffer({
      id: 'no-grant',
      organisationId: 'no',
      types: ['financing'],
      modalities: ['triangular'],
    });
    index.upsertOffer(grant);
    expect(matchOffer(grant, ctx).map((m) => m.need.id)).toEqual(['nf']);
  });

  it('skips the needs whose current proposals the offer cannot beat, when the service says how good they are', () => {
    const { index, ctx } = world();
    index.upsertNeed(need);
    const fresh = anOffer({ id: 'sn-best', organisationId: 'sn', sdgs: [7, 5] });
    index.upsertOffer(fresh);
    expect(matchOffer(fresh, { ...ctx, floor: () => 0.99 })).toEqual([]);
    expect(matchOffer(fresh, { ...ctx, floor: () => 0.1 }).map((m) => m.need.id)).toEqual(['n']);
  });

  it('returns nothing for an offer that is not open in the index', () => {
    const { index, ctx } = world();
    index.upsertNeed(need);
    const closed = anOffer({ id: 'closed', organisationId: 'sn', status: 'closed' });
    index.upsertOffer(closed);
    expect(matchOffer(closed, ctx)).toEqual([]);
  });
});
