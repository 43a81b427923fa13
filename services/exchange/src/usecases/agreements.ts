import type { ProposalSnapshot } from '@mutirao/contracts';
import { DomainError } from '@mutirao/kernel';
import type { Logger } from '@mutirao/telemetry';
import type { NeedContent, OfferContent } from '../domain/types';
import type { PostingService } from './postings';

/**
 * An agreed partnership: the need becomes matched and each offer gives up one unit of capacity.
 * Each posting remembers the proposal ids it applied, so a replayed report changes nothing,
 * and a crash half-way is finished by the redelivery. The need changes last, so a matched need
 * means its offers' capacity is already taken.
 */
export async function applyAgreement(
  deps: { needs: PostingService<NeedContent>; offers: PostingService<OfferContent>; logger: Logger },
  proposal: ProposalSnapshot,
): Promise<{ needChanged: boolean; offersChanged: number }> {
  const command = { type: 'agree' as const, proposalId: proposal.id };
  const skipUnknown = (what: string) => (err: unknown) => {
    if (!(err instanceof DomainError && err.kind === 'not-found')) throw err;
    deps.logger.warn({ proposal: proposal.id, what }, 'agreed proposal names a posting unknown here');
    return { changed: false };
  };
  // Offers first: whoever sees the need matched then also sees the capacity it took.
  let offersChanged = 0;
  for (const offerId of proposal.offerIds) {
    const r = await deps.offers.execute(offerId, command).catch(skipUnknown(offerId));
    if (r.changed) offersChanged++;
  }
  const need = await deps.needs.execute(proposal.needId, command).catch(skipUnknown(proposal.needId));
  return { needChanged: need.changed, offersChanged };
}
