import { describe, expect, it } from 'vitest';
import { anAgreedProposal, aPairing, someIndicators } from '../../test/factories';
import { activitiesOf, codeProblems, schemaErrors } from '../../test/iati-checks';
import { decide, record } from '../domain/partnership';
import type { Partnership } from '../domain/types';
import type { OrganisationView } from '../store/catalog';
import { isOrganisationIdentifier } from './activity';
import { iatiActivities } from './xml';

const at = new Date('2027-03-01T00:00:00Z');
const reporting = { ref: 'XI-IATI-EXAMPLE', type: '90', name: 'Mutirão' };
const organisations = new Map<string, OrganisationView>([
  [
    'org-gw',
    {
      id: 'org-gw',
      name: 'Associação de Energia de Bolama',
      kind: 'sse-entity',
      sseForm: 'association',
      country: 'GW',
    },
  ],
  [
    'org-rw',
    { id: 'org-rw', name: 'Coopérative Solaire de Huye', kind: 'technology-provider', country: 'RW' },
  ],
  ['org-no', { id: 'org-no', name: 'Nordic Solidarity Fund', kind: 'financier', country: 'NO' }],
]);

function withReports(p: Partnership): Partnership {
  let next = p;
  for (const org of p.parties.map((x) => x.organisationId))
    for (const period of [3, 6]) {
      const c = decide(
        next,
        {
          type: 'file-report',
          organisationId: org,
          period,
          by: 'someone',
          report: {
            indicators: someIndicators(
              org === 'org-no' ? { amountDisbursed: { value: 20_000, currency: 'USD' } } : {},
            ),
            story: 'It worked.',
            sdgTargets: ['7.1', '8.3'],
          },
        },
        at,
      );
      if (c) next = c.next;
    }
  return next;
}

const need = { sectors: ['23231', '25010'], sdgs: [7, 8], amount: { value: 50_000, currency: 'USD' } };

describe('the IATI 2.03 export', () => {
  it('validates against the 2.03 schema, every code in its codelist; a triad has collaboration-type 8 and three roles', async () => {
    const triad = withReports(record(anAgreedProposal(), { now: at, reportPeriods: [3, 6, 12], need }));
    const pair = record(aPairing(), {
      now: at,
      reportPeriods: [3, 6, 12],
      need: { sectors: ['31120'], sdgs: [2] },
    });
    const xml = iatiActivities(
      [
        {
          partnership: triad,
          organisations,
          identifiers: new Map([['org-no', 'NO-BRC-971277882']]),
          needTitle: 'Solar mini-grid',
        },
        { partnership: pair, organisations, identifiers: new Map() },
      ],
      reporting,
      at,
    );
    expect(await schemaErrors(xml)).toEqual([]);
    expect(codeProblems(xml)).toEqual([]);
    const [a, b] = activitiesOf(xml);
    expect(a?.['iati-identifier']).toBe('XI-IATI-EXAMPLE-p-triad');
    expect(a?.['collaboration-type']).toEqual({ code: '8' });
    expect(a?.['participating-org'].map((o) => [o.role, o.ref])).toEqual([
      ['1', 'NO-BRC-971277882'],
      ['4', undefined],
      ['4', undefined],
    ]);
    expect(a?.['recipient-country']).toEqual([{ code: 'GW', percentage: '100' }]);
    expect(a?.sector?.map((s) => [s.code, s.percentage])).toEqual([
      ['23231', '50.00'],
      ['25010', '50.00'],
    ]);
    expect(a?.tag?.map((t) => `${t.vocabulary}:${t.code}`)).toEqual(['2:7', '2:8', '3:7.1', '3:8.3']);
    expect(a?.budget).toHaveLength(1);
    expect(a?.['planned-disbursement']).toHaveLength(1);
    expect(a?.transaction?.map((t) => t['transaction-type'].code)).toEqual(['3', '3']);
    // The beneficiary's figures, one period per report period filed.
    const trained = a?.result?.find((r) => JSON.stringify(r).includes('People trained'));
    expect(trained?.indicator.period.map((p) => p.actual?.value)).toEqual(['12', '12']);
    expect(b?.['collaboration-type']).toBeUndefined();
    expect(b?.['participating-org'].map((o) => o.role)).toEqual(['4', '4']);
    expect(b?.budget).toBeUndefined();
  });

  it('checks organisation identifiers against the registration agencies’ form', () => {
    expect(isOrganisationIdentifier('GB-COH-01234567')).toBe(true);
    expect(isOrganisationIdentifier('XM-DAC-41114')).toBe(true);
    expect(isOrganisationIdentifier('XI-IATI-EC_INTPA')).toBe(true);
    expect(isOrganisationIdentifier('QQ-ABC-1')).toBe(false);
    expect(isOrganisationIdentifier('mutirao')).toBe(false);
  });

  it('the schema check is real: an activity without its identifier fails', async () => {
    const p = record(aPairing(), { now: at, reportPeriods: [3], need });
    const xml = iatiActivities(
      [{ partnership: p, organisations, identifiers: new Map() }],
      reporting,
      at,
    ).replace(/<iati-identifier>.*<\/iati-identifier>/, '');
    expect((await schemaErrors(xml)).join('\n')).toMatch(/iati-identifier/);
  });
});
