import type { ProposalSnapshot } from '@mutirao/contracts';
import type { ProposalQuery, ProposalStore } from '../../store/proposals';

/** A proposal as the factories make it: proposed, for a need in Guinea-Bissau, two parties. */
export function aProposal(over: Partial<ProposalSnapshot> = {}): ProposalSnapshot {
  return {
    id: 'p1',
    revision: 1,
    updatedAt: '2026-11-27T00:00:00.000Z',
    needId: 'n1',
    offerIds: ['o1'],
    needOrganisationId: 'org-gw',
    offerOrganisationIds: ['org-rw'],
    needType: 'technology',
    needCountry: 'GW',
    modality: 'south-south',
    score: 0.7,
    rank: 1,
    status: 'proposed',
    explanation: { summary: 's', rules: [], criteria: [] },
    consents: {},
    ...over,
  };
}

/**
 * What the use cases need of the proposal store, in memory: `get`, `save` behind the revision
 * guard, and `page` with the store's order (score best first or oldest first, then id).
 */
export class MemoryProposals {
  private readonly held = new Map<string, { p: ProposalSnapshot; createdAt: string }>();
  /** Every state saved, in order. */
  readonly saved: ProposalSnapshot[] = [];
  /** How many saves to lose, as if another writer had changed the proposal first. */
  loseRaces = 0;

  put(p: ProposalSnapshot, createdAt = '2026-11-01T00:00:00.000Z'): this {
    this.held.set(p.id, { p, createdAt });
    return this;
  }

  async get(id: string): Promise<ProposalSnapshot | undefined> {
    return this.held.get(id)?.p;
  }

  /** What the table in memory says of a proposal (its need), as `ProposalStore.line`. */
  line(id: string): { id: string; needId: string } | undefined {
    const p = this.held.get(id)?.p;
    return p ? { id: p.id, needId: p.needId } : undefined;
  }

  /** Proposals taken from elsewhere (the proposal topic, a reply), in order. */
  readonly observed: ProposalSnapshot[] = [];

  observe(p: ProposalSnapshot): void {
    this.observed.push(p);
  }

  async save(next: ProposalSnapshot): Promise<boolean> {
    const current = this.held.get(next.id);
    if (this.loseRaces > 0) {
      this.loseRaces--;
      return false;
    }
    if (!current || current.p.revision !== next.revision - 1) return false;
    this.held.set(next.id, { ...current, p: next });
    this.saved.push(next);
    return true;
  }

  async page(q: ProposalQuery) {
    const key = (x: { p: { score: number; id: string }; createdAt: string }) =>
      q.sort === 'score' ? [-x.p.score, x.p.id] : [x.createdAt, x.p.id];
    const before = (a: (string | number)[], b: (string | number)[]) =>
      (a[0] as never) < (b[0] as never) || (a[0] === b[0] && (a[1] as string) < (b[1] as string));
    const after = q.after
      ? key({ p: { score: q.after.score, id: q.after.id }, createdAt: q.after.createdAt })
      : undefined;
    const found = [...this.held.values()]
      .filter(({ p }) => !q.statuses || q.statuses.includes(p.status))
      .filter(({ p }) => !q.needCountry || q.needCountry(p.needCountry))
      .filter(({ p }) => q.modality === undefined || p.modality === q.modality)
      .filter(({ p }) => q.needType === undefined || p.needType === q.needType)
      .filter(
        ({ p }) =>
          q.party === undefined || [p.needOrganisationId, ...p.offerOrganisationIds].includes(q.party),
      )
      .filter((x) => !after || before(after, key(x)))
      .sort((a, b) => (before(key(a), key(b)) ? -1 : 1));
    const items = found.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ p, createdAt }) => ({ ...p, createdAt })),
      ...(found.length > q.limit && last
        ? { next: { score: last.p.score, createdAt: last.createdAt, id: last.p.id } }
        : {}),
    };
  }

  /** This, as the use cases take it. */
  get store(): ProposalStore {
    return this as unknown as ProposalStore;
  }
}
