import type { NeedSnapshot } from '@mutirao/contracts';
import type { CandidateSet } from './offer-columns';
import { DEFAULT_LIMIT } from './ranking';
import { NeedProfile, triadScore } from './score';
import {
  FUNDER_RULES,
  isRejected,
  needCanBeAnswered,
  PROVIDER_RULES,
  passes,
  proposalKey,
  singleRules,
  wantsTriad,
} from './triad-rules';
import type { MatchOptions, OrganisationLookup, Pair } from './types';

/** A proposal as far as ranking goes: its offers (provider first) and its score. */
export interface Ranked {
  readonly offerIds: readonly string[];
  readonly score: number;
}

/**
 * Every pair scored in full: the literal brute force. Each offer is checked against the rules of
 * every part it could play and scored on all six parts, text included; every provider is paired with
 * every funder. Nothing is skipped because it could not make the cut, and nothing narrows the
 * offers down. It shares with the engine only the rules and the score of one pair, so it checks the
 * engine's pruning (the passes over score buckets, the funder stream) as well as its index, and it is
 * the benchmark's plain baseline.
 */
export function scoreEveryPair(
  need: NeedSnapshot,
  all: CandidateSet,
  organisation: OrganisationLookup,
  options: MatchOptions,
): Ranked[] {
  const needOrg = organisation(need.organisationId);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { now } = options;
  if (!needOrg || !needCanBeAnswered(need, needOrg, now) || limit <= 0) return [];
  const rejected = options.rejected ?? new Set<string>();
  const profile = new NeedProfile(need, needOrg);
  const triad = wantsTriad(need);
  const asSingle = singleRules(need);
  const best = new Best(need.id, limit);
  const providers: { pair: Pair; score: number }[] = [];
  const funders: { pair: Pair; score: number }[] = [];
  const { columns, slots } = all;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    const offer = columns.offers[slot];
    const offerOrg = offer && organisation(offer.organisationId);
    if (!offer || !offerOrg) continue;
    const pair: Pair = { need, needOrg, offer, offerOrg, now };
    const score = profile.score(columns, slot);
    if (passes(asSingle, pair) && !isRejected(need.id, [offer.id], rejected)) best.offer([offer.id], score);
    if (triad && passes(PROVIDER_RULES, pair)) providers.push({ pair, score });
    if (triad && passes(FUNDER_RULES, pair)) funders.push({ pair, score });
  }
  for (const provider of providers) {
    for (const funder of funders) {
      if (provider.pair.offerOrg.id === funder.pair.offerOrg.id) continue;
      const offerIds = [provider.pair.offer.id, funder.pair.offer.id];
      if (isRejected(need.id, offerIds, rejected)) continue;
      best.offer(offerIds, triadScore(provider.score, funder.score));
    }
  }
  return best.ranked.map(({ offerIds, score }) => ({ offerIds, score }));
}

/** The best `limit` proposals offered so far: higher score first, equal scores by key. */
class Best {
  readonly ranked: (Ranked & { key: string })[] = [];

  constructor(
    private readonly needId: string,
    private readonly limit: number,
  ) {}

  offer(offerIds: readonly string[], score: number): void {
    const last = this.ranked[this.limit - 1];
    // Below the last of a full list, the key cannot matter: spare building it.
    if (last && score < last.score) return;
    const key = proposalKey(this.needId, offerIds);
    if (last && score === last.score && key > last.key) return;
    let at = this.ranked.length;
    while (at > 0) {
      const other = this.ranked[at - 1] as Ranked & { key: string };
      if (other.score > score || (other.score === score && other.key < key)) break;
      at--;
    }
    this.ranked.splice(at, 0, { offerIds, score, key });
    if (this.ranked.length > this.limit) this.ranked.pop();
  }
}
