import { createHash } from 'node:crypto';
import type {
  CallReason as CallReasonView,
  CallRound,
  NeedSnapshot,
  OfferSnapshot,
  Phrase,
  ProposalSnapshot,
  Sentence,
  SentenceValue,
} from '@mutirao/contracts';
import { explainSingle } from '../explain';
import { pairModality } from '../rules';
import { code, english, phrase, phrases, say } from '../sentences';
import { proposalKey } from '../triad-rules';
import type { Pair } from '../types';
import type { CallAssignment, CallCandidate, CallReason, CallTerms } from './types';

/** One round per call: the same call always gives the same round id. */
export const roundId = (offerId: string): string =>
  `r_${createHash('sha256').update(`call|${offerId}`).digest('hex').slice(0, 24)}`;

/** The call's terms as the solver takes them, from the offer's `call`. */
export function termsOf(offer: OfferSnapshot): CallTerms {
  const call = offer.call;
  if (!call) throw new Error(`offer ${offer.id} is not a call`);
  return {
    ...(call.places !== undefined ? { places: call.places } : {}),
    ...(call.budget ? { budget: call.budget } : {}),
    ...(call.fairness ? { fairness: call.fairness } : {}),
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const num = (v: number | string | undefined): number => Number(v ?? 0);

/** "20 places and a budget of USD 500,000": what the call holds, for the sentences. */
function capacityOf(terms: CallTerms): SentenceValue {
  const parts: Phrase[] = [];
  if (terms.places !== undefined) parts.push(phrase('call.part.places', { n: terms.places }));
  if (terms.budget)
    parts.push(
      phrase('call.part.budget', { budget: { money: terms.budget.value, currency: terms.budget.currency } }),
    );
  return phrases(parts);
}

/** The solver's reason as a sentence the web app words in each language. */
export function reasonSentence(reason: CallReason<string>, terms: CallTerms): Sentence {
  const p = reason.params;
  const rank = num(p.rank);
  const currency = terms.budget?.currency ?? '';
  const money = (v: number | string | undefined) => ({ money: round2(num(v)), currency });
  switch (reason.code) {
    case 'call.chosen.top':
      return say('call.chosen.top', {
        n: num(p.chosen),
        eligible: num(p.eligible),
        rank,
        capacity: capacityOf(terms),
      });
    case 'call.chosen.over-higher':
      return say('call.chosen.over-higher', {
        n: num(p.passedOver),
        eligible: num(p.eligible),
        rank,
        capacity: capacityOf(terms),
      });
    case 'call.left-out.places':
      return say('call.left-out.places', {
        n: num(p.places),
        lowestChosenRank: num(p.lowestChosenRank),
        rank,
      });
    case 'call.left-out.budget':
      return say('call.left-out.budget', {
        amount: money(p.amount),
        remaining: money(p.remaining),
        budget: money(p.budget),
        rank,
      });
    case 'call.left-out.country-cap':
      return say('call.left-out.country-cap', {
        n: num(p.cap),
        country: code('country', String(p.country)),
        rank,
      });
    case 'call.left-out.below-floor':
      return say('call.left-out.below-floor', {
        floor: round2(num(p.floor)),
        score: round2(num(p.score)),
        rank,
      });
    case 'call.left-out.trade-off':
      return say('call.left-out.trade-off', { capacity: capacityOf(terms), rank });
    case 'call.left-out.no-amount':
      return say('call.left-out.no-amount');
    case 'call.left-out.no-rate':
      return say('call.left-out.no-rate', { currency: code('currency', String(p.currency)), rank });
    case 'call.left-out.solver-gap':
      return say('call.left-out.solver-gap', { rank });
    default:
      throw new Error(`no sentence for the call reason ${reason.code}`);
  }
}

function view(reason: CallReason<string>, rank: number, terms: CallTerms): CallReasonView {
  const sentence = reasonSentence(reason, terms);
  return { sentence, text: english(sentence), rank };
}

/** The explanation as a proposal holds it (the engine's lists are read-only). */
function copied(e: ReturnType<typeof explainSingle>): ProposalSnapshot['explanation'] {
  return {
    summary: e.summary,
    summarySentences: e.summarySentences.map((x) => ({ ...x })),
    rules: e.rules.map((x) => ({ ...x })),
    criteria: e.criteria.map((x) => ({ ...x })),
  };
}

export interface RoundInput {
  offer: OfferSnapshot;
  /** The candidates the solver was given, each with the pair the rules passed. */
  candidates: readonly (CallCandidate & { readonly pair: Pair })[];
  assignment: CallAssignment;
  /** Keys of pairs a coordinator rejected (for the explanation's rule line). */
  rejected: ReadonlySet<string>;
  trigger: CallRound['trigger'];
  now: Date;
  /** The proposal id of a pair's key (the store's: the same pair always gets the same id). */
  proposalIdOf: (key: string) => string;
}

export interface BuiltRound {
  round: CallRound;
  /** One new proposal per chosen need, with its key. */
  proposals: { snapshot: ProposalSnapshot; key: string }[];
}

/**
 * The round of a solved call: a proposal per chosen need (its explanation as the engine writes it
 * for the pair, and the solver's reason for choosing it), and the needs left out with theirs.
 */
export function buildRound(input: RoundInput): BuiltRound {
  const { offer, assignment, now } = input;
  const terms = termsOf(offer);
  const id = roundId(offer.id);
  const byNeed = new Map(input.candidates.map((c) => [c.needId, c]));
  const at = now.toISOString();
  const needOf = (needId: string): { need: NeedSnapshot; pair: Pair } => {
    const c = byNeed.get(needId);
    if (!c) throw new Error(`need ${needId} was not a candidate of call ${offer.id}`);
    return { need: c.pair.need, pair: c.pair };
  };
  const proposals: BuiltRound['proposals'] = [];
  const chosen: CallRound['chosen'] = [];
  for (const c of assignment.chosen) {
    const { need, pair } = needOf(c.needId);
    const key = proposalKey(need.id, [offer.id]);
    const reason = view(c.reason, c.rank, terms);
    const modality = pairModality(pair.needOrg, pair.offerOrg) ?? 'north-south';
    const score = Math.round(c.score * 1e4) / 1e4;
    const snapshot: ProposalSnapshot = {
      id: input.proposalIdOf(key),
      revision: 1,
      updatedAt: at,
      needId: need.id,
      offerIds: [offer.id],
      needOrganisationId: need.organisationId,
      offerOrganisationIds: [offer.organisationId],
      needType: need.type,
      needCountry: pair.needOrg.country,
      modality,
      score,
      rank: 1,
      status: 'proposed',
      explanation: copied(explainSingle(pair, modality, c.score, input.rejected)),
      consents: {},
      round: { id, offerId: offer.id, reason },
    };
    proposals.push({ snapshot, key });
    chosen.push({
      needId: need.id,
      needOrganisationId: need.organisationId,
      needCountry: pair.needOrg.country,
      title: need.title,
      score,
      reason,
      proposalId: snapshot.id,
    });
  }
  const leftOut: CallRound['leftOut'] = assignment.leftOut
    .map((l) => {
      const { need, pair } = needOf(l.needId);
      return {
        needId: need.id,
        needOrganisationId: need.organisationId,
        needCountry: pair.needOrg.country,
        title: need.title,
        score: Math.round(l.score * 1e4) / 1e4,
        reason: view(l.reason, l.rank, terms),
      };
    })
    .sort((a, b) => a.reason.rank - b.reason.rank);
  const call = offer.call;
  if (!call) throw new Error(`offer ${offer.id} is not a call`);
  return {
    proposals,
    round: {
      id,
      offerId: offer.id,
      offerOrganisationId: offer.organisationId,
      offerTitle: offer.title,
      call,
      at,
      trigger: input.trigger,
      eligible: input.candidates.length,
      chosen,
      leftOut,
      objective: assignment.objective,
      bound: assignment.bound,
      ...(assignment.floor !== undefined ? { floor: assignment.floor } : {}),
      ...(assignment.budgetUsed !== undefined ? { budgetUsed: assignment.budgetUsed } : {}),
      solverMillis: assignment.solverMillis,
    },
  };
}
