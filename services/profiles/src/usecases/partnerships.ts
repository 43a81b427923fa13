import type { ProposalSnapshot } from '@mutirao/contracts';
import { partnerPairs } from '../domain/partnership';
import type { Stores } from '../store';

/**
 * An agreed proposal makes its parties partners, which discloses their contact details to each
 * other. Idempotent: a replayed agreement finds its pairs recorded and changes nothing. Returns
 * how many pairs this call recorded.
 */
export async function recordAgreement(
  stores: Pick<Stores, 'partnerships'>,
  proposal: Pick<ProposalSnapshot, 'id' | 'updatedAt' | 'needOrganisationId' | 'offerOrganisationIds'>,
): Promise<number> {
  // The agreement's own time, not the clock: a replay would write the same record.
  const since = new Date(proposal.updatedAt);
  let recorded = 0;
  for (const [a, b] of partnerPairs(proposal)) {
    if (await stores.partnerships.record({ a, b, proposalId: proposal.id, since })) recorded++;
  }
  return recorded;
}
