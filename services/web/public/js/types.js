/**
 * Shapes the pages rely on (JSDoc only; the source of truth is packages/contracts).
 *
 * @typedef {{ code: string, params: Record<string, any> }} Sentence
 * @typedef {{ rule: string, ok: boolean, text: string, sentence?: Sentence, offerId?: string, role?: 'offer' | 'provider' | 'funder' }} Rule
 * @typedef {{ name: string, weight: number, value: number, text: string, sentence?: Sentence, offerId?: string, role?: 'offer' | 'provider' | 'funder' }} Criterion
 * @typedef {{
 *   id: string, revision: number, updatedAt: string, needId: string, offerIds: string[],
 *   needOrganisationId: string, offerOrganisationIds: string[], needType: string, needCountry: string,
 *   modality: string, score: number, rank: number, status: string,
 *   explanation: { summary: string, summarySentences?: Sentence[], rules: Rule[], criteria: Criterion[] },
 *   review?: { decision: string, by: string, at: string, reason?: string, note?: string },
 *   consents: Record<string, 'accepted' | 'declined'>,
 *   questions?: import('./questions.js').Question[],
 *   round?: { id: string, offerId: string, reason: CallReason }
 * }} Proposal
 * @typedef {{ sentence: Sentence, text: string, rank: number }} CallReason
 * @typedef {{ needId: string, needOrganisationId: string, needCountry: string, title: string, score: number, reason: CallReason, proposalId?: string }} RoundNeed
 * @typedef {{
 *   id: string, offerId: string, offerOrganisationId: string, offerTitle: string,
 *   call: { places?: number, budget?: { value: number, currency: string }, opensAt: string, closesAt: string },
 *   at: string, trigger: 'closing' | 'coordinator', eligible: number,
 *   chosen: RoundNeed[], leftOut: RoundNeed[], objective: number, bound: number, budgetUsed?: number
 * }} CallRound
 */
export {};
