import type { ProposalSnapshot } from '@mutirao/contracts';
import { coordinates, type Principal } from '@mutirao/http';
import { notFound } from '@mutirao/kernel';
import { countryInRegion } from '@mutirao/reference-data';
import { partiesOf, visibleToParties, wasAsked } from '../domain/proposal';
import type { ProposalStore } from '../store/proposals';

/** A proposal as lists show it: with when it was made. */
export type ListedProposal = ProposalSnapshot & { createdAt: string };

/**
 * Coordinators of the need's region and the admin see a proposal always; a party once a
 * coordinator approved it, or asked it a question.
 */
export function maySee(p: Principal, proposal: ProposalSnapshot): boolean {
  if (coordinates(p, proposal.needCountry, countryInRegion)) return true;
  if (!p.org || !partiesOf(proposal).includes(p.org)) return false;
  return visibleToParties(proposal.status) || wasAsked(proposal, p.org);
}

/** A proposal the caller may see, or not-found (whether it exists is not given away). */
export async function visibleProposal(
  proposals: ProposalStore,
  p: Principal,
  id: string,
): Promise<ProposalSnapshot> {
  const proposal = await proposals.get(id);
  if (!proposal || !maySee(p, proposal)) throw notFound('No such proposal.');
  return proposal;
}

/** Reading proposals: one of them, or all of them for the exchange-file export. */
export class ProposalQueries {
  constructor(private readonly deps: { proposals: ProposalStore }) {}

  one(p: Principal, id: string): Promise<ProposalSnapshot> {
    return visibleProposal(this.deps.proposals, p, id);
  }

  /** Every proposal, oldest first (the route lets the admin alone ask). */
  async export(): Promise<{ items: ListedProposal[] }> {
    return { items: await this.deps.proposals.all() };
  }
}
