import { country as countryOf, sdgGoal, sdgTarget, sector as sectorOf } from '@mutirao/reference-data';
import { periodFigure } from '../domain/outcomes';
import { dayOf, dueAt } from '../domain/partnership';
import type { Indicators, Partnership, PartyRole } from '../domain/types';
import type { OrganisationView } from '../store/catalog';

/** Who publishes the file: the platform's operator, as IATI identifies it. */
export interface ReportingOrg {
  ref: string;
  type: string;
  name: string;
}

/** What the export knows of a partnership beyond its record. */
export interface ActivityInput {
  partnership: Partnership;
  organisations: ReadonlyMap<string, OrganisationView>;
  /** IATI organisation identifiers the organisations gave (`GB-COH-123456`). */
  identifiers: ReadonlyMap<string, string>;
  needTitle?: string;
}

/** IATI OrganisationRole: funding 1 for the funder, implementing 4 for the provider and the beneficiary. */
export const ROLE_CODE: Record<PartyRole, string> = { funder: '1', provider: '4', beneficiary: '4' };

/** IATI ActivityStatus of each partnership status. */
export const STATUS_CODE = { ongoing: '2', completed: '3', 'ended-early': '4', 'not-started': '5' } as const;

/** IATI OrganisationType from what the profile says (90, "Other", when nothing fits better). */
export function organisationType(o: OrganisationView | undefined): string {
  if (!o) return '90';
  switch (o.kind) {
    case 'public-agency':
      return '10';
    case 'international-organisation':
      return '40';
    case 'network':
      return '23';
    case 'training-provider':
      return '80';
    case 'technology-provider':
    case 'market-partner':
      return '70';
    case 'sse-entity':
      return o.sseForm === 'cooperative' || o.sseForm === 'social-enterprise'
        ? '70'
        : o.sseForm === 'foundation'
          ? '60'
          : '22';
    case 'financier':
      return '90';
  }
}

/**
 * An organisation identifier as IATI wants it: the code of a registration agency (the
 * OrganisationRegistrationAgency list: a country code or XI/XM, a dash, the register's code), a
 * dash, and the number the register gave. Only the agency's form and country are checked here.
 */
export const ORG_IDENTIFIER = /^(?<country>[A-Z]{2})-[A-Z0-9_]+-\S+$/;
export function isOrganisationIdentifier(ref: string): boolean {
  const m = ORG_IDENTIFIER.exec(ref);
  const c = m?.groups?.country;
  return c !== undefined && (c === 'XI' || c === 'XM' || countryOf(c) !== undefined);
}

/** The counting indicators that map to IATI results: what each is and whether it is an output or an outcome. */
export const RESULT_INDICATORS: readonly {
  key: keyof Omit<Indicators, 'revenueGained' | 'amountDisbursed'>;
  type: '1' | '2';
  title: string;
}[] = [
  { key: 'peopleTrained', type: '1', title: 'People trained' },
  { key: 'technologiesAdopted', type: '1', title: 'Technologies, tools or practices adopted' },
  { key: 'membersReached', type: '2', title: 'SSE members or workers reached' },
  { key: 'jobsCreated', type: '2', title: 'Jobs created or kept' },
  { key: 'marketsGained', type: '2', title: 'New markets, buyers or sales channels gained' },
];

const text = (t: string) => ({ narrative: { '#text': t } });
const addMonths = (d: Date, months: number) => dueAt({ agreedAt: d }, months);

/** The `iati-activity` element of one partnership, as the XML builder takes it (attributes as `@_x`). */
export function activity(input: ActivityInput, reporting: ReportingOrg, at: Date): Record<string, unknown> {
  const p = input.partnership;
  const org = (id: string) => input.organisations.get(id);
  const ref = (id: string) => input.identifiers.get(id);
  const nameOf = (id: string) => org(id)?.name ?? id;
  const byRole = (role: PartyRole) => p.parties.find((x) => x.role === role);
  const beneficiary = byRole('beneficiary');
  const funder = byRole('funder');
  const provider = byRole('provider');
  const lastPeriod = Math.max(...p.reportPeriods, 12);
  const start = p.startDate;
  const plannedEnd = dayOf(addMonths(new Date(`${start}T00:00:00Z`), lastPeriod));
  const orgAttrs = (id: string) => {
    const r = ref(id);
    return { ...(r ? { '@_ref': r } : {}), '@_type': organisationType(org(id)) };
  };

  // Funder first, then provider, then beneficiary: the order money and work flow in.
  const participants = [funder, provider, beneficiary].filter((x) => x !== undefined);
  const sectors = p.sectors.filter((s) => sectorOf(s) !== undefined);
  const share = sectors.length > 0 ? Math.floor(10_000 / sectors.length) / 100 : 0;
  const targets = [...new Set(p.reports.flatMap((r) => r.sdgTargets))].filter((t) => sdgTarget(t)).sort();
  const reportedPeriods = p.reportPeriods.filter((period) => p.reports.some((r) => r.period === period));
  const periodStart = (period: number) => {
    const i = p.reportPeriods.indexOf(period);
    const prev = i > 0 ? p.reportPeriods[i - 1] : undefined;
    return dayOf(prev !== undefined ? dueAt(p, prev) : p.agreedAt);
  };

  const results = RESULT_INDICATORS.flatMap((ind) => {
    const periods = reportedPeriods.flatMap((period) => {
      const v = periodFigure(p, period, ind.key);
      return v === undefined
        ? []
        : [
            {
              'period-start': { '@_iso-date': periodStart(period) },
              'period-end': { '@_iso-date': dayOf(dueAt(p, period)) },
              actual: { '@_value': String(v) },
            },
          ];
    });
    if (periods.length === 0) return [];
    return [
      {
        '@_type': ind.type,
        '@_aggregation-status': '1',
        title: text(ind.title),
        indicator: { '@_measure': '1', '@_ascending': '1', title: text(ind.title), period: periods },
      },
    ];
  });

  const disbursed = reportedPeriods.flatMap((period) => {
    const amounts = p.reports.filter((r) => r.period === period && r.indicators.amountDisbursed);
    // The funder's own figure when it reported one: it pays.
    const r = amounts.find((x) => x.organisationId === funder?.organisationId) ?? amounts[0];
    const v = r?.indicators.amountDisbursed;
    if (!v || v.value <= 0) return [];
    return [
      {
        'transaction-type': { '@_code': '3' },
        'transaction-date': { '@_iso-date': dayOf(dueAt(p, period)) },
        value: {
          '@_currency': v.currency,
          '@_value-date': dayOf(dueAt(p, period)),
          '#text': String(v.value),
        },
        ...(funder
          ? {
              'provider-org': {
                ...(ref(funder.organisationId) ? { '@_ref': ref(funder.organisationId) } : {}),
                ...text(nameOf(funder.organisationId)),
              },
            }
          : {}),
        ...(beneficiary
          ? {
              'receiver-org': {
                ...(ref(beneficiary.organisationId) ? { '@_ref': ref(beneficiary.organisationId) } : {}),
                ...text(nameOf(beneficiary.organisationId)),
              },
            }
          : {}),
      },
    ];
  });

  const budgetEnd = dayOf(new Date(addMonths(new Date(`${start}T00:00:00Z`), 12).getTime() - 86_400_000));
  const kind = p.triad
    ? 'Triangular'
    : p.modality === 'south-south'
      ? 'South-South'
      : p.modality === 'north-south'
        ? 'North-South'
        : 'Triangular';
  const title = input.needTitle ?? `${kind} partnership: ${p.needType}`;
  const names = participants.map((x) => `${nameOf(x.organisationId)} (${x.role})`).join(', ');

  return {
    '@_last-updated-datetime': p.updatedAt.toISOString(),
    '@_xml:lang': 'en',
    ...(p.amount ? { '@_default-currency': p.amount.currency } : {}),
    '@_hierarchy': '1',
    'iati-identifier': `${reporting.ref}-${p.id}`,
    'reporting-org': { '@_ref': reporting.ref, '@_type': reporting.type, ...text(reporting.name) },
    title: text(title),
    description: {
      '@_type': '1',
      ...text(
        `${kind} cooperation in the social and solidarity economy (${p.needType}), agreed on ${dayOf(p.agreedAt)} through Mutirão between ${names}.`,
      ),
    },
    'participating-org': participants.map((x) => ({
      ...orgAttrs(x.organisationId),
      '@_role': ROLE_CODE[x.role],
      ...text(nameOf(x.organisationId)),
    })),
    'activity-status': { '@_code': STATUS_CODE[p.status] },
    'activity-date': [
      { '@_type': '1', '@_iso-date': start },
      ...(p.status !== 'not-started' && start <= dayOf(at) ? [{ '@_type': '2', '@_iso-date': start }] : []),
      { '@_type': '3', '@_iso-date': plannedEnd },
    ],
    'recipient-country': { '@_code': p.country, '@_percentage': '100' },
    ...(sectors.length > 0
      ? {
          sector: sectors.map((code, i) => ({
            '@_vocabulary': '1',
            '@_code': code,
            // The shares add up to 100 exactly: the last takes what rounding left.
            '@_percentage': (i === sectors.length - 1 ? 100 - share * (sectors.length - 1) : share).toFixed(
              2,
            ),
          })),
        }
      : {}),
    ...(p.sdgs.length + targets.length > 0
      ? {
          tag: [
            ...p.sdgs
              .filter((g) => sdgGoal(g))
              .map((g) => ({
                '@_vocabulary': '2',
                '@_code': String(g),
                ...text(sdgGoal(g)?.name.en ?? `Goal ${g}`),
              })),
            ...targets.map((t) => ({ '@_vocabulary': '3', '@_code': t, ...text(`Target ${t}`) })),
          ],
        }
      : {}),
    ...(p.triad ? { 'collaboration-type': { '@_code': '8' } } : {}),
    ...(p.amount
      ? {
          budget: {
            '@_type': '1',
            '@_status': '1',
            'period-start': { '@_iso-date': start },
            'period-end': { '@_iso-date': budgetEnd },
            value: {
              '@_currency': p.amount.currency,
              '@_value-date': start,
              '#text': String(p.amount.value),
            },
          },
          ...(funder
            ? {
                'planned-disbursement': {
                  '@_type': '1',
                  'period-start': { '@_iso-date': start },
                  'period-end': { '@_iso-date': budgetEnd },
                  value: {
                    '@_currency': p.amount.currency,
                    '@_value-date': start,
                    '#text': String(p.amount.value),
                  },
                  'provider-org': {
                    ...orgAttrs(funder.organisationId),
                    ...text(nameOf(funder.organisationId)),
                  },
                  ...(beneficiary
                    ? {
                        'receiver-org': {
                          ...orgAttrs(beneficiary.organisationId),
                          ...text(nameOf(beneficiary.organisationId)),
                        },
                      }
                    : {}),
                },
              }
            : {}),
        }
      : {}),
    ...(disbursed.length > 0 ? { transaction: disbursed } : {}),
    ...(results.length > 0 ? { result: results } : {}),
  };
}
