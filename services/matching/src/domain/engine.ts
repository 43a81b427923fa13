import type { NeedSnapshot, OfferSnapshot } from '@mutirao/contracts';
import type { MatchIndex } from './match-index';
import { type CandidateSet, OfferColumns } from './offer-columns';
import { rankProposals, rankUnlessBeaten } from './ranking';
import { NeedProfile, triadScore } from './score';
import {
  FUNDER_RULES,
  needCanBeAnswered,
  PROVIDER_RULES,
  passes,
  singleRules,
  wantsTriad,
} from './triad-rules';
import type { MatchOptions, OrganisationLookup, Pair, Proposal } from './types';

/**
 * The matching engine: pure functions over an in-memory `MatchIndex`, no I/O. The service keeps the
 * index up to date from the read model and decides what to do with the proposals (store, emit,
 * expire, never propose twice).
 */

export interface MatchContext extends MatchOptions {
  readonly index: MatchIndex;
  /**
   * For `matchOffer`: the score of a need's weakest current proposal, when it already has `limit`
   * of them (the service keeps them). A need whose floor the new offer cannot beat is not ranked
   * again, which is what keeps freshness cheap at scale; without it every need the offer could
   * answer is ranked again, which is exact but costs a need's ranking per such need.
   */
  readonly floor?: (needId: string) => number | undefined;
  /**
   * For `matchOffer`: needs not to rank for the offer, because the caller ranks them again anyway
   * (the service's needs already waiting to be ranked).
   */
  readonly skip?: (needId: string) => boolean;
}

export interface BruteForceContext extends MatchOptions {
  readonly organisation: OrganisationLookup;
}

/** The needs a new or changed offer should now be proposed for, each with its fresh ranking. */
export interface OfferMatch {
  readonly need: NeedSnapshot;
  /** The need's best proposals now; at least one of them includes the offer. */
  readonly proposals: readonly Proposal[];
}

/** At most `limit` (3) proposals for the need, best first: single offers and triads in one ranking. */
export function matchNeed(need: NeedSnapshot, ctx: MatchContext): Proposal[] {
  const { index } = ctx;
  const needOrg = index.organisation(need.organisationId);
  if (!needOrg || !needCanBeAnswered(need, needOrg, ctx.now)) return [];
  const candidates = index.offerCandidates(need, needOrg, 'offer');
  const funders = wantsTriad(need) ? index.offerCandidates(need, needOrg, 'funder') : undefined;
  return rankProposals(need, candidates, funders, (id) => index.organisation(id), ctx);
}

/**
 * For an offer that was just put into the index: the open needs for which it now belongs among the
 * best proposals. Needs it cannot answer in any role are dropped by the rules; for the others, the
 * need's ranking gives up as soon as enough proposals beat the most the offer could score there.
 */
export function matchOffer(offer: OfferSnapshot, ctx: MatchContext): OfferMatch[] {
  const { index, now } = ctx;
  const offerOrg = index.organisation(offer.organisationId);
  const record = index.offerRecord(offer.id);
  if (!offerOrg || !record || index.offer(offer.id) !== offer) return [];
  const lookup = (id: string) => index.organisation(id);
  const matches: OfferMatch[] = [];
  for (const need of index.needCandidates(offer)) {
    if (ctx.skip?.(need.id)) continue;
    const needOrg = index.organisation(need.organisationId);
    if (!needOrg || !needCanBeAnswered(need, needOrg, now)) continue;
    const pair: Pair = { need, needOrg, offer, offerOrg, now };
    const triad = wantsTriad(need);
    const single = passes(singleRules(need), pair);
    const provider = triad && passes(PROVIDER_RULES, pair);
    const funder = triad && passes(FUNDER_RULES, pair);
    if (!single && !provider && !funder) continue;
    // The most any proposal with this offer could score for the need (its partners scoring 1).
    const own = new NeedProfile(need, needOrg).score(record.columns, record.slot);
    const most = Math.max(
      single ? own : 0,
      provider ? triadScore(own, 1) : 0,
      funder ? triadScore(1, own) : 0,
    );
    const floor = ctx.floor?.(need.id);
    if (floor !== undefined && most < floor) continue;
    const candidates = index.offerCandidates(need, needOrg, 'offer');
    const funders = triad ? index.offerCandidates(need, needOrg, 'funder') : undefined;
    const proposals = rankUnlessBeaten(need, candidates, funders, lookup, {
      ...ctx,
      unlessBeatenAbove: most,
    });
    if (proposals?.some((p) => p.offerIds.includes(offer.id))) matches.push({ need, proposals });
  }
  return matches;
}

/**
 * The same rules and scores over every offer given, without the index: the oracle the engine is
 * tested against.
 */
export function bruteForce(
  need: NeedSnapshot,
  offers: Iterable<OfferSnapshot>,
  ctx: BruteForceContext,
): Proposal[] {
  return bruteForceOver(need, OfferColumns.of(offers, ctx.organisation), ctx);
}

/** Brute force over offers already laid out (the benchmark's baseline: the index's own, unfiltered). */
export function bruteForceOver(need: NeedSnapshot, all: CandidateSet, ctx: BruteForceContext): Proposal[] {
  return rankProposals(need, all, wantsTriad(need) ? all : undefined, ctx.organisation, ctx);
}
