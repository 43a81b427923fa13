import {
  type NeedSnapshot,
  type OfferSnapshot,
  type OrganisationSnapshot,
  type ProposalSnapshot,
  Topics,
  topicName,
} from '@mutirao/contracts';
import { untilSaved } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import type { Logger } from '@mutirao/telemetry';
import { matchNeed, matchOffer } from './domain/engine';
import { MatchIndex } from './domain/match-index';
import { expire, isOpen, type ProposalEvent, rerank, type Transition } from './domain/proposal';
import { proposalKey } from './domain/triad-rules';
import type { Proposal } from './domain/types';
import type { ChangeKind, PendingChanges } from './store/pending';
import { type NewProposal, type ProposalLine, type ProposalStore, proposalId } from './store/proposals';
import type { ReadModel } from './store/read-model';

export interface MatcherDeps {
  readModel: ReadModel;
  proposals: ProposalStore;
  pending: PendingChanges;
  topicPrefix: string;
  now: () => Date;
  logger: Logger;
  /** Called after every local write so the outbox relay publishes at once. */
  wake: () => void;
  /** Proposals per need. */
  limit?: number;
  /** Quiet time after the last event before proposals are computed (a bulk import settles first). */
  settleMs?: number;
  /** The longest a changed need waits for its proposals however busy the topics are. */
  maxDelayMs?: number;
}

/** Needs ranked together, their new proposals written in one insert. */
const FLUSH_CHUNK = 200;

const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

/** Statuses that hold one of a need's proposal slots. */
const HOLDS_A_SLOT = new Set(['proposed', 'approved', 'info-requested', 'accepted', 'agreed']);

const matchable = (o: OfferSnapshot, now: Date): boolean =>
  o.status === 'open' && o.capacity > 0 && new Date(o.expiresAt) > now;

/**
 * The matching use cases: keeps the read model and the in-memory index up to date from the
 * topics, turns engine results into stored proposals (each pair or triad at most once), expires
 * proposals whose postings stopped being matchable, and runs review and consent.
 */
export class Matcher {
  /** Needs whose proposals must be recomputed: a need, an offer or an organisation changed. */
  private readonly dirty = new Set<string>();
  private settleTimer: NodeJS.Timeout | undefined;
  private firstDirtyAt = 0;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  /** The last pending change's sequence number, those of changes being applied, the last removed. */
  private sequence = 0;
  private readonly inFlight = new Set<number>();
  private cleared = 0;
  /** While the start reacts to the changes left pending, none of them may be removed. */
  private reacting = false;
  /**
   * The score of a need's weakest proposal holding a slot, for needs whose slots are all taken:
   * an offer that cannot beat it is not worth ranking the need again for (see MatchContext.floor).
   */
  private readonly floors = new Map<string, number>();
  /** The open needs of each organisation, and the reverse. */
  private readonly needsByOrganisation = new Map<string, Set<string>>();
  private readonly needOwner = new Map<string, string>();

  private constructor(
    private readonly deps: MatcherDeps,
    readonly index: MatchIndex,
    private readonly rejected: Set<string>,
  ) {}

  /** Builds the index from the persisted read model: no replay of the topics needed. */
  static async start(deps: MatcherDeps): Promise<Matcher> {
    const t0 = Date.now();
    const [data, proposalCount] = await Promise.all([deps.readModel.loadAll(), deps.proposals.load()]);
    const index = MatchIndex.build(data);
    const rejected = deps.proposals.keysWithStatus('rejected');
    deps.logger.info(
      {
        ms: Date.now() - t0,
        needs: data.needs.length,
        offers: data.offers.length,
        organisations: data.organisations.length,
        proposals: proposalCount,
      },
      'match index built from the read model',
    );
    const matcher = new Matcher(deps, index, rejected);
    for (const n of data.needs) matcher.noteNeedOwner(n);
    matcher.sequence = await deps.pending.lastSequence();
    const byNeed = new Map<string, ProposalLine[]>();
    for (const p of deps.proposals.allLines()) byNeed.set(p.needId, [...(byNeed.get(p.needId) ?? []), p]);
    for (const [needId, ps] of byNeed) matcher.updateFloor(needId, ps);
    // Changes applied but not followed through when the process stopped: react to them again,
    // with the snapshots the read model holds now (maps of the pending ones only).
    const pending = await deps.pending.all();
    const ids = new Set(pending.map((c) => c.id));
    const pendingOf = <T extends { id: string }>(all: readonly T[]) =>
      new Map(all.filter((x) => ids.has(x.id)).map((x) => [x.id, x]));
    const snapshots = {
      organisation: pendingOf(data.organisations),
      need: pendingOf(data.needs),
      offer: pendingOf(data.offers),
    };
    // A flush may start meanwhile (for needs marked here): it must not remove these changes yet.
    matcher.reacting = true;
    for (const { kind, id } of pending) {
      if (kind === 'all') {
        // What a database kept from before pending changes were recorded left unfinished is
        // unknown: every open need is ranked once (pairs already proposed are skipped by key).
        for (const n of data.needs) if (n.status === 'open') matcher.markDirty(n.id);
      } else if (kind === 'organisation') {
        const org = snapshots.organisation.get(id);
        if (org) await matcher.organisationChanged(org);
      } else if (kind === 'need') {
        const need = snapshots.need.get(id);
        if (need) await matcher.needChanged(need);
      } else {
        const offer = snapshots.offer.get(id);
        if (offer) await matcher.offerChanged(offer);
      }
    }
    matcher.reacting = false;
    if (pending.length > 0) matcher.schedule();
    deps.logger.info({ pending: pending.length, dirty: matcher.dirty.size }, 'reacted to pending changes');
    return matcher;
  }

  /** How many needs wait to be ranked (shown by `GET /progress`). */
  needsWaiting(): number {
    return this.dirty.size;
  }

  /** True when every applied change has been turned into proposals (for `mutirao wait`). */
  idle(): boolean {
    return this.dirty.size === 0 && !this.flushing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settleTimer);
    await this.flushing;
  }

  private markDirty(needId: string): void {
    this.noteWork();
    this.dirty.add(needId);
    this.schedule();
  }

  /** Starts the settle clock when nothing was waiting: no dirty need and no pending change to remove. */
  private noteWork(): void {
    if (this.dirty.size === 0 && this.sequence === this.cleared) this.firstDirtyAt = Date.now();
  }

  /**
   * Records the changes as pending before `apply` writes them anywhere, so that a crash at any
   * point leaves a trace the next start reacts to; the next flush that completes removes it.
   */
  private async tracked(kind: ChangeKind, ids: readonly string[], apply: () => Promise<void>): Promise<void> {
    this.noteWork();
    const sequence = ++this.sequence;
    this.inFlight.add(sequence);
    try {
      await this.deps.pending.add(sequence, kind, ids);
      await apply();
    } finally {
      this.inFlight.delete(sequence);
      this.schedule();
    }
  }

  /** Removes the pending changes every one of whose consequences is now stored. */
  private async clearPending(): Promise<void> {
    if (this.reacting) return;
    // A change still being applied may not have marked its needs yet: stop below it.
    const upTo = this.inFlight.size > 0 ? Math.min(...this.inFlight) - 1 : this.sequence;
    if (upTo <= this.cleared) return;
    try {
      await this.deps.pending.removeUpTo(upTo);
      this.cleared = upTo;
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not remove pending changes; will retry');
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /**
   * Proposals are computed once the stream is quiet for a moment (or after `maxDelayMs`), so a
   * need imported before its offers is ranked against all of them at once, not offer by offer.
   */
  private schedule(): void {
    if (this.stopped || this.flushing) return;
    clearTimeout(this.settleTimer);
    const waited = Date.now() - this.firstDirtyAt;
    const delay = Math.max(0, Math.min(this.deps.settleMs ?? 250, (this.deps.maxDelayMs ?? 3_000) - waited));
    this.settleTimer = setTimeout(() => void this.flush(), delay);
  }

  /**
   * Computes the proposals of every dirty need, a chunk of needs at a time (their new proposals
   * written together); resolves when none is left.
   */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    clearTimeout(this.settleTimer);
    this.flushing = (async () => {
      while (this.dirty.size > 0 && !this.stopped) {
        const ids = [...this.dirty].slice(0, FLUSH_CHUNK);
        for (const id of ids) this.dirty.delete(id);
        const needs = ids
          .map((id) => this.index.need(id))
          .filter((n) => n?.status === 'open') as NeedSnapshot[];
        try {
          await this.proposeForMany(needs);
        } catch (err) {
          this.deps.logger.error({ err, needs: needs.length }, 'could not store proposals; will retry');
          for (const n of needs) this.dirty.add(n.id);
          await new Promise((r) => setTimeout(r, 1_000));
        }
        // Let requests and events in between chunks.
        await new Promise((r) => setImmediate(r));
      }
      if (!this.stopped && this.dirty.size === 0) await this.clearPending();
    })().finally(() => {
      this.flushing = undefined;
      if (this.dirty.size > 0 || this.sequence > this.cleared) this.schedule();
    });
    return this.flushing;
  }

  private get topic(): string {
    return topicName(Topics.proposal, this.deps.topicPrefix);
  }

  private entry(p: ProposalSnapshot, event: ProposalEvent) {
    const envelope = makeEvent({
      type: `org.mutirao.matching.proposal.${event}`,
      source: 'mutirao-matching',
      subject: p.id,
      data: { proposal: p },
      time: new Date(p.updatedAt),
    });
    return toEntry(this.topic, envelope);
  }

  // ------------------------------------------------------------------ events from the topics

  async onOrganisation(org: OrganisationSnapshot): Promise<void> {
    await this.onOrganisations([org]);
  }

  async onNeed(need: NeedSnapshot): Promise<void> {
    await this.onNeeds([need]);
  }

  async onOffer(offer: OfferSnapshot): Promise<void> {
    await this.onOffers([offer]);
  }

  /** A batch of organisation events: stored in one write, then followed through one by one. */
  async onOrganisations(list: readonly OrganisationSnapshot[]): Promise<void> {
    await this.tracked('organisation', ids(list), async () => {
      const applied = await this.deps.readModel.applyOrganisations(list);
      for (const [i, org] of list.entries())
        if (applied[i] === 'applied') await this.organisationChanged(org);
    });
  }

  async onNeeds(list: readonly NeedSnapshot[]): Promise<void> {
    await this.tracked('need', ids(list), async () => {
      const applied = await this.deps.readModel.applyNeeds(list);
      for (const [i, need] of list.entries()) if (applied[i] === 'applied') await this.needChanged(need);
    });
  }

  async onOffers(list: readonly OfferSnapshot[]): Promise<void> {
    await this.tracked('offer', ids(list), async () => {
      const applied = await this.deps.readModel.applyOffers(list);
      for (const [i, offer] of list.entries()) {
        if (applied[i] !== 'applied') continue;
        this.index.upsertOffer(offer);
        await this.offerChanged(offer);
      }
    });
  }

  // What a change calls for once the read model holds it: also run again at start for the changes
  // still pending, so each must be harmless to repeat.

  private async organisationChanged(org: OrganisationSnapshot): Promise<void> {
    this.index.upsertOrganisation(org);
    const needs = [...(this.needsByOrganisation.get(org.id) ?? [])]
      .map((id) => this.index.need(id))
      .filter((n) => n !== undefined);
    const offers = this.index.offersOfOrganisation(org.id);
    if (org.verification !== 'verified') {
      for (const n of needs)
        await this.expireWhere((p) => p.needId === n.id, this.deps.proposals.forNeed(n.id));
      for (const o of offers) await this.expireWhere(() => true, this.deps.proposals.withOffer(o.id));
      return;
    }
    for (const n of needs) this.markDirty(n.id);
    for (const o of offers) await this.offerChanged(o);
  }

  /** Which organisation's open needs are which, for the organisation's changes. */
  private noteNeedOwner(need: NeedSnapshot): void {
    const before = this.needOwner.get(need.id);
    if (before !== undefined && (before !== need.organisationId || need.status !== 'open')) {
      this.needsByOrganisation.get(before)?.delete(need.id);
      this.needOwner.delete(need.id);
    }
    if (need.status !== 'open') return;
    let ids = this.needsByOrganisation.get(need.organisationId);
    if (!ids) {
      ids = new Set();
      this.needsByOrganisation.set(need.organisationId, ids);
    }
    ids.add(need.id);
    this.needOwner.set(need.id, need.organisationId);
  }

  private async needChanged(need: NeedSnapshot): Promise<void> {
    this.index.upsertNeed(need);
    this.noteNeedOwner(need);
    if (need.status !== 'open') {
      await this.expireWhere(() => true, this.deps.proposals.forNeed(need.id));
      return;
    }
    this.markDirty(need.id);
  }

  private async offerChanged(offer: OfferSnapshot): Promise<void> {
    if (!matchable(offer, this.deps.now())) {
      await this.expireWhere(() => true, this.deps.proposals.withOffer(offer.id));
      return;
    }
    for (const m of matchOffer(offer, this.context())) this.markDirty(m.need.id);
  }

  private context() {
    return {
      index: this.index,
      now: this.deps.now(),
      rejected: this.rejected,
      limit: this.deps.limit ?? 3,
      floor: (needId: string) => this.floors.get(needId),
      // Needs waiting to be ranked will be, against every offer then in the index.
      skip: (needId: string) => this.dirty.has(needId),
    };
  }

  private updateFloor(needId: string, proposals: readonly ProposalLine[]): void {
    this.setFloor(
      needId,
      proposals.filter((p) => HOLDS_A_SLOT.has(p.status)).map((p) => p.score),
    );
  }

  /** `heldScores`: the scores of the need's proposals that hold a slot. */
  private setFloor(needId: string, heldScores: readonly number[]): void {
    if (heldScores.length >= (this.deps.limit ?? 3)) this.floors.set(needId, Math.min(...heldScores));
    else this.floors.delete(needId);
  }

  /** (Re)ranks a need and stores the proposals it has room for. */
  async proposeFor(need: NeedSnapshot): Promise<void> {
    await this.proposeForMany([need]);
  }

  /** (Re)ranks needs and stores the proposals they have room for, the new ones in one write. */
  private async proposeForMany(needs: readonly NeedSnapshot[]): Promise<void> {
    const planned: { need: NeedSnapshot; held: number[]; fresh: NewProposal[] }[] = [];
    for (const need of needs) {
      const plan = await this.plan(need, matchNeed(need, this.context()));
      if (plan) planned.push({ need, ...plan });
    }
    const fresh = planned.flatMap((p) => p.fresh);
    const created = await this.deps.proposals.createMany(fresh);
    if (fresh.length > 0) this.deps.wake();
    let k = 0;
    for (const p of planned) {
      const held = [...p.held];
      for (const f of p.fresh) if (created[k++]) held.push(f.snapshot.score);
      this.setFloor(p.need.id, held);
    }
  }

  /**
   * Brings a need's stored proposals in line with its ranking: unreviewed proposals that fell out
   * of the best `limit` expire, those that moved take their new rank (both written here), and new
   * pairs or triads fill the need's free slots (returned, for the caller to write with others).
   * Reviewed proposals keep their slot and rank. `held`: the scores of the proposals that keep a slot.
   */
  private async plan(
    need: NeedSnapshot,
    ranked: readonly Proposal[],
  ): Promise<{ held: number[]; fresh: NewProposal[] } | undefined> {
    const needOrg = this.index.organisation(need.organisationId);
    if (!needOrg) return undefined;
    const existing = this.deps.proposals.forNeed(need.id);
    const keyOf = (p: { needId: string; offerIds: readonly string[] }) => proposalKey(p.needId, p.offerIds);
    const best = new Map(ranked.map((r) => [keyOf(r), r]));
    const known = new Set(existing.map(keyOf));
    const held: number[] = [];
    for (const p of existing) {
      const r = best.get(keyOf(p));
      if (p.status === 'proposed' && !r) {
        await this.transition(p.id, (cur) => expire(cur, this.deps.now()));
        continue;
      }
      if (p.status === 'proposed' && r) {
        const score = Math.round(r.score * 1e4) / 1e4;
        if (p.rank !== r.rank || p.score !== score) {
          await this.transition(p.id, (cur) => rerank(cur, r.rank, score, this.deps.now()));
        }
        held.push(score);
      } else if (HOLDS_A_SLOT.has(p.status)) held.push(p.score);
    }
    let free = (this.deps.limit ?? 3) - held.length;
    const fresh: NewProposal[] = [];
    for (const r of ranked) {
      if (free <= 0) break;
      const key = keyOf(r);
      if (known.has(key)) continue;
      const offerOrgs = r.offerIds.map((id) => this.index.offer(id)?.organisationId);
      if (offerOrgs.some((o) => o === undefined)) continue;
      const now = this.deps.now();
      const snapshot: ProposalSnapshot = {
        id: proposalId(key),
        revision: 1,
        updatedAt: now.toISOString(),
        needId: need.id,
        offerIds: [...r.offerIds],
        needOrganisationId: need.organisationId,
        offerOrganisationIds: offerOrgs as string[],
        needType: need.type,
        needCountry: needOrg.country,
        modality: r.modality,
        score: Math.round(r.score * 1e4) / 1e4,
        rank: r.rank,
        status: 'proposed',
        explanation: {
          summary: r.explanation.summary,
          rules: r.explanation.rules.map((x) => ({ ...x })),
          criteria: r.explanation.criteria.map((x) => ({ ...x })),
        },
        consents: {},
      };
      fresh.push({ snapshot, key, event: this.entry(snapshot, 'proposed'), now });
      free--;
      known.add(key);
    }
    return { held, fresh };
  }

  private async expireWhere(
    pick: (p: ProposalLine) => boolean,
    proposals: readonly ProposalLine[],
  ): Promise<void> {
    for (const p of proposals) {
      if (!pick(p) || !isOpen(p.status)) continue;
      await this.transition(p.id, (current) => expire(current, this.deps.now()));
    }
  }

  // ------------------------------------------------------------------ review and consent

  /**
   * Applies `decide` to the current state and saves the next one with its event; tried again when
   * another writer changed the proposal in between (optimistic concurrency on the revision), and
   * refused as a conflict when that keeps happening. A refusal of `decide` (a `DomainError`) goes
   * to the caller. Resolves to the proposal as saved, as it is when there was nothing to change,
   * or undefined when there is no such proposal.
   */
  async transition(
    id: string,
    decide: (p: ProposalSnapshot) => Transition | undefined,
  ): Promise<ProposalSnapshot | undefined> {
    return untilSaved<ProposalSnapshot | undefined>(`The proposal ${id}`, async () => {
      const current = await this.deps.proposals.get(id);
      if (!current) return { saved: true, value: undefined };
      const t = decide(current);
      if (!t) return { saved: true, value: current };
      if (!(await this.deps.proposals.save(t.next, this.entry(t.next, t.event)))) return { saved: false };
      if (t.next.status === 'rejected') this.rejected.add(proposalKey(t.next.needId, t.next.offerIds));
      this.deps.wake();
      return { saved: true, value: t.next };
    });
  }
}
