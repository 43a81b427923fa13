import type { ProposalSnapshot } from '@mutirao/contracts';
import type { Principal } from '@mutirao/http';
import { type Clock, forbidden, notFound } from '@mutirao/kernel';
import { respond } from '../domain/proposal';
import type { ProposalStore } from '../store/proposals';
import { type ListedProposal, visibleProposal } from './proposals';
import type { ProposalTransitions } from './transitions';

export interface ConsentDeps {
  proposals: ProposalStore;
  transitions: ProposalTransitions;
  now: Clock;
}

/** The most proposals `mine` lists. */
const MINE_LIMIT = 100;

/** The parties' side: the proposals their organisation is a party to, and their answers. */
export class Consent {
  constructor(private readonly deps: ConsentDeps) {}

  /** The caller's organisation's proposals from approval on, oldest first. */
  async mine(p: Principal): Promise<{ items: ListedProposal[] }> {
    if (!p.org) throw forbidden('Only members of an organisation have proposals of their own.');
    const { items } = await this.deps.proposals.page({
      party: p.org,
      statuses: ['approved', 'accepted', 'declined', 'agreed'],
      sort: 'age',
      limit: MINE_LIMIT,
    });
    return { items };
  }

  /** A party accepts or declines; the proposal is agreed once every party accepted. */
  async answer(p: Principal, id: string, answer: 'accept' | 'decline'): Promise<ProposalSnapshot> {
    const org = p.org;
    if (!org) throw forbidden('Only a party to the proposal can answer it.');
    await visibleProposal(this.deps.proposals, p, id);
    const saved = await this.deps.transitions.apply(id, (cur) => respond(cur, org, answer, this.deps.now()));
    if (!saved) throw notFound('No such proposal.');
    return saved;
  }
}
