import { prepare } from './capacity';
import type { CallCandidate, CallTerms } from './types';

export type GreedyOrder = 'first-come' | 'best-first';

/**
 * The baselines a call is compared with (`bench/calls`): take the needs one by one, by the time they
 * applied or by score, each that still fits (places, budget, country cap). Not used to assign: the
 * solver does that.
 */
export function greedyAssignment(
  terms: CallTerms,
  candidates: readonly CallCandidate[],
  order: GreedyOrder,
): { needIds: string[]; objective: number } {
  const { items } = prepare(terms, candidates);
  const queue =
    order === 'best-first'
      ? items
      : [...items].sort(
          (a, b) => (a.appliedAt ?? '').localeCompare(b.appliedAt ?? '') || (a.needId < b.needId ? -1 : 1),
        );
  const cap = terms.fairness?.countryCap ?? Number.POSITIVE_INFINITY;
  const perCountry = new Map<string, number>();
  let left = terms.budget?.value ?? Number.POSITIVE_INFINITY;
  const needIds: string[] = [];
  let objective = 0;
  for (const item of queue) {
    if (terms.places !== undefined && needIds.length >= terms.places) break;
    const inCountry = perCountry.get(item.country) ?? 0;
    const amount = item.amount ?? 0;
    if (inCountry >= cap || amount > left) continue;
    perCountry.set(item.country, inCountry + 1);
    left -= amount;
    needIds.push(item.needId);
    objective += item.score;
  }
  return { needIds, objective };
}
