import { readFileSync } from 'node:fs';
import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { convert, country, countryInRegion, sector } from '@mutirao/reference-data';
import { describe, expect, it } from 'vitest';
import { matchNeed } from './engine';
import { MatchIndex } from './match-index';
import { judge, R1, R2, R3, R4, R5, R6, R7, R8 } from './rules';
import { loadExchangeFile } from './testing/exchange-file';
import type { Pair, Proposal } from './types';

/**
 * The sample exchange of `scenarios/` and its labels: the answer a coordinator expects first for each
 * need, the needs that must stay silent, and decoys that must be kept out for a stated reason.
 */

const scenarios = new URL('../../../../scenarios/', import.meta.url);
const sample = loadExchangeFile(new URL('sample.exchange.json', scenarios));
const labels = JSON.parse(readFileSync(new URL('sample.labels.json', scenarios), 'utf8')) as {
  needs: Record<string, { best: string[][]; why: string }>;
  silent: string[];
  decoys: Record<string, string>;
};

// After the 2024-2025 pumps offer expired (2025-05-31) and before anything else does (2030-03-31).
const now = new Date('2026-11-28T00:00:00Z');
const index = MatchIndex.build(sample);
const proposals = new Map(sample.needs.map((n) => [n.id, matchNeed(n, { index, now })]));

const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i]));
const orgs = byId(sample.organisations);
const needs = byId(sample.needs);
const offers = byId(sample.offers);
const get = <T>(map: Map<string, T>, id: string): T => {
  const item = map.get(id);
  if (!item) throw new Error(`no ${id} in the sample`);
  return item;
};

describe('the sample exchange', () => {
  it('is read with a clock at which exactly the 2025 offer has expired', () => {
    const expired = [...sample.needs, ...sample.offers].filter(
      (p) => Date.parse(p.expiresAt) <= now.getTime(),
    );
    expect(expired.map((p) => p.id)).toEqual(['off-rw-solar-pumps-2025']);
  });

  it.each(Object.entries(labels.needs))('ranks the labelled best answer first for %s', (needId, label) => {
    const first = proposals.get(needId)?.[0];
    expect(first, `no proposal for ${needId}`).toBeDefined();
    expect(label.best).toContainEqual(first?.offerIds);
    expect(first?.rank).toBe(1);
  });

  it.each(labels.silent)('proposes nothing for %s', (needId) => {
    expect(proposals.get(needId)).toEqual([]);
  });

  it('never proposes a pairing that breaks a hard rule (checked from the issue’s words, not the engine’s code)', () => {
    const all = [...proposals.values()].flat();
    expect(all.length).toBeGreaterThan(labels.silent.length);
    for (const p of all) expect(violations(p), JSON.stringify(p.offerIds)).toEqual([]);
  });

  it('explains every proposal with its rules, every criterion and a summary', () => {
    for (const p of [...proposals.values()].flat()) {
      expect(p.explanation.rules.every((r) => r.ok)).toBe(true);
      expect(p.explanation.criteria.length).toBe(6 * p.offerIds.length);
      expect(p.explanation.criteria.reduce((s, c) => s + c.weight * c.value, 0)).toBeCloseTo(p.score, 10);
      expect(p.explanation.summary.length).toBeGreaterThan(40);
    }
  });

  const RULES = { R1, R2, R3, R4, R5, R6, R7, R8 };
  // "R4 region for need-a (single), need-b (single): why" gives [offer, need-a, R4], [offer, need-b, R4].
  const decoys = Object.entries(labels.decoys).flatMap(([offerId, text]) => {
    const [, rule, targets] = /^(R\d) [^:]*? for (.*?):/.exec(text) ?? [];
    return [...(targets ?? '').matchAll(/(need-[\w-]+) \(single\)/g)].map((m) => [
      offerId,
      m[1] ?? '',
      rule ?? '',
    ]);
  });

  it('reads every decoy of the labels', () => {
    expect(decoys.length).toBeGreaterThanOrEqual(Object.keys(labels.decoys).length);
  });

  it.each(decoys)('keeps %s out of the answers to %s for the stated rule %s', (offerId, needId, rule) => {
    expect(proposals.get(needId)?.some((p) => p.offerIds.length === 1 && p.offerIds[0] === offerId)).toBe(
      false,
    );
    const hardRule = RULES[rule as keyof typeof RULES];
    expect(hardRule, `unknown rule ${rule}`).toBeDefined();
    const need = get(needs, needId);
    const offer = get(offers, offerId);
    const pair: Pair = {
      need,
      offer,
      needOrg: get(orgs, need.organisationId),
      offerOrg: get(orgs, offer.organisationId),
      now,
    };
    const verdict = judge(hardRule, pair);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason.length).toBeGreaterThan(20);
  });
});

/** The hard rules restated from issue 5 with the reference data, independently of rules.ts. */
function violations(p: Proposal): string[] {
  const need = get(needs, p.needId);
  const a = get(orgs, need.organisationId);
  const found: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) found.push(what);
  };
  const developing = (o: OrganisationSnapshot) => country(o.country)?.developing === true;
  const common = (o: OfferSnapshot, role: string) => {
    const b = get(orgs, o.organisationId);
    const e = o.eligibility;
    check(a.id !== b.id && a.verification === 'verified' && b.verification === 'verified', `R2 ${role}`);
    const open = (x: NeedSnapshot | OfferSnapshot) =>
      x.status === 'open' && Date.parse(x.expiresAt) > now.getTime();
    check(open(need) && open(o) && o.capacity > 0, `R3 ${role}`);
    check(!e.countries?.length || e.countries.includes(a.country), `R4 countries ${role}`);
    check(!e.regions?.length || e.regions.some((r) => countryInRegion(a.country, r)), `R4 regions ${role}`);
    check(!e.developingOnly || developing(a), `R4 developing ${role}`);
    check(
      !e.sseForms?.length || (a.kind === 'sse-entity' && e.sseForms.includes(a.sseForm ?? 'other')),
      `R4 forms ${role}`,
    );
    check(!e.organisationKinds?.length || e.organisationKinds.includes(a.kind), `R4 kinds ${role}`);
    check(
      need.workingLanguages.some((l) => o.workingLanguages.includes(l)),
      `R5 ${role}`,
    );
    const category = (code: string) => sector(code)?.category;
    check(
      !o.sectors.length || need.sectors.some((s) => o.sectors.some((t) => category(t) === category(s))),
      `R6 ${role}`,
    );
    if (need.amount && o.amount) {
      const v = convert(need.amount.value, need.amount.currency, o.amount.currency);
      check(v !== undefined && v >= o.amount.min && v <= o.amount.max, `R7 ${role}`);
    }
    return b;
  };
  const [first, second] = p.offerIds.map((id) => get(offers, id));
  if (!first) return ['no offer'];
  if (!second) {
    const b = common(first, 'single');
    check(first.types.includes(need.type), 'R1');
    const modality = developing(a) ? (developing(b) ? 'south-south' : 'north-south') : undefined;
    check(modality !== undefined && p.modality === modality, 'modality');
    check(!first.modalities.length || first.modalities.includes(p.modality), 'R8');
    if (need.fundingRequired && need.type !== 'financing')
      check(first.types.includes('financing'), 'a funding-required need answered alone without financing');
    return found;
  }
  const provider = common(first, 'provider');
  const funder = common(second, 'funder');
  check(
    need.fundingRequired && need.type !== 'financing',
    'a triad for a need that does not require funding',
  );
  check(p.modality === 'triangular', 'triad modality');
  check(first.types.includes(need.type), 'R1 provider');
  check(developing(a) && developing(provider), 'provider and beneficiary in developing countries');
  check(
    !first.modalities.length || first.modalities.some((m) => m === 'south-south' || m === 'triangular'),
    'provider modalities',
  );
  check(
    second.types.includes('financing') && second.modalities.includes('triangular'),
    'funder finances triads',
  );
  check(funder.id !== a.id && funder.id !== provider.id, 'funder is a third organisation');
  return found;
}
