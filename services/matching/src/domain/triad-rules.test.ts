import { describe, expect, it } from 'vitest';
import { judge } from './rules';
import { aNeed, anOrg, aPair } from './testing/factories';
import {
  FUNDS_ALONE,
  isRejected,
  notRejected,
  proposalKey,
  TRIAD_FUNDER,
  TRIAD_PROVIDER,
  triadPartners,
  wantsTriad,
} from './triad-rules';

describe('which needs want a triad', () => {
  it('is a need that requires funding and is not itself financing', () => {
    expect(wantsTriad(aNeed({ type: 'technology', fundingRequired: true }))).toBe(true);
    expect(wantsTriad(aNeed({ type: 'technology', fundingRequired: false }))).toBe(false);
    expect(wantsTriad(aNeed({ type: 'financing', fundingRequired: true }))).toBe(false);
  });
});

describe('a single offer answers a funding-required need only if it also finances', () => {
  const need = { type: 'technology' as const, fundingRequired: true };

  it('passes when the offer provides the need type and financing', () => {
    expect(judge(FUNDS_ALONE, aPair({ need, offer: { types: ['technology', 'financing'] } })).ok).toBe(true);
  });

  it('fails when it provides the need type alone', () => {
    const v = judge(FUNDS_ALONE, aPair({ need, offer: { types: ['technology'] } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('financing');
  });
});

describe('triad provider', () => {
  it('passes for a Southern provider and a Southern beneficiary', () => {
    expect(judge(TRIAD_PROVIDER, aPair({ offer: { modalities: ['south-south'] } })).ok).toBe(true);
    expect(judge(TRIAD_PROVIDER, aPair({ offer: { modalities: ['triangular'] } })).ok).toBe(true);
    expect(judge(TRIAD_PROVIDER, aPair({ offer: { modalities: [] } })).ok).toBe(true);
  });

  it('fails for a provider in a developed country', () => {
    const v = judge(TRIAD_PROVIDER, aPair({ offerOrg: { country: 'NO', name: 'NordSol' } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('NordSol (Norway)');
  });

  it('fails for a beneficiary in a developed country', () => {
    expect(judge(TRIAD_PROVIDER, aPair({ needOrg: { country: 'DE' } })).ok).toBe(false);
  });

  it('fails for a provider that takes part only in North-South cooperation', () => {
    expect(judge(TRIAD_PROVIDER, aPair({ offer: { modalities: ['north-south'] } })).ok).toBe(false);
  });
});

describe('triad funder', () => {
  it('passes for financing offered for triangular cooperation', () => {
    expect(
      judge(TRIAD_FUNDER, aPair({ offer: { types: ['financing'], modalities: ['triangular'] } })).ok,
    ).toBe(true);
  });

  it('fails without financing', () => {
    expect(
      judge(TRIAD_FUNDER, aPair({ offer: { types: ['technology'], modalities: ['triangular'] } })).ok,
    ).toBe(false);
  });

  it('fails without the triangular modality, even with none listed', () => {
    expect(
      judge(TRIAD_FUNDER, aPair({ offer: { types: ['financing'], modalities: ['north-south'] } })).ok,
    ).toBe(false);
    expect(judge(TRIAD_FUNDER, aPair({ offer: { types: ['financing'], modalities: [] } })).ok).toBe(false);
  });
});

describe('triad partners', () => {
  it('are two different organisations', () => {
    expect(triadPartners(anOrg({ id: 'a' }), anOrg({ id: 'b' })).ok).toBe(true);
    expect(triadPartners(anOrg({ id: 'a' }), anOrg({ id: 'a' })).ok).toBe(false);
  });
});

describe('never again a rejected pairing', () => {
  const rejected = new Set([proposalKey('n1', ['o1']), proposalKey('n2', ['p', 'f'])]);

  it('passes for a pairing nobody rejected', () => {
    expect(notRejected('n1', ['o2'], rejected).ok).toBe(true);
    expect(notRejected('n2', ['o1'], rejected).ok).toBe(true);
  });

  it('fails for a rejected single pairing', () => {
    const v = notRejected('n1', ['o1'], rejected);
    expect(v).toMatchObject({ rule: 'not-rejected', ok: false });
  });

  it('keeps an offer rejected for a need out of every triad for that need', () => {
    expect(isRejected('n1', ['o1', 'f'], rejected)).toBe(true);
    expect(isRejected('n1', ['p', 'o1'], rejected)).toBe(true);
  });

  it('rules out only the rejected combination of a triad', () => {
    expect(isRejected('n2', ['p', 'f'], rejected)).toBe(true);
    expect(isRejected('n2', ['p', 'g'], rejected)).toBe(false);
    expect(isRejected('n2', ['p'], rejected)).toBe(false);
  });
});
