import type { DeclineReason, ProposalSnapshot } from '@mutirao/contracts';
import type { Principal } from '@mutirao/http';
import { type Clock, forbidden, notFound } from '@mutirao/kernel';
import { inform, respond, wasAsked } from '../domain/proposal';
import type { ProposalStore } from '../store/proposals';
import type { Learning } from './learning';
import { type ListedProposal, visibleProposal } from './proposals';
import type { ProposalTransitions } from './transitions';

export interface ConsentDeps {
  proposals: ProposalStore;
  transitions: ProposalTransitions;
  now: Clock;
  /** Keeps each answer to learn from. */
  learning?: Learning;
}

/** The most proposals `mine` lists. */
const MINE_LIMIT = 100;

/** The parties' side: the proposals their organisation is a party to, and their answers. */
export class Consent {
  constructor(private readonly deps: ConsentDeps) {}

  /**
   * The caller's organisation's proposals from approval on, and those under review that a
   * coordinator asked it about, oldest first.
   */
  async mine(p: Principal): Promise<{ items: ListedProposal[] }> {
    const org = p.org;
    if (!org) throw forbidden('Only members of an organisation have proposals of their own.');
    const [decided, reviewed] = await Promise.all(
      [
        ['approved', 'accepted', 'declined', 'agreed'],
        ['info-requested', 'info-provided'],
      ].map((statuses) => this.deps.proposals.page({ party: org, statuses, sort: 'age', limit: MINE_LIMIT })),
    );
    const asked = (reviewed?.items ?? []).filter((x) => wasAsked(x, org));
    const items = [...(decided?.items ?? []), ...asked]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1))
      .slice(0, MINE_LIMIT);
    return { items };
  }

  /** The asked party answers a coordinator's question; the proposal returns to the coordinators. */
  async inform(p: Principal, id: string, text: string): Promise<ProposalSnapshot> {
    const org = p.org;
    if (!org) throw forbidden('Only the organisation asked can answer the question.');
    await visibleProposal(this.deps.proposals, p, id);
    const saved = await this.deps.transitions.apply(id, (cur) =>
      inform(cur, org, p.sub, text, this.deps.now()),
    );
    if (!saved) throw notFound('No such proposal.');
    return saved;
  }

  /** A party accepts or declines; the proposal is agreed once every party accepted. */
  async answer(
    p: Principal,
    id: string,
    answer: 'accept' | 'decline',
    reason?: DeclineReason,
  ): Promise<ProposalSnapshot> {
    const org = p.org;
    if (!org) throw forbidden('Only a party to the proposal can answer it.');
    await visibleProposal(this.deps.proposals, p, id);
    const saved = await this.deps.transitions.apply(id, (cur) => respond(cur, org, answer, this.deps.now()));
    if (!saved) throw notFound('No such proposal.');
    await this.deps.learning?.record(saved, answer === 'accept' ? 'accepted' : 'declined', {
      organisationId: org,
      ...(reason ? { reason } : {}),
    });
    return saved;
  }
}
