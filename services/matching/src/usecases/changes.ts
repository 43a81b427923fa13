import type { NeedSnapshot, OfferSnapshot, OrganisationSnapshot } from '@mutirao/contracts';
import type { Clock } from '@mutirao/kernel';
import { currentTraceparent, inSpan, type Logger } from '@mutirao/telemetry';
import { matchOffer } from '../domain/engine';
import type { MatchIndex } from '../domain/match-index';
import { isOpen } from '../domain/proposal';
import type { ChangeKind } from '../store/pending';
import type { ProposalStore } from '../store/proposals';
import type { ReadModel } from '../store/read-model';
import type { Reconciler } from './reconcile';
import type { SettleQueue } from './settle';

export interface ChangesDeps {
  readModel: ReadModel;
  index: MatchIndex;
  proposals: ProposalStore;
  reconciler: Reconciler;
  settle: SettleQueue;
  now: Clock;
  logger: Logger;
  /** A call's offer changed (or was loaded at start): its closing may need a timer (see Calls). */
  callChanged?: (offer: OfferSnapshot) => void;
}

/** What the read model holds, as loaded at start. */
export interface Held {
  organisations: readonly OrganisationSnapshot[];
  needs: readonly NeedSnapshot[];
  offers: readonly OfferSnapshot[];
}

const ids = (list: readonly { id: string }[]) => list.map((x) => x.id);

/** The tracer of matching's own spans. */
export const TRACER = '@mutirao/matching';

/** The `traceparent` of the event that brought each change of a list, where known (see `traceOf`). */
export type Traces = readonly (string | undefined)[];

const matchable = (o: OfferSnapshot, now: Date): boolean =>
  o.status === 'open' && o.capacity > 0 && new Date(o.expiresAt) > now;

/**
 * The changes of organisations, needs and offers the topics bring (the consumer hands them over in
 * batches): each kept in the read model by revision and in the index, then followed through: the
 * needs it affects are marked to be ranked, and the proposals it makes unmatchable expire.
 */
export class Changes {
  /** The open needs of each organisation, and the reverse. */
  private readonly needsByOrganisation = new Map<string, Set<string>>();
  private readonly needOwner = new Map<string, string>();

  constructor(private readonly deps: ChangesDeps) {}

  /**
   * A batch of organisation events: stored in one write, then followed through one by one, each in
   * a span continuing the trace of its event (`traces`, in the list's order).
   */
  async onOrganisations(list: readonly OrganisationSnapshot[], traces: Traces = []): Promise<void> {
    await this.deps.settle.tracked('organisation', ids(list), async () => {
      const applied = await this.deps.readModel.applyOrganisations(list);
      for (const [i, org] of list.entries())
        if (applied[i] === 'applied')
          await this.followed('organisation', org.id, traces[i], () => this.organisationChanged(org));
    });
  }

  async onNeeds(list: readonly NeedSnapshot[], traces: Traces = []): Promise<void> {
    await this.deps.settle.tracked('need', ids(list), async () => {
      const applied = await this.deps.readModel.applyNeeds(list);
      for (const [i, need] of list.entries())
        if (applied[i] === 'applied')
          await this.followed('need', need.id, traces[i], () => this.needChanged(need));
    });
  }

  async onOffers(list: readonly OfferSnapshot[], traces: Traces = []): Promise<void> {
    await this.deps.settle.tracked('offer', ids(list), async () => {
      const applied = await this.deps.readModel.applyOffers(list);
      for (const [i, offer] of list.entries()) {
        if (applied[i] !== 'applied') continue;
        this.deps.index.upsertOffer(offer);
        await this.followed('offer', offer.id, traces[i], () => this.offerChanged(offer));
      }
    });
  }

  /**
   * What one change calls for, in a span of its own under its event's (the active span without
   * one): the needs it marks are ranked later in that trace.
   */
  private followed(
    kind: 'organisation' | 'need' | 'offer',
    id: string,
    traceparent: string | undefined,
    follow: () => Promise<void>,
  ): Promise<void> {
    return inSpan(TRACER, `${kind} changed`, traceparent, follow, {
      attributes: { [`mutirao.${kind}.id`]: id },
    });
  }

  /**
   * At start, with the index built from `held`: learns which needs are whose, then reacts again to
   * the changes applied but not followed through when the last process stopped, with the snapshots
   * the read model holds now; the events themselves are not redelivered.
   */
  async resume(held: Held, pending: readonly { kind: ChangeKind; id: string }[]): Promise<void> {
    for (const n of held.needs) this.noteNeedOwner(n);
    const pendingIds = new Set(pending.map((c) => c.id));
    const pendingOf = <T extends { id: string }>(all: readonly T[]) =>
      new Map(all.filter((x) => pendingIds.has(x.id)).map((x) => [x.id, x]));
    const snapshots = {
      organisation: pendingOf(held.organisations),
      need: pendingOf(held.needs),
      offer: pendingOf(held.offers),
    };
    await this.deps.settle.reactingToPending(pending.length, async () => {
      for (const { kind, id } of pending) {
        if (kind === 'all') {
          // What a database kept from before pending changes were recorded left unfinished is
          // unknown: every open need is ranked once (pairs already proposed are skipped by key).
          for (const n of held.needs) if (n.status === 'open') this.deps.settle.markLater(n.id);
        } else if (kind === 'organisation') {
          const org = snapshots.organisation.get(id);
          if (org) await this.organisationChanged(org);
        } else if (kind === 'need') {
          const need = snapshots.need.get(id);
          if (need) await this.needChanged(need);
        } else {
          const offer = snapshots.offer.get(id);
          if (offer) await this.offerChanged(offer);
        }
      }
    });
    this.deps.logger.info(
      { pending: pending.length, dirty: this.deps.settle.needsWaiting() },
      'reacted to pending changes',
    );
  }

  /**
   * Forgets the needs `pick` picks, whose partition another instance takes over: out of the index
   * and of the organisations' lists, no longer waiting to be ranked. Call it once nothing writes
   * their proposals here any more (`NeedPartitions.releasing`).
   */
  async dropNeeds(pick: (needId: string) => boolean): Promise<void> {
    const { index, settle } = this.deps;
    for (const n of [...index.needs()]) if (pick(n.id)) index.removeNeed(n.id);
    for (const [needId, orgId] of [...this.needOwner]) {
      if (!pick(needId)) continue;
      this.needOwner.delete(needId);
      this.needsByOrganisation.get(orgId)?.delete(needId);
    }
    await settle.forget(pick);
  }

  /**
   * Takes over needs whose last writer was another instance (their partition moved here), as the
   * read model holds them: their proposals still in the last writer's outbox are read from the store
   * (the published ones are in the table already, see `reloadNeeds`), the open ones that the
   * organisations and offers known here no longer allow are expired, and every open need is ranked
   * again. Whatever the last writer had not done is done then, whatever it did is in the store.
   */
  async takeNeeds(needs: readonly NeedSnapshot[], partition?: number): Promise<void> {
    const { index, proposals, reconciler, settle } = this.deps;
    const t0 = performance.now();
    await proposals.reloadNeeds(
      needs.map((n) => n.id),
      partition,
    );
    this.deps.logger.info(
      { partition, needs: needs.length, ms: Math.round(performance.now() - t0) },
      'proposals of the needs taken over reloaded',
    );
    reconciler.refreshFloors(needs.map((n) => n.id));
    const now = this.deps.now();
    for (const need of needs) {
      index.upsertNeed(need);
      this.noteNeedOwner(need);
      const open = proposals.forNeed(need.id).filter((p) => isOpen(p.status));
      const needOrg = index.organisation(need.organisationId);
      const needGone =
        need.status !== 'open' || (needOrg !== undefined && needOrg.verification !== 'verified');
      await reconciler.expireWhere(
        (p) => needGone || !p.offerIds.every((id) => this.stillMatchable(id, now)),
        open,
      );
      if (!needGone) settle.markLater(need.id);
    }
  }

  /** Whether the offer is open, with capacity, and its organisation verified, as far as known here. */
  private stillMatchable(offerId: string, now: Date): boolean {
    const offer = this.deps.index.offer(offerId);
    if (!offer || !matchable(offer, now)) return false;
    const org = this.deps.index.organisation(offer.organisationId);
    return org === undefined || org.verification === 'verified';
  }

  // What a change calls for once the read model holds it: also run again at start for the changes
  // still pending, so each must be harmless to repeat.

  private async organisationChanged(org: OrganisationSnapshot): Promise<void> {
    const { index, proposals, reconciler, settle } = this.deps;
    index.upsertOrganisation(org);
    const needs = [...(this.needsByOrganisation.get(org.id) ?? [])]
      .map((id) => index.need(id))
      .filter((n) => n !== undefined);
    const offers = index.offersOfOrganisation(org.id);
    if (org.verification !== 'verified') {
      for (const n of needs) await reconciler.expireWhere((p) => p.needId === n.id, proposals.forNeed(n.id));
      for (const o of offers) await reconciler.expireWhere(() => true, proposals.withOffer(o.id));
      return;
    }
    const traceparent = currentTraceparent();
    for (const n of needs) settle.markDirty(n.id, traceparent);
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
    let owned = this.needsByOrganisation.get(need.organisationId);
    if (!owned) {
      owned = new Set();
      this.needsByOrganisation.set(need.organisationId, owned);
    }
    owned.add(need.id);
    this.needOwner.set(need.id, need.organisationId);
  }

  private async needChanged(need: NeedSnapshot): Promise<void> {
    this.deps.index.upsertNeed(need);
    this.noteNeedOwner(need);
    if (need.status !== 'open') {
      await this.deps.reconciler.expireWhere(() => true, this.deps.proposals.forNeed(need.id));
      return;
    }
    this.deps.settle.markDirty(need.id);
  }

  private async offerChanged(offer: OfferSnapshot): Promise<void> {
    const { reconciler, settle } = this.deps;
    if (offer.call) this.deps.callChanged?.(offer);
    if (!matchable(offer, this.deps.now())) {
      await reconciler.expireWhere(() => true, this.deps.proposals.withOffer(offer.id));
      return;
    }
    // A call is assigned when it closes, never pair by pair.
    if (offer.call) return;
    const traceparent = currentTraceparent();
    for (const m of matchOffer(offer, reconciler.context())) settle.markDirty(m.need.id, traceparent);
  }
}
