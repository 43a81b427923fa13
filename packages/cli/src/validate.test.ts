import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateFile } from './validate';

const sample = () =>
  JSON.parse(readFileSync(new URL('../../../scenarios/sample.exchange.json', import.meta.url), 'utf8'));

describe('validateFile', () => {
  it('accepts the public sample', () => {
    const r = validateFile(sample());
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('lists every problem of a malformed file with its JSON path', () => {
    const file = sample();
    file.format = 'mutirao.exchange/v0';
    file.organisations[0].country = 'XX';
    file.organisations[1].kind = 'sse-entity';
    delete file.organisations[1].sseForm;
    file.organisations[2].sectors = ['99999'];
    file.needs[0].organisation = 'org-missing';
    file.needs[1].ref = file.needs[0].ref;
    file.needs[2].sdgs = ['seven'];
    file.needs[3].language = 'xx';
    file.offers[0].capacity = 'two';
    file.offers[1].eligibility = { regions: ['Atlantis'] };
    file.offers[2].colour = 'blue';
    const r = validateFile(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.problems.map((p) => [p.path, p.message]));
    expect(byPath['$.format']).toMatch(/mutirao\.exchange\/v1/);
    expect(byPath['$.organisations[0].country']).toBe('unknown ISO 3166-1 country code "XX"');
    expect(byPath['$.organisations[1].sseForm']).toBe('required when kind is sse-entity');
    expect(byPath['$.organisations[2].sectors[0]']).toBe('unknown DAC 5-digit sector code "99999"');
    expect(byPath['$.needs[0].organisation']).toBe('no organisation with ref "org-missing" in this file');
    expect(byPath['$.needs[1].ref']).toMatch(/^duplicate ref/);
    expect(byPath['$.needs[2].sdgs[0]']).toMatch(/number/);
    expect(byPath['$.needs[3].language']).toBe('unknown ISO 639-1 language code "xx"');
    expect(byPath['$.offers[0].capacity']).toMatch(/number/);
    expect(byPath['$.offers[1].eligibility.regions[0]']).toBe(
      'unknown UN M49 region or sub-region name "Atlantis"',
    );
    expect(byPath['$.offers[2]']).toBe('unknown field(s): colour');
  });
});
