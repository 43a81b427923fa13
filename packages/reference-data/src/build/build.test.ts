import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unterm } from './countries';
import { parseCsv } from './csv';
import { decodeXml, parseIatiCodelist } from './iati';
import { buildAll, serialise } from './index';
import { parseFlatYaml } from './yaml';

const dataDir = new URL('../../data/', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, dataDir), 'utf8');

describe('generated data', () => {
  it('is what scripts/convert.ts writes from the sources (re-run it after changing a source)', () => {
    for (const [path, data] of Object.entries(buildAll(read))) {
      expect(read(path), path).toBe(serialise(data));
    }
  });
});

describe('parseCsv', () => {
  it('reads quoted fields holding commas, quotes and line breaks', () => {
    const text = 'code,name,langs\r\nAF,Afghanistan,"fa-AF,ps"\r\nXX,"Say ""hi""\nthere",\r\n';
    expect(parseCsv(text)).toEqual([
      { code: 'AF', name: 'Afghanistan', langs: 'fa-AF,ps' },
      { code: 'XX', name: 'Say "hi"\nthere', langs: '' },
    ]);
  });

  it('rejects a row with the wrong number of fields', () => {
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(/3 fields/);
  });
});

describe('parseFlatYaml', () => {
  it('folds continuation lines into the value', () => {
    const yaml = '1-short: No poverty\n1-title: End poverty in all\n  its forms everywhere\n';
    expect(Object.fromEntries(parseFlatYaml(yaml))).toEqual({
      '1-short': 'No poverty',
      '1-title': 'End poverty in all its forms everywhere',
    });
  });

  it('refuses what it does not understand instead of misreading it', () => {
    expect(() => parseFlatYaml('a: "quoted"\n')).toThrow(/supported subset/);
    expect(() => parseFlatYaml('a: |\n  block\n')).toThrow(/supported subset/);
    expect(() => parseFlatYaml('a: x\na: y\n')).toThrow(/duplicate/);
  });
});

describe('parseIatiCodelist', () => {
  const xml = `<codelist><codelist-items>
    <codelist-item><code>111</code><name><narrative>Education &amp; training</narrative>
      <narrative xml:lang="fr">Éducation</narrative></name>
      <description><narrative>Not a name</narrative></description></codelist-item>
    <codelist-item status="withdrawn" withdrawal-date="2020-02-28"><code>230</code>
      <name><narrative>ENERGY</narrative></name></codelist-item>
    <codelist-item status="active"><code>23231</code><name><narrative>Solar</narrative></name>
      <category>232</category></codelist-item>
  </codelist-items></codelist>`;

  it('keeps active items with their names and category, and drops withdrawn ones', () => {
    expect(parseIatiCodelist(xml)).toEqual([
      { code: '111', name: { en: 'Education & training', fr: 'Éducation' }, category: undefined },
      { code: '23231', name: { en: 'Solar' }, category: '232' },
    ]);
  });

  it('decodes XML character references', () => {
    expect(decodeXml('R&amp;D &lt;5&gt; &#233;t&#xE9;')).toBe('R&D <5> été');
  });
});

describe('unterm', () => {
  it('drops sort articles and non-member asterisks but keeps qualifiers', () => {
    expect(unterm("Allemagne (l')")).toBe('Allemagne');
    expect(unterm('Holy See (the) *')).toBe('Holy See');
    expect(unterm('Islas Cook (las) **')).toBe('Islas Cook');
    expect(unterm('Iran (Islamic Republic of)')).toBe('Iran (Islamic Republic of)');
  });
});
