import { describe, expect, it } from 'vitest';
import { CRITERIA, type PartValues, WEIGHTS } from '../score';
import type { Proposal } from '../types';
import { type DecisionRecord, pairKind, proposalFeatures } from './decisions';
import { train, weightsFor } from './model';
import { rerank } from './rerank';

const flat = (overrides: Partial<PartValues> = {}): PartValues => ({
  sector: 0.5,
  geography: 0.5,
  text: 0.5,
  sdg: 0.5,
  amount: 0.5,
  priority: 0.5,
  ...overrides,
});

let seq = 0;
function decision(overrides: Partial<DecisionRecord>): DecisionRecord {
  seq += 1;
  return {
    proposalId: `p${seq}`,
    needId: `n${seq}`,
    kind: 'review',
    decision: 'rejected',
    region: 'africa',
    pairKind: pairKind('technology', 'south-south'),
    features: flat(),
    at: '2026-11-28T00:00:00Z',
    ...overrides,
  };
}

/** A need's slate: the approved proposal is nearer, the rejected one fits the sector better. */
function nearerPreferred(region: string, needId: string): DecisionRecord[] {
  return [
    decision({ needId, region, decision: 'approved', features: flat({ geography: 1, sector: 0.4 }) }),
    decision({ needId, region, decision: 'rejected', features: flat({ geography: 0.2, sector: 0.8 }) }),
  ];
}

function proposal(offerId: string, values: PartValues, rank: number): Proposal {
  const criteria = CRITERIA.map((name) => ({
    name,
    weight: WEIGHTS[name],
    value: values[name],
    text: '',
    sentence: { code: 'criterion.sector', params: {} },
    offerId,
    role: 'offer' as const,
  }));
  return {
    needId: 'need',
    offerIds: [offerId],
    modality: 'south-south',
    score: CRITERIA.reduce((s, c) => s + WEIGHTS[c] * values[c], 0),
    rank,
    explanation: { rules: [], criteria, summary: '', summarySentences: [] },
  };
}

describe('learning from decisions', () => {
  it('without decisions keeps the engine weights', () => {
    const model = train([]);
    for (const c of CRITERIA) expect(model.global[c]).toBeCloseTo(WEIGHTS[c], 9);
  });

  it('gives a region whose coordinators preferred nearer offers its own, heavier geography weight, and says so', () => {
    const log = Array.from({ length: 50 }, (_, i) => nearerPreferred('africa', `a${i}`));
    const model = train([...log.flat(), ...nearerPreferred('asia', 'b0')]);
    const africa = weightsFor(model, 'africa');
    expect(model.regions.has('africa')).toBe(true);
    expect(model.regions.has('asia')).toBe(false);
    expect(africa.geography).toBeGreaterThan(WEIGHTS.geography + 0.05);
    expect(africa.sector).toBeLessThan(WEIGHTS.sector);

    const sectorFit = proposal('sector-fit', flat({ sector: 1, geography: 0.4 }), 1);
    const near = proposal('near', flat({ sector: 0.4, geography: 1 }), 2);
    expect(sectorFit.score).toBeGreaterThan(near.score);
    const ranked = rerank([sectorFit, near], {
      model,
      region: 'africa',
      parties: () => [],
      kind: () => 'technology/south-south',
    });
    expect(ranked.map((p) => [p.offerIds[0], p.rank, p.engineRank])).toEqual([
      ['near', 1, 2],
      ['sector-fit', 2, 1],
    ]);
    const note = ranked[0]?.learning[0];
    expect(note).toMatchObject({ code: 'learning.region', params: { region: 'africa', pairs: 50 } });
    expect(note?.shifts?.[0]).toMatchObject({ criterion: 'geography', from: WEIGHTS.geography });
  });

  it('raises the weight of the criterion a rejection reason names', () => {
    const rejections = Array.from({ length: 30 }, () =>
      decision({ reason: 'wrong-sector', features: flat({ sector: 0.1 }) }),
    );
    const model = train(rejections);
    expect(model.global.sector).toBeGreaterThan(WEIGHTS.sector + 0.02);
    // Without a reason naming a criterion, lone rejections teach nothing.
    const plain = train(rejections.map((d) => ({ ...d, reason: 'poor-fit' as const })));
    expect(plain.global.sector).toBeCloseTo(WEIGHTS.sector, 9);
  });

  it('lowers a kind of pair for the party that was not interested, and for no one else', () => {
    const model = train([
      decision({
        kind: 'consent',
        decision: 'declined',
        reason: 'not-interested',
        organisationId: 'org-a',
        pairKind: 'technology/south-south',
      }),
    ]);
    const a = proposal('a', flat({ sector: 1 }), 1);
    const b = proposal('b', flat(), 2);
    const parties = (p: Proposal) => (p.offerIds[0] === 'a' ? ['org-need', 'org-a'] : ['org-need', 'org-b']);
    const ranked = rerank([a, b], { model, region: 'africa', parties, kind: () => 'technology/south-south' });
    expect(ranked[0]?.offerIds).toEqual(['b']);
    expect(ranked[1]?.learning).toEqual([
      {
        code: 'learning.not-interested',
        params: { organisationId: 'org-a', kind: 'technology/south-south', factor: 0.7 },
      },
    ]);
    const other = rerank([a, b], { model, region: 'africa', parties, kind: () => 'financing/south-south' });
    expect(other[0]?.offerIds).toEqual(['a']);
  });

  it("reads a triad's features with its roles folded together, so the engine weights give its score", () => {
    const sentence = { code: 'criterion.sector', params: {} };
    const criteria = CRITERIA.flatMap((name) => [
      {
        name,
        weight: WEIGHTS[name] * 0.65,
        value: 1,
        text: '',
        sentence,
        offerId: 'p',
        role: 'provider' as const,
      },
      {
        name,
        weight: WEIGHTS[name] * 0.35,
        value: 0,
        text: '',
        sentence,
        offerId: 'f',
        role: 'funder' as const,
      },
    ]);
    const features = proposalFeatures({
      explanation: { rules: [], criteria, summary: '', summarySentences: [] },
    });
    for (const c of CRITERIA) expect(features[c]).toBeCloseTo(0.65, 9);
  });
});
