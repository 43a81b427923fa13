import { describe, expect, it } from 'vitest';
import { generateDemo } from './demo';
import { validateFile } from './validate';

describe('generateDemo', () => {
  const demo = generateDemo();

  it('writes a valid exchange file of the promised size', () => {
    const r = validateFile(JSON.parse(JSON.stringify(demo)));
    expect(r.ok ? [] : r.problems.slice(0, 5)).toEqual([]);
    expect([demo.organisations.length, demo.needs.length, demo.offers.length]).toEqual([300, 500, 700]);
  });

  it('speaks the four working languages and spans the developing regions', () => {
    expect(new Set(demo.needs.map((n) => n.language))).toEqual(new Set(['en', 'fr', 'es', 'pt']));
    const sse = demo.organisations.filter((o) => o.kind === 'sse-entity');
    expect(new Set(sse.map((o) => o.country)).size).toBeGreaterThan(40);
  });

  it('holds triangular funders and needs that want a triad', () => {
    expect(
      demo.offers.some((o) => o.types.includes('financing') && o.modalities?.includes('triangular')),
    ).toBe(true);
    expect(demo.needs.some((n) => n.fundingRequired && n.type !== 'financing')).toBe(true);
  });

  it('is the same file for the same seed', () => {
    expect(generateDemo()).toEqual(demo);
    expect(generateDemo(7).needs[0]).not.toEqual(demo.needs[0]);
  });
});
