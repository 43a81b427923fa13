import { XMLBuilder } from 'fast-xml-parser';
import type { ActivityInput, ReportingOrg } from './activity';
import { activity } from './activity';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
});

/** An `iati-activities` document (IATI Activity Standard 2.03), one activity per partnership. */
export function iatiActivities(inputs: readonly ActivityInput[], reporting: ReportingOrg, at: Date): string {
  const doc = {
    'iati-activities': {
      '@_version': '2.03',
      '@_generated-datetime': at.toISOString(),
      ...(inputs.length > 0 ? { 'iati-activity': inputs.map((i) => activity(i, reporting, at)) } : {}),
    },
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc)}`;
}
