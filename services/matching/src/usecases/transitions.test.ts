import { DomainError, SAVE_ATTEMPTS } from '@mutirao/kernel';
import { describe, expect, it } from 'vitest';
import { expire, review } from '../domain/proposal';
import { aProposal, MemoryProposals } from './testing/memory-proposals';
import { ProposalTransitions } from './transitions';

const NOW = new Date('2026-11-28T10:00:00Z');

function transitions(store: MemoryProposals) {
  let woken = 0;
  const t = new ProposalTransitions({ proposals: store.store, topic: 'proposals', wake: () => void woken++ });
  return { t, woken: () => woken };
}

describe('a transition of a stored proposal', () => {
  it('saves the next state and wakes the relay', async () => {
    const store = new MemoryProposals().put(aProposal());
    const { t, woken } = transitions(store);
    const saved = await t.apply('p1', (cur) => review(cur, { decision: 'approved', by: 'c' }, NOW));
    expect(saved).toMatchObject({ status: 'approved', revision: 2 });
    expect(store.saved).toEqual([saved]);
    expect(woken()).toBe(1);
  });

  it('tries again when another writer got there first, deciding on the state it finds', async () => {
    const store = new MemoryProposals().put(aProposal());
    store.loseRaces = SAVE_ATTEMPTS - 1;
    const { t } = transitions(store);
    let decided = 0;
    const saved = await t.apply('p1', (cur) => {
      decided++;
      return expire(cur, NOW);
    });
    expect(saved).toMatchObject({ status: 'expired' });
    expect(decided).toBe(SAVE_ATTEMPTS);
  });

  it('is refused as a conflict (409), not an error, when the proposal keeps changing', async () => {
    const store = new MemoryProposals().put(aProposal());
    store.loseRaces = SAVE_ATTEMPTS;
    const { t, woken } = transitions(store);
    const err = await t.apply('p1', (cur) => expire(cur, NOW)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'conflict' });
    expect(store.saved).toEqual([]);
    expect(woken()).toBe(0);
  });

  it("passes the domain's refusal on, and changes nothing when there is nothing to change", async () => {
    const store = new MemoryProposals().put(aProposal({ status: 'agreed' }));
    const { t, woken } = transitions(store);
    await expect(
      t.apply('p1', (cur) => review(cur, { decision: 'approved', by: 'c' }, NOW)),
    ).rejects.toMatchObject({ kind: 'conflict' });
    expect(await t.apply('p1', (cur) => expire(cur, NOW))).toMatchObject({ status: 'agreed', revision: 1 });
    expect(await t.apply('nope', (cur) => expire(cur, NOW))).toBeUndefined();
    expect(store.saved).toEqual([]);
    expect(woken()).toBe(0);
  });
});
