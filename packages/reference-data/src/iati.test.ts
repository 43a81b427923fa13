import { describe, expect, it } from 'vitest';
import { IATI_CODELISTS, iatiCode, iatiCodes } from './iati';
import { KnownSdgTarget } from './zod';

describe('IATI 2.03 codelists', () => {
  it('knows the codes the export writes, and no others', () => {
    expect(iatiCode('CollaborationType', '8')).toMatch(/triangular co-operation/);
    expect(iatiCode('OrganisationRole', '1')).toBe('Funding');
    expect(iatiCode('OrganisationRole', '4')).toBe('Implementing');
    expect(iatiCode('OrganisationRole', '5')).toBeUndefined();
    expect(iatiCode('TagVocabulary', '2')).toMatch(/SDG/);
    expect(iatiCode('TagVocabulary', '3')).toMatch(/Targets/);
    expect(iatiCodes('ActivityStatus')).toEqual(['1', '2', '3', '4', '5', '6']);
    for (const list of IATI_CODELISTS) expect(iatiCodes(list).length).toBeGreaterThan(0);
  });

  it('checks SDG targets against the UN list', () => {
    expect(KnownSdgTarget.safeParse('8.3').success).toBe(true);
    expect(KnownSdgTarget.safeParse('1.a').success).toBe(true);
    const unknown = KnownSdgTarget.safeParse('8.99');
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toBe('unknown SDG target "8.99"');
    expect(KnownSdgTarget.safeParse('eight').error?.issues[0]?.message).toMatch(/SDG target code/);
  });
});
