import { readFileSync } from 'node:fs';
import {
  country,
  currency,
  type IatiCodelist,
  iatiCode,
  sdgGoal,
  sdgTarget,
  sector,
} from '@mutirao/reference-data';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';

const SCHEMAS = new URL('../schemas/iati-2.03/', import.meta.url);
const file = (fileName: string) => ({ fileName, contents: readFileSync(new URL(fileName, SCHEMAS), 'utf8') });

/** Validates a document against the IATI 2.03 activity schema (the real XSD, with xmllint compiled to WebAssembly). */
export async function schemaErrors(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: { fileName: 'export.xml', contents: xml },
    schema: file('iati-activities-schema.xsd'),
    preload: [file('iati-common.xsd'), file('xml.xsd')],
  });
  return r.errors.map((e) => e.rawMessage);
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) =>
    [
      'iati-activity',
      'participating-org',
      'activity-date',
      'recipient-country',
      'sector',
      'tag',
      'budget',
      'planned-disbursement',
      'transaction',
      'result',
      'period',
    ].includes(name),
});

export type Activity = Record<string, unknown> & {
  'iati-identifier': string;
  'participating-org': { role: string; type?: string; ref?: string; narrative: unknown }[];
  'collaboration-type'?: { code: string };
  'recipient-country'?: { code: string }[];
  sector?: { vocabulary: string; code: string; percentage: string }[];
  tag?: { vocabulary: string; code: string }[];
  result?: { type: string; indicator: { measure: string; period: { actual?: { value: string } }[] } }[];
  budget?: { type: string; status: string; value: { currency: string } }[];
  'planned-disbursement'?: { type: string; value: { currency: string } }[];
  transaction?: { 'transaction-type': { code: string }; value: { currency: string } }[];
  'activity-status': { code: string };
  'activity-date': { type: string }[];
};

export function activitiesOf(xml: string): Activity[] {
  const doc = parser.parse(xml) as { 'iati-activities'?: { 'iati-activity'?: Activity[] } };
  return doc['iati-activities']?.['iati-activity'] ?? [];
}

/**
 * Every code of the document checked against its codelist (the schema checks none): the IATI
 * embedded lists, DAC sectors, SDG goals and targets, countries and currencies of the reference data.
 */
export function codeProblems(xml: string): string[] {
  const problems: string[] = [];
  const check = (list: IatiCodelist, code: string | undefined, where: string) => {
    if (code === undefined || iatiCode(list, code) === undefined)
      problems.push(`${where}: ${code} not in ${list}`);
  };
  const money = (v: { currency?: string } | undefined, where: string) => {
    if (v?.currency === undefined || !currency(v.currency))
      problems.push(`${where}: currency ${v?.currency}`);
  };
  for (const a of activitiesOf(xml)) {
    const id = a['iati-identifier'];
    const r = a['reporting-org'] as { type: string };
    check('OrganisationType', r.type, `${id} reporting-org`);
    for (const o of a['participating-org']) {
      check('OrganisationRole', o.role, `${id} participating-org`);
      if (o.type !== undefined) check('OrganisationType', o.type, `${id} participating-org`);
    }
    check('ActivityStatus', a['activity-status'].code, id);
    for (const d of a['activity-date']) check('ActivityDateType', d.type, id);
    const desc = a.description as { type: string };
    check('DescriptionType', desc.type, id);
    for (const c of a['recipient-country'] ?? [])
      if (!country(c.code)) problems.push(`${id}: country ${c.code}`);
    for (const s of a.sector ?? []) {
      check('SectorVocabulary', s.vocabulary, id);
      if (s.vocabulary === '1' && !sector(s.code)) problems.push(`${id}: sector ${s.code}`);
    }
    for (const t of a.tag ?? []) {
      check('TagVocabulary', t.vocabulary, id);
      if (t.vocabulary === '2' && !sdgGoal(Number(t.code))) problems.push(`${id}: SDG ${t.code}`);
      if (t.vocabulary === '3' && !sdgTarget(t.code)) problems.push(`${id}: SDG target ${t.code}`);
    }
    if (a['collaboration-type']) check('CollaborationType', a['collaboration-type'].code, id);
    for (const b of a.budget ?? []) {
      check('BudgetType', b.type, id);
      check('BudgetStatus', b.status, id);
      money(b.value, `${id} budget`);
    }
    for (const d of a['planned-disbursement'] ?? []) {
      check('BudgetType', d.type, id);
      money(d.value, `${id} planned-disbursement`);
    }
    for (const t of a.transaction ?? []) {
      check('TransactionType', t['transaction-type'].code, id);
      money(t.value, `${id} transaction`);
    }
    for (const res of a.result ?? []) {
      check('ResultType', res.type, id);
      check('IndicatorMeasure', res.indicator.measure, id);
    }
  }
  return problems;
}
