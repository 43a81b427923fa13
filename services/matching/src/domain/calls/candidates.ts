import type { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import { scorePair } from '../score';
import { needCanBeAnswered, passes, singleRules } from '../triad-rules';
import type { OrganisationLookup, Pair } from '../types';
import type { CallCandidate } from './types';

/**
 * The needs a call's offer may take, each scored as the engine scores the pair: only needs that pass
 * every hard rule the engine applies to a single offer (R1–R8, and funds-alone for a need that
 * requires funding) are candidates, so no assignment can break one.
 */
export function callCandidates(
  offer: OfferSnapshot,
  needs: Iterable<NeedSnapshot>,
  organisation: OrganisationLookup,
  now: Date,
  appliedAt: (needId: string) => string | undefined = () => undefined,
): (CallCandidate & { readonly pair: Pair })[] {
  const offerOrg = organisation(offer.organisationId);
  if (!offerOrg) return [];
  const out: (CallCandidate & { pair: Pair })[] = [];
  for (const need of needs) {
    const needOrg = organisation(need.organisationId);
    if (!needOrg || !needCanBeAnswered(need, needOrg, now)) continue;
    const pair: Pair = { need, needOrg, offer, offerOrg, now };
    if (!passes(singleRules(need), pair)) continue;
    out.push({
      needId: need.id,
      score: scorePair(pair),
      country: needOrg.country,
      amount: need.amount,
      appliedAt: appliedAt(need.id),
      pair,
    });
  }
  return out;
}
