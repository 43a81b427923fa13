import { type Item, SCORE_EPSILON } from './capacity';
import type { CallReason, CallTerms, ChosenNeed, LeftOutCode, LeftOutNeed } from './types';

/**
 * Why each need was chosen or left out, as codes with their numbers (the web app words them). A need
 * left out is explained by the first constraint that kept it out: the fairness floor, the places all
 * taken by higher-scored needs, its country's cap taken by higher-scored needs of that country, an
 * amount larger than what the budget has left, or else a trade-off (taking it would mean dropping
 * chosen needs worth more together).
 */
export function explainAssignment(
  terms: CallTerms,
  items: readonly Item[],
  chosen: readonly Item[],
  excluded: readonly LeftOutNeed[],
  floor: number | undefined,
): { chosen: ChosenNeed[]; leftOut: LeftOutNeed[] } {
  const chosenIds = new Set(chosen.map((item) => item.needId));
  const eligible = items.length + excluded.length;
  // The lowest-ranked of the lowest-scored chosen needs: "the lowest chosen ranked 3", not 2, when
  // the needs ranked 2 and 3 tie.
  const lowest = chosen.reduce<Item | undefined>(
    (low, item) =>
      !low || item.score < low.score || (item.score === low.score && item.rank > low.rank) ? item : low,
    undefined,
  );
  const used = chosen.reduce((sum, item) => sum + (item.amount ?? 0), 0);
  const remaining = terms.budget ? terms.budget.value - used : undefined;
  const placesFull = terms.places !== undefined && chosen.length >= terms.places;
  const cap = terms.fairness?.countryCap;
  const byCountry = new Map<string, Item[]>();
  for (const item of chosen) byCountry.set(item.country, [...(byCountry.get(item.country) ?? []), item]);

  // Scores of the needs left out so far (items come best first): a chosen need was passed over for
  // none of those tied with it, whatever order their ids give the tie.
  const leftAbove: number[] = [];
  const chosenNeeds: ChosenNeed[] = [];
  const leftOut: LeftOutNeed[] = [...excluded];
  for (const item of items) {
    const base = { needId: item.needId, score: item.score, rank: item.rank, amount: item.amount };
    if (chosenIds.has(item.needId)) {
      const params = { rank: item.rank, eligible, chosen: chosen.length, ...capacityParams(terms) };
      const passedOver = leftAbove.filter((score) => score > item.score + SCORE_EPSILON).length;
      chosenNeeds.push({
        ...base,
        reason:
          passedOver === 0
            ? { code: 'call.chosen.top', params }
            : { code: 'call.chosen.over-higher', params: { ...params, passedOver } },
      });
      continue;
    }
    leftAbove.push(item.score);
    leftOut.push({ ...base, reason: leftOutReason(item) });
  }
  return { chosen: chosenNeeds, leftOut };

  function leftOutReason(item: Item): CallReason<LeftOutCode> {
    const rank = item.rank;
    if (floor !== undefined && item.score < floor - SCORE_EPSILON)
      return { code: 'call.left-out.below-floor', params: { rank, score: item.score, floor } };
    if (placesFull && lowest && lowest.score >= item.score)
      return {
        code: 'call.left-out.places',
        params: { rank, places: terms.places ?? 0, lowestChosenRank: lowest.rank },
      };
    const mates = byCountry.get(item.country) ?? [];
    if (cap !== undefined && mates.length >= cap && mates.every((m) => m.score >= item.score))
      return { code: 'call.left-out.country-cap', params: { rank, country: item.country, cap } };
    const countryFull = cap !== undefined && mates.length >= cap;
    if (placesFull || countryFull)
      return {
        code: 'call.left-out.trade-off',
        params: { rank, ...capacityParams(terms), ...(remaining !== undefined ? { remaining } : {}) },
      };
    if (terms.budget && remaining !== undefined && (item.amount ?? 0) > remaining + 1e-6)
      return {
        code: 'call.left-out.budget',
        params: {
          rank,
          amount: item.amount ?? 0,
          remaining,
          budget: terms.budget.value,
          currency: terms.budget.currency,
        },
      };
    // Room in every constraint and no floor against it: only the solver's gap left it out.
    return { code: 'call.left-out.solver-gap', params: { rank } };
  }
}

function capacityParams(terms: CallTerms): Record<string, number | string> {
  return {
    ...(terms.places !== undefined ? { places: terms.places } : {}),
    ...(terms.budget ? { budget: terms.budget.value, currency: terms.budget.currency } : {}),
  };
}
