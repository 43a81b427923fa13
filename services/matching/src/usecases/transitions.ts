import type { ProposalSnapshot } from '@mutirao/contracts';
import { untilSaved } from '@mutirao/kernel';
import type { Transition } from '../domain/proposal';
import type { ProposalStore } from '../store/proposals';
import { proposalEntry } from './events';

export interface TransitionDeps {
  proposals: ProposalStore;
  /** The proposal topic as deployed (prefix included). */
  topic: string;
  /** Called after every write so the outbox relay publishes at once. */
  wake: () => void;
}

/** What a change makes of the current proposal: its next state, or nothing to change. */
export type Decide = (current: ProposalSnapshot) => Transition | undefined;

/**
 * Every change of a stored proposal, the coordinators', the parties' and the rankings': load,
 * decide, save the next state with its event in one write.
 */
export class ProposalTransitions {
  constructor(private readonly deps: TransitionDeps) {}

  /**
   * Applies `decide` to the current state and saves the next one with its event; tried again when
   * another writer changed the proposal in between (the revision guard), and refused as a conflict
   * (409) when that keeps happening. A refusal of `decide` (a `DomainError`) goes to the caller.
   * Resolves to the proposal as saved, as it is when there was nothing to change, or undefined
   * when there is no such proposal.
   */
  apply(id: string, decide: Decide): Promise<ProposalSnapshot | undefined> {
    return untilSaved<ProposalSnapshot | undefined>(`The proposal ${id}`, async () => {
      const current = await this.deps.proposals.get(id);
      if (!current) return { saved: true, value: undefined };
      const t = decide(current);
      if (!t) return { saved: true, value: current };
      const saved = await this.deps.proposals.save(t.next, proposalEntry(this.deps.topic, t.next, t.event));
      if (!saved) return { saved: false };
      this.deps.wake();
      return { saved: true, value: t.next };
    });
  }
}
