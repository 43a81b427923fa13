import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import { explainSingle, explainTriad } from './explain';
import { type Funder, FunderStream } from './funders';
import { type CandidateSet, type OfferColumns, typeBit } from './offer-columns';
import { type HardRule, pairModality } from './rules';
import { NeedProfile, type PartValues, triadScore } from './score';
import {
  isRejected,
  needCanBeAnswered,
  PROVIDER_RULES,
  passes,
  proposalKey,
  singleRules,
  wantsTriad,
} from './triad-rules';
import type { MatchOptions, OrganisationLookup, Pair, Proposal } from './types';

/**
 * From candidate offers to the ranked proposals of one need. The engine and the brute-force oracle
 * both end here and differ only in the candidates they pass in, so a test that compares them tests
 * exactly the index's blocking.
 *
 * Most eligible offers score well below the few best, so each candidate is first scored on its cheap
 * parts (everything but the text), and candidates are then taken from the most promising down; one
 * that even a perfect text match could not lift into the current top `limit` is dropped before its
 * text and rules are checked, and so is everything after it. The result is the same as scoring
 * everything: only offers that cannot make the cut are skipped.
 */

export const DEFAULT_LIMIT = 3;
const NO_REJECTIONS: ReadonlySet<string> = new Set();

interface Draft {
  readonly key: string;
  readonly score: number;
  readonly build: (rank: number) => Proposal;
}

/** Higher score first; equal scores in a fixed order, so that every path ranks the same way. */
function before(a: { score: number; key: string }, b: { score: number; key: string }): boolean {
  return a.score > b.score || (a.score === b.score && a.key < b.key);
}

/** The best few drafts so far, best first. */
class Leaders {
  private readonly drafts: Draft[] = [];

  constructor(readonly limit: number) {}

  /**
   * What a candidate must reach to still be considered; −∞ until the list is full. A field kept up
   * to date rather than a getter: it is read for every candidate, and a getter returned it boxed.
   */
  threshold = Number.NEGATIVE_INFINITY;

  /** Takes the draft if it belongs among the leaders; `make` runs only then. */
  consider(score: number, key: string, make: () => Draft): void {
    const last = this.drafts[this.limit - 1];
    if (last && !before({ score, key }, last)) return;
    const draft = make();
    let at = this.drafts.length;
    while (at > 0 && before(draft, this.drafts[at - 1] as Draft)) at--;
    this.drafts.splice(at, 0, draft);
    if (this.drafts.length > this.limit) this.drafts.pop();
    if (this.drafts.length === this.limit) this.threshold = (this.drafts[this.limit - 1] as Draft).score;
  }

  ranked(): Proposal[] {
    return this.drafts.map((d, i) => d.build(i + 1));
  }
}

export interface RankOptions extends MatchOptions {
  /**
   * Give up, returning undefined, as soon as `limit` proposals score above this: for the question
   * "could anything scoring at most this much still be among the best?".
   */
  readonly unlessBeatenAbove?: number;
}

export function rankProposals(
  need: NeedSnapshot,
  candidates: CandidateSet,
  funderCandidates: CandidateSet | undefined,
  organisation: OrganisationLookup,
  options: MatchOptions,
): Proposal[] {
  return rankUnlessBeaten(need, candidates, funderCandidates, organisation, options) ?? [];
}

export function rankUnlessBeaten(
  need: NeedSnapshot,
  candidates: CandidateSet,
  funderCandidates: CandidateSet | undefined,
  organisation: OrganisationLookup,
  options: RankOptions,
): Proposal[] | undefined {
  const needOrg = organisation(need.organisationId);
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!needOrg || !needCanBeAnswered(need, needOrg, options.now) || limit <= 0) return [];
  return new Ranking(need, needOrg, candidates, funderCandidates, options, limit).run();
}

/**
 * One need's ranking. A class rather than closures over the function's variables: V8 optimises its
 * methods once for every need, and keeps their numbers unboxed, where a closure made anew for each
 * need ran unoptimised and allocated a heap number per candidate it looked at.
 */
class Ranking {
  private readonly columns: OfferColumns;
  private readonly n: number;
  private readonly slots: Int32Array;
  private readonly partials: Float64Array;
  private readonly scores: Float64Array;
  private readonly reaches: Float64Array;
  private readonly bucketOf: Uint8Array;
  private readonly order: Int32Array;
  private readonly rejected: ReadonlySet<string>;
  private readonly giveUpAbove: number;
  private readonly leaders: Leaders;
  private readonly profile: NeedProfile;
  private readonly asSingle: readonly HardRule[];
  private readonly funders: FunderStream | undefined;
  /**
   * The best funder's exact score (−∞ without one): it bounds every triad much more tightly than its
   * bound would, and it costs only the text of the funders that might be it.
   */
  private readonly topFunder: number;
  private readonly triad: boolean;
  /** A need that requires funding is answered alone only by an offer that also finances. */
  private readonly both: number;
  /** The rules read each candidate through this one pair; a draft keeps a copy of its own. */
  private readonly probe: { -readonly [K in keyof Pair]: Pair[K] };

  constructor(
    private readonly need: NeedSnapshot,
    needOrg: OrganisationSnapshot,
    candidates: CandidateSet,
    funderCandidates: CandidateSet | undefined,
    options: RankOptions,
    limit: number,
  ) {
    const { now } = options;
    this.columns = candidates.columns;
    const n = candidates.slots.length;
    this.n = n;
    const space = scratchFor(n);
    this.slots = space.slots;
    this.partials = space.partials;
    this.scores = space.scores;
    this.reaches = space.reaches;
    this.bucketOf = space.bucketOf;
    this.order = space.order;
    this.slots.set(candidates.slots);
    // In memory order: the records are then read front to back, a page at a time, which costs a
    // fraction of reading them in the order the index happened to list them. The index's lookups
    // already give them in that order.
    if (!ascending(this.slots, n)) this.slots.subarray(0, n).sort();
    this.rejected = options.rejected ?? NO_REJECTIONS;
    this.giveUpAbove = options.unlessBeatenAbove ?? Number.POSITIVE_INFINITY;
    this.leaders = new Leaders(limit);
    this.profile = new NeedProfile(need, needOrg);
    this.triad = wantsTriad(need);
    this.asSingle = singleRules(need);
    this.funders =
      this.triad && funderCandidates
        ? new FunderStream(this.profile, funderCandidates.columns, funderCandidates.slots, now, this.rejected)
        : undefined;
    this.topFunder = this.funders?.at(0)?.score ?? Number.NEGATIVE_INFINITY;
    this.both = typeBit(need.type) | typeBit('financing');
    this.probe = {
      need,
      needOrg,
      // Set to each candidate before the rules read it.
      offer: undefined as unknown as Pair['offer'],
      offerOrg: undefined as unknown as Pair['offerOrg'],
      now,
    };
  }

  private alone(slot: number): boolean {
    return !this.triad || (this.columns.typeMask(slot) & this.both) === this.both;
  }

  run(): Proposal[] | undefined {
    const { n, slots, partials, reaches, bucketOf, order, columns, leaders, giveUpAbove } = this;
    const topFunder = this.topFunder;
    // First pass: the cheap parts of every candidate, and the bucket of the most each could reach.
    // When the caller only asks whether anything beats `giveUpAbove`, candidates that might are
    // tried at once, so that the answer often comes after a few of them.
    const counts = new Int32Array(BUCKETS + 1);
    const trying = giveUpAbove !== Number.POSITIVE_INFINITY;
    this.profile.partials(columns, slots, n, partials);
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
      bucketOf[i] = SKIP;
      if (!columns.scorable(slot)) continue;
      // The most a proposal with the candidate could score, alone or as a provider.
      // Without a funder, topFunder is −∞ and so is every triad. No number flows through a branch:
      // V8 keeps them unboxed then, where a choice between a computed number and a field's made it
      // allocate one per candidate.
      const bound = NeedProfile.bound(partials[i] as number);
      const asTriad = triadScore(bound, topFunder);
      const reach = this.alone(slot) ? Math.max(bound, asTriad) : asTriad;
      reaches[i] = reach;
      if (trying && reach > giveUpAbove) {
        this.evaluate(i);
        if (leaders.threshold > giveUpAbove) return undefined;
      } else if (reach !== Number.NEGATIVE_INFINITY) {
        const b = Math.min(BUCKETS - 1, Math.max(0, Math.floor(reach * BUCKETS)));
        bucketOf[i] = b;
        counts[b + 1] = (counts[b + 1] as number) + 1;
      }
    }
    // A counting sort: order[starts[b] … starts[b + 1]) lists the candidates of bucket b.
    for (let b = 1; b <= BUCKETS; b++) counts[b] = (counts[b] as number) + (counts[b - 1] as number);
    const starts = counts.slice();
    for (let i = 0; i < n; i++) {
      const b = bucketOf[i] as number;
      if (b === SKIP) continue;
      order[counts[b] as number] = i;
      counts[b] = (counts[b] as number) + 1;
    }

    // Second pass: from the bucket that reaches highest down, until the leaders are out of reach.
    for (let b = BUCKETS - 1; b >= 0; b--) {
      // Every candidate of bucket b reaches less than (b + 1) / BUCKETS.
      if ((b + 1) / BUCKETS + ROUNDING < leaders.threshold) break;
      for (let k = starts[b] as number; k < (starts[b + 1] as number); k++) {
        this.evaluate(order[k] as number);
        if (leaders.threshold > giveUpAbove) return undefined;
      }
    }
    return leaders.ranked();
  }

  /** Puts the candidate's proposals (alone, or with funders) among the leaders if they belong there. */
  private evaluate(i: number): void {
    const { leaders, columns, need, rejected } = this;
    if ((this.reaches[i] as number) < leaders.threshold) return;
    const slot = this.slots[i] as number;
    // The exact score next, before the rules: it is cheaper, and it settles most candidates.
    this.profile.completeInto(this.partials, i, columns, slot, this.scores);
    const score = this.scores[i] as number;
    const topFunder = this.topFunder;
    const asTriad = triadScore(score, topFunder);
    const alone = this.alone(slot);
    if ((alone ? Math.max(score, asTriad) : asTriad) < leaders.threshold) return;
    // Only now the snapshots, which live elsewhere in memory: most candidates never need them.
    const offer = columns.offers[slot];
    const offerOrg = columns.owners[columns.owner(slot)];
    if (offer === undefined || offerOrg === undefined) return;
    if (rejected.size > 0 && isRejected(need.id, [offer.id], rejected)) return;
    this.propose(slot, score, offer, offerOrg, alone);
  }

  /**
   * The rules, and the proposals of a candidate that can still make the cut. Apart from `evaluate`,
   * which runs for hundreds of candidates per need: the closures here would make it allocate their
   * context, and box the score, on every call.
   */
  private propose(
    slot: number,
    score: number,
    offer: OfferSnapshot,
    offerOrg: OrganisationSnapshot,
    alone: boolean,
  ): void {
    const { leaders, columns, need, rejected, profile, probe, funders } = this;
    probe.offer = offer;
    probe.offerOrg = offerOrg;
    const pair: Pair = probe;
    const single = alone && passes(this.asSingle, pair);
    const provider = this.topFunder !== Number.NEGATIVE_INFINITY && passes(PROVIDER_RULES, pair);
    if (single) {
      const key = proposalKey(need.id, [offer.id]);
      leaders.consider(score, key, () =>
        singleDraft({ ...pair }, key, score, rejected, () => profile.values(columns, slot)),
      );
    }
    if (provider && funders) {
      const values = (f: Funder) => ({
        provider: profile.values(columns, slot),
        funder: profile.values(columns, f.slot),
      });
      pairWithFunders(pair, score, funders, leaders, rejected, values);
    }
  }
}

function ascending(slots: Int32Array, n: number): boolean {
  for (let i = 1; i < n; i++) if ((slots[i - 1] as number) > (slots[i] as number)) return false;
  return true;
}

/**
 * Buckets of the score scale the candidates are sorted into by the most each could reach: a
 * linear-time sort that is enough to meet the strong candidates first, so that the leaders'
 * threshold rises early and the weak ones are never looked at twice.
 */
const BUCKETS = 64;
/** Slack for the rounding of reach × BUCKETS at a bucket's edge. */
const ROUNDING = 1e-9;
/** The bucket of a candidate that cannot be proposed (its offer or organisation is gone). */
const SKIP = 255;

/**
 * Scratch space reused from call to call, so that ranking one need allocates next to nothing and
 * the garbage collector stays out of the way: ranking is synchronous and never re-entered.
 */
let scratch = allocate(4096);

function allocate(size: number) {
  return {
    slots: new Int32Array(size),
    partials: new Float64Array(size),
    scores: new Float64Array(size),
    reaches: new Float64Array(size),
    bucketOf: new Uint8Array(size),
    order: new Int32Array(size),
  };
}

function scratchFor(n: number): typeof scratch {
  if (scratch.slots.length < n) scratch = allocate(Math.max(n, scratch.slots.length * 2));
  return scratch;
}

/**
 * The provider's triads, best funder first. The walk stops when the triads fall below the leaders or
 * once `limit` valid triads are found for this provider: any later one is beaten by all of them.
 */
function pairWithFunders(
  provider: Pair,
  score: number,
  funders: FunderStream,
  leaders: Leaders,
  rejected: ReadonlySet<string>,
  values: (funder: Funder) => { provider: PartValues; funder: PartValues },
): void {
  let found = 0;
  let lastFound = Number.POSITIVE_INFINITY;
  for (let j = 0; ; j++) {
    const bound = funders.boundAt(j);
    if (bound === undefined || triadScore(score, bound) < leaders.threshold) break;
    const funder = funders.at(j);
    if (!funder) break;
    const combined = triadScore(score, funder.score);
    if (combined < leaders.threshold || (found >= leaders.limit && combined < lastFound)) break;
    const offerIds = [provider.offer.id, funder.pair.offer.id];
    if (funder.pair.offerOrg.id === provider.offerOrg.id || isRejected(provider.need.id, offerIds, rejected))
      continue;
    const key = proposalKey(provider.need.id, offerIds);
    leaders.consider(combined, key, () =>
      triadDraft({ ...provider }, funder.pair, key, combined, rejected, () => values(funder)),
    );
    found++;
    lastFound = combined;
  }
}

function singleDraft(
  pair: Pair,
  key: string,
  score: number,
  rejected: ReadonlySet<string>,
  values: () => PartValues,
): Draft {
  return {
    key,
    score,
    build: (rank) => {
      // The rules passed, so the pair has a modality.
      const modality = pairModality(pair.needOrg, pair.offerOrg) ?? 'north-south';
      return {
        needId: pair.need.id,
        offerIds: [pair.offer.id],
        modality,
        score,
        rank,
        explanation: explainSingle(pair, modality, score, rejected, values()),
      };
    },
  };
}

function triadDraft(
  provider: Pair,
  funder: Pair,
  key: string,
  score: number,
  rejected: ReadonlySet<string>,
  values: () => { provider: PartValues; funder: PartValues },
): Draft {
  return {
    key,
    score,
    build: (rank) => ({
      needId: provider.need.id,
      offerIds: [provider.offer.id, funder.offer.id],
      modality: 'triangular',
      score,
      rank,
      explanation: explainTriad(provider, funder, score, rejected, values()),
    }),
  };
}
