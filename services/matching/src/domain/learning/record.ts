import type { DeclineReason, ProposalSnapshot, RejectionReason, Sentence } from '@mutirao/contracts';
import { countryFacts } from '../reference';
import { code, phrase, phrases, say } from '../sentences';
import type { Proposal } from '../types';
import { type DecisionReason, type DecisionRecord, pairKind, proposalFeatures } from './decisions';
import type { LearningNote } from './rerank';

/** The M49 region of a country, as it names the region (`Africa`), or undefined. */
export const regionOf = (country: string): string | undefined => countryFacts(country)?.region ?? undefined;

/** The reason a decision teaches with: the codes naming a criterion pass, others fold into `other`. */
function learnt(reason: RejectionReason | DeclineReason | undefined): DecisionReason | undefined {
  switch (reason) {
    case undefined:
      return undefined;
    case 'wrong-sector':
    case 'too-far':
    case 'off-topic':
    case 'no-shared-goal':
    case 'amount-mismatch':
    case 'not-a-priority':
    case 'not-interested':
    case 'poor-fit':
      return reason;
    default:
      return 'other';
  }
}

/**
 * The record of a decision on a proposal, as the model learns from it: a coordinator's approval or
 * rejection, or a party's acceptance or refusal, with the proposal's features. Undefined for a
 * need whose country lies in no M49 region (nothing to learn a region's taste from).
 */
export function decisionRecord(
  proposal: ProposalSnapshot,
  decision: DecisionRecord['decision'],
  at: Date,
  opts: { reason?: RejectionReason | DeclineReason; organisationId?: string } = {},
): DecisionRecord | undefined {
  const region = regionOf(proposal.needCountry)?.toLowerCase();
  if (!region) return undefined;
  const reason = learnt(opts.reason);
  const review = decision === 'approved' || decision === 'rejected';
  return {
    proposalId: proposal.id,
    needId: proposal.needId,
    kind: review ? 'review' : 'consent',
    decision,
    ...(reason ? { reason } : {}),
    ...(opts.organisationId !== undefined ? { organisationId: opts.organisationId } : {}),
    region,
    pairKind: pairKind(proposal.needType, proposal.modality),
    features: proposalFeatures(proposal as Pick<Proposal, 'explanation'>),
    at: at.toISOString(),
  };
}

/**
 * The model's notes on a proposal as sentences of its explanation: which criteria weigh more or
 * less for the coordinators it learnt from, and a party's disinterest. `regionName`: the need's M49
 * region as the vocabulary names it; `organisationName` names a party.
 */
export function noteSentences(
  notes: readonly LearningNote[],
  regionName: string | undefined,
  organisationName: (id: string) => string,
): Sentence[] {
  return notes.map((note) => {
    const shifts = phrases(
      (note.shifts ?? []).map((s) =>
        phrase(s.to > s.from ? 'learning.shift.up' : 'learning.shift.down', {
          criterion: code('criterion', s.criterion),
          from: { percent: Math.round(s.from * 100) / 100 },
          to: { percent: Math.round(s.to * 100) / 100 },
        }),
      ),
    );
    if (note.code === 'learning.region' && regionName)
      return say('learning.region', {
        n: Number(note.params.pairs),
        region: code('region', regionName),
        shifts,
      });
    if (note.code === 'learning.not-interested') {
      const [type = '', modality = ''] = String(note.params.kind).split('/');
      return say('learning.not-interested', {
        org: organisationName(String(note.params.organisationId)),
        type: code('needType', type),
        modality: code('modality', modality),
        factor: Math.round(Number(note.params.factor) * 100) / 100,
      });
    }
    return say('learning.global', { n: Number(note.params.pairs), shifts });
  });
}
