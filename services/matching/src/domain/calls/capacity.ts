import { convert } from '@mutirao/reference-data';
import { type LinearModel, ModelBuilder } from './linear';
import type { CallCandidate, CallTerms, LeftOutNeed } from './types';

/** A candidate the model can choose: ranked, with its amount in the call's currency. */
export interface Item {
  readonly needId: string;
  readonly score: number;
  readonly rank: number;
  readonly country: string;
  readonly amount?: number;
  readonly appliedAt?: string;
}

export interface Prepared {
  /** Best first. */
  readonly items: readonly Item[];
  /** Candidates a budget call cannot weigh: no amount, or no rate to the call's currency. */
  readonly excluded: readonly LeftOutNeed[];
}

/** Ranks the candidates (score, then need id) and puts their amounts in the call's currency. */
export function prepare(terms: CallTerms, candidates: readonly CallCandidate[]): Prepared {
  const ranked = [...candidates].sort((a, b) => b.score - a.score || (a.needId < b.needId ? -1 : 1));
  const items: Item[] = [];
  const excluded: LeftOutNeed[] = [];
  for (const [i, c] of ranked.entries()) {
    const rank = i + 1;
    const base = { needId: c.needId, score: c.score, rank, country: c.country, appliedAt: c.appliedAt };
    const budget = terms.budget;
    const amount = !budget
      ? undefined
      : c.amount?.currency === budget.currency
        ? c.amount.value
        : c.amount && convert(c.amount.value, c.amount.currency, budget.currency);
    if (!budget) items.push(base);
    else if (!c.amount)
      excluded.push({ ...base, reason: { code: 'call.left-out.no-amount', params: { rank } } });
    else if (amount === undefined)
      excluded.push({
        ...base,
        reason: { code: 'call.left-out.no-rate', params: { rank, currency: c.amount.currency } },
      });
    else items.push({ ...base, amount });
  }
  return { items, excluded };
}

export interface ModelOptions {
  /** false: the LP relaxation (each need taken in part), the bound the bench compares with. */
  readonly integer: boolean;
  /** Choose at least this many needs. */
  readonly atLeast?: number;
  /** Needs scoring below this cannot be chosen. */
  readonly floor?: number;
  /** Maximise the lowest chosen score instead of the sum (one more column, the floor z). */
  readonly maximin?: boolean;
  readonly mipRelGap?: number;
}

/** Scores differ by more than this or are the same score. */
export const SCORE_EPSILON = 1e-9;

/**
 * x_j ∈ {0, 1} for each item: maximise Σ score_j·x_j under Σ x_j ≤ places, Σ amount_j·x_j ≤ budget
 * and, per country, Σ x_j ≤ cap. With `maximin`, maximise z with z ≤ score_j + (1 − x_j) for every
 * item (scores lie in 0–1, so 1 is a big enough M): z is then the lowest chosen score.
 */
export function capacityModel(terms: CallTerms, items: readonly Item[], options: ModelOptions): LinearModel {
  const n = items.length;
  const cost = items.map((item) => (options.maximin ? 0 : item.score));
  if (options.maximin) cost.push(1);
  const m = new ModelBuilder(cost, options.integer);
  const all = items.map((_, j) => j);
  if (options.maximin) {
    m.integer[n] = false;
    m.colUpper[n] = 1;
  }
  if (options.floor !== undefined) {
    const floor = options.floor;
    items.forEach((item, j) => {
      if (item.score < floor - SCORE_EPSILON) m.colUpper[j] = 0;
    });
  }
  if (terms.places !== undefined) m.row(all, 1, Number.NEGATIVE_INFINITY, terms.places);
  if (terms.budget)
    m.row(
      all,
      items.map((item) => item.amount ?? 0),
      Number.NEGATIVE_INFINITY,
      terms.budget.value,
    );
  const cap = terms.fairness?.countryCap;
  if (cap !== undefined) {
    const byCountry = new Map<string, number[]>();
    items.forEach((item, j) => {
      const list = byCountry.get(item.country) ?? [];
      list.push(j);
      byCountry.set(item.country, list);
    });
    for (const columns of byCountry.values())
      if (columns.length > cap) m.row(columns, 1, Number.NEGATIVE_INFINITY, cap);
  }
  if (options.atLeast !== undefined && options.atLeast > 0)
    m.row(all, 1, options.atLeast, Number.POSITIVE_INFINITY);
  if (options.maximin)
    items.forEach((item, j) => {
      m.row([j, n], [1, 1], Number.NEGATIVE_INFINITY, 1 + item.score);
    });
  return m.build({ sense: 'max', mipRelGap: options.mipRelGap });
}
