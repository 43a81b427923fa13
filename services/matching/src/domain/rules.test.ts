import { describe, expect, it } from 'vitest';
import {
  pairModality,
  r1OfferType,
  r2Organisations,
  r3Availability,
  r4Eligibility,
  r5Language,
  r6Sector,
  r7Amount,
  r8Modality,
} from './rules';
import { aPair, NOW } from './testing/factories';

describe('R1: the offer provides what the need asks for', () => {
  it('passes when the offer types include the need type', () => {
    expect(r1OfferType(aPair({ offer: { types: ['capacity-building', 'technology'] } })).ok).toBe(true);
  });

  it('fails, naming both, when it does not', () => {
    const v = r1OfferType(aPair({ need: { type: 'technology' }, offer: { types: ['financing'] } }));
    expect(v).toMatchObject({ rule: 'R1', ok: false });
    expect(v.reason).toContain('technology');
    expect(v.reason).toContain('financing');
  });
});

describe('R2: two different, verified organisations', () => {
  it('passes for two verified organisations', () => {
    expect(r2Organisations(aPair()).ok).toBe(true);
  });

  it('fails when the offer belongs to the organisation of the need', () => {
    const v = r2Organisations(aPair({ offerOrg: { id: 'org-need' } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('its own offer');
  });

  it.each([
    ['need', 'pending'],
    ['offer', 'revoked'],
    ['offer', 'declined'],
  ] as const)("fails when the %s's organisation is %s", (side, verification) => {
    const v = r2Organisations(
      aPair(side === 'need' ? { needOrg: { verification } } : { offerOrg: { verification } }),
    );
    expect(v.ok).toBe(false);
    expect(v.reason).toContain(verification);
  });
});

describe('R3: open, not expired, capacity left', () => {
  it('passes for open postings that expire later and an offer with capacity', () => {
    expect(r3Availability(aPair({ offer: { capacity: 1 } })).ok).toBe(true);
  });

  it('fails for an expired offer and gives the date', () => {
    const v = r3Availability(aPair({ offer: { expiresAt: '2025-05-31T23:59:59Z' } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('expired on 2025-05-31');
  });

  it('counts a posting as expired from its expiry instant on', () => {
    expect(r3Availability(aPair({ need: { expiresAt: NOW.toISOString() } })).ok).toBe(false);
    expect(r3Availability(aPair({ need: { expiresAt: new Date(NOW.getTime() + 1).toISOString() } })).ok).toBe(
      true,
    );
  });

  it('fails for an offer without capacity', () => {
    const v = r3Availability(aPair({ offer: { capacity: 0 } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('no capacity');
  });

  it.each([
    ['need', 'matched'],
    ['need', 'draft'],
    ['offer', 'withdrawn'],
    ['offer', 'closed'],
  ] as const)('fails when the %s is %s', (side, status) => {
    const v = r3Availability(aPair({ [side]: { status } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain(status);
  });

  it('judges expiry against the clock it is given', () => {
    const pair = aPair({ offer: { expiresAt: '2027-01-01T00:00:00Z' } });
    expect(r3Availability(pair).ok).toBe(true);
    expect(r3Availability({ ...pair, now: new Date('2027-06-01T00:00:00Z') }).ok).toBe(false);
  });
});

describe('R4: the eligibility the offer sets admits the need’s organisation', () => {
  it('passes when the offer sets no eligibility, or only empty lists', () => {
    expect(r4Eligibility(aPair({ offer: { eligibility: {} } })).ok).toBe(true);
    expect(r4Eligibility(aPair({ offer: { eligibility: { countries: [], regions: [] } } })).ok).toBe(true);
  });

  it('admits by country list', () => {
    expect(r4Eligibility(aPair({ offer: { eligibility: { countries: ['SN', 'GW'] } } })).ok).toBe(true);
    const v = r4Eligibility(aPair({ offer: { eligibility: { countries: ['SN', 'ML'] } } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('Guinea-Bissau');
  });

  it.each(['Western Africa', 'Sub-Saharan Africa', 'Africa'])(
    'admits a Guinea-Bissau organisation to an offer for %s (any M49 level)',
    (region) => {
      expect(r4Eligibility(aPair({ offer: { eligibility: { regions: [region] } } })).ok).toBe(true);
    },
  );

  it('keeps an organisation outside the named regions out, in words', () => {
    const v = r4Eligibility(
      aPair({ needOrg: { country: 'NP' }, offer: { eligibility: { regions: ['Sub-Saharan Africa'] } } }),
    );
    expect(v.ok).toBe(false);
    expect(v.reason).toBe(
      'The offer is open only to organisations in Sub-Saharan Africa; Organisation org-need (cooperative) is in Nepal (Southern Asia, Asia).',
    );
  });

  it('admits developing countries only when the offer says so', () => {
    expect(r4Eligibility(aPair({ offer: { eligibility: { developingOnly: true } } })).ok).toBe(true);
    expect(
      r4Eligibility(aPair({ needOrg: { country: 'DE' }, offer: { eligibility: { developingOnly: true } } }))
        .ok,
    ).toBe(false);
    expect(
      r4Eligibility(aPair({ needOrg: { country: 'DE' }, offer: { eligibility: { developingOnly: false } } }))
        .ok,
    ).toBe(true);
  });

  it('admits SSE entities of the listed forms only', () => {
    const forCoops = { eligibility: { sseForms: ['cooperative' as const] } };
    expect(r4Eligibility(aPair({ offer: forCoops })).ok).toBe(true);
    expect(r4Eligibility(aPair({ needOrg: { sseForm: 'association' }, offer: forCoops })).ok).toBe(false);
    expect(
      r4Eligibility(aPair({ needOrg: { kind: 'network', sseForm: undefined }, offer: forCoops })).ok,
    ).toBe(false);
  });

  it('admits the listed organisation kinds only', () => {
    const forNetworks = { eligibility: { organisationKinds: ['network' as const] } };
    expect(r4Eligibility(aPair({ needOrg: { kind: 'network' }, offer: forNetworks })).ok).toBe(true);
    expect(r4Eligibility(aPair({ offer: forNetworks })).ok).toBe(false);
  });

  it('demands every field the offer sets', () => {
    const v = r4Eligibility(
      aPair({
        needOrg: { sseForm: 'mutual' },
        offer: { eligibility: { countries: ['GW'], sseForms: ['cooperative'] } },
      }),
    );
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('cooperative');
    expect(v.reason).not.toContain('organisations in GW');
  });
});

describe('R5: a shared working language', () => {
  it('passes and names the shared language', () => {
    const v = r5Language(
      aPair({ need: { workingLanguages: ['pt', 'fr'] }, offer: { workingLanguages: ['en', 'fr'] } }),
    );
    expect(v.ok).toBe(true);
    expect(v.reason).toContain('French');
  });

  it('fails without one', () => {
    const v = r5Language(
      aPair({ need: { workingLanguages: ['es', 'gn'] }, offer: { workingLanguages: ['id', 'en'] } }),
    );
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('Spanish');
  });
});

describe('R6: a shared 3-digit DAC category when the offer lists sectors', () => {
  it('passes on the same code and on another code of the same category', () => {
    expect(r6Sector(aPair({ need: { sectors: ['23231'] }, offer: { sectors: ['23231'] } })).ok).toBe(true);
    expect(r6Sector(aPair({ need: { sectors: ['23231'] }, offer: { sectors: ['23210'] } })).ok).toBe(true);
  });

  it('passes when the offer lists no sectors', () => {
    expect(r6Sector(aPair({ need: { sectors: ['31140'] }, offer: { sectors: [] } })).ok).toBe(true);
  });

  it('fails across categories, naming them', () => {
    const v = r6Sector(aPair({ need: { sectors: ['31140'] }, offer: { sectors: ['23231'] } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('311');
    expect(v.reason).toContain('232');
  });

  it('fails when the offer lists sectors and the need none', () => {
    expect(r6Sector(aPair({ need: { sectors: [] }, offer: { sectors: ['23231'] } })).ok).toBe(false);
  });
});

describe('R7: the amount sought lies within the offer’s range', () => {
  const range = { min: 30_000, max: 300_000, currency: 'EUR' };

  it('passes when either side has no amount', () => {
    expect(r7Amount(aPair({ need: { amount: undefined }, offer: { amount: range } })).ok).toBe(true);
    expect(
      r7Amount(aPair({ need: { amount: { value: 5, currency: 'USD' } }, offer: { amount: undefined } })).ok,
    ).toBe(true);
  });

  it('converts to the offer’s currency before comparing', () => {
    const v = r7Amount(
      aPair({ need: { amount: { value: 80_000, currency: 'USD' } }, offer: { amount: range } }),
    );
    expect(v.ok).toBe(true);
    expect(v.reason).toContain('EUR');
    expect(
      r7Amount(aPair({ need: { amount: { value: 600_000, currency: 'USD' } }, offer: { amount: range } })).ok,
    ).toBe(false);
  });

  it('includes both ends of the range', () => {
    const usd = { min: 50_000, max: 400_000, currency: 'USD' };
    for (const value of [50_000, 400_000])
      expect(
        r7Amount(aPair({ need: { amount: { value, currency: 'USD' } }, offer: { amount: usd } })).ok,
      ).toBe(true);
    expect(
      r7Amount(aPair({ need: { amount: { value: 49_999, currency: 'USD' } }, offer: { amount: usd } })).ok,
    ).toBe(false);
  });

  it('fails, saying why, when there is no exchange rate', () => {
    const v = r7Amount(
      aPair({ need: { amount: { value: 1_000, currency: 'ZZZ' } }, offer: { amount: range } }),
    );
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('No exchange rate from ZZZ to EUR');
  });
});

describe('R8: the offer takes part in the pair’s modality', () => {
  it('names the modality from the development status of both countries', () => {
    const { needOrg, offerOrg } = aPair({ offerOrg: { country: 'RW' } });
    expect(pairModality(needOrg, offerOrg)).toBe('south-south');
    expect(pairModality(needOrg, { ...offerOrg, country: 'NO' })).toBe('north-south');
    expect(pairModality({ ...needOrg, country: 'NO' }, offerOrg)).toBeUndefined();
  });

  it('passes when the offer lists the modality, or none', () => {
    expect(r8Modality(aPair({ offer: { modalities: ['south-south', 'triangular'] } })).ok).toBe(true);
    expect(r8Modality(aPair({ offerOrg: { country: 'CH' }, offer: { modalities: [] } })).ok).toBe(true);
  });

  it('fails a direct pairing with an offer that takes part only in triangular cooperation', () => {
    const v = r8Modality(aPair({ offerOrg: { country: 'NO' }, offer: { modalities: ['triangular'] } }));
    expect(v.ok).toBe(false);
    expect(v.reason).toContain('North-South');
  });

  it('fails a South-South pairing with a North-South-only offer', () => {
    expect(r8Modality(aPair({ offer: { modalities: ['north-south'] } })).ok).toBe(false);
  });

  it('fails when the need comes from a developed country (no modality applies)', () => {
    expect(r8Modality(aPair({ needOrg: { country: 'FR' }, offer: { modalities: [] } })).ok).toBe(false);
  });
});
