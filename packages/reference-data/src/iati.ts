import { z } from 'zod';
import { lazy, readData } from './lazy';

/**
 * The IATI 2.03 embedded codelists the IATI export writes (data/iati/codelists-2.03.json, see
 * data/README.md). The XSD does not check code values: the export's tests check each code here,
 * and the DAC sectors, SDG goals and targets, currencies and countries against the other lists of
 * this package.
 */
export const IATI_CODELISTS = [
  'ActivityDateType',
  'ActivityStatus',
  'BudgetStatus',
  'BudgetType',
  'BudgetNotProvided',
  'CollaborationType',
  'DescriptionType',
  'IndicatorMeasure',
  'OrganisationRole',
  'OrganisationType',
  'ResultType',
  'SectorVocabulary',
  'TagVocabulary',
  'TransactionType',
] as const;
export type IatiCodelist = (typeof IATI_CODELISTS)[number];

const Item = z.strictObject({ code: z.string().min(1), name: z.string().min(1) });
const File = z.strictObject({
  source: z.string(),
  // An enum-keyed record: every list must be there, and no other.
  lists: z.record(z.enum(IATI_CODELISTS), z.array(Item).min(1)),
});

const data = lazy(() => {
  const file = readData('iati/codelists-2.03.json', File);
  return new Map(IATI_CODELISTS.map((n) => [n, new Map(file.lists[n].map((i) => [i.code, i.name]))]));
});

/** The English name of an active code of an IATI codelist, or undefined when the list has no such code. */
export function iatiCode(list: IatiCodelist, code: string): string | undefined {
  return data().get(list)?.get(code);
}

/** Every code of an IATI codelist. */
export function iatiCodes(list: IatiCodelist): readonly string[] {
  return [...(data().get(list)?.keys() ?? [])];
}
