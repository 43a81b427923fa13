import type { NeedSnapshot, ProposalSnapshot } from '@mutirao/contracts';
import type { Clock } from '@mutirao/kernel';
import { contextFromTraceparent, inSpan, tracer } from '@mutirao/telemetry';
import { context, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { type MatchContext, matchNeed } from '../domain/engine';
import { pairKind } from '../domain/learning/decisions';
import type { LearnedModel } from '../domain/learning/model';
import { noteSentences, regionOf } from '../domain/learning/record';
import { rerank as learnedOrder } from '../domain/learning/rerank';
import type { MatchIndex } from '../domain/match-index';
import { expire, isOpen, rerank } from '../domain/proposal';
import { english } from '../domain/sentences';
import { proposalKey } from '../domain/triad-rules';
import type { Proposal } from '../domain/types';
import { type NewProposal, type ProposalLine, type ProposalStore, proposalId } from '../store/proposals';
import { TRACER } from './changes';
import { proposalEntry } from './events';
import type { ProposalTransitions } from './transitions';

export interface ReconcileDeps {
  index: MatchIndex;
  proposals: ProposalStore;
  transitions: ProposalTransitions;
  /** The proposal topic as deployed (prefix included). */
  topic: string;
  now: Clock;
  /** Proposals per need. */
  limit: number;
  /** Needs waiting to be ranked: they will be, against every offer then in the index. */
  waiting: (needId: string) => boolean;
  /** Whether this instance writes the need's proposals (every need's, with one instance). */
  owns: (needId: string) => boolean;
  /** The ranking model learnt from decisions, once there is one (see Learning). */
  model?: () => LearnedModel | undefined;
}

/** Statuses that hold one of a need's proposal slots. */
const HOLDS_A_SLOT = new Set([
  'proposed',
  'approved',
  'info-requested',
  'info-provided',
  'accepted',
  'agreed',
]);

const rounded = (score: number) => Math.round(score * 1e4) / 1e4;

/**
 * Keeps each need's stored proposals in line with its ranking: new pairs and triads while the need
 * has free slots (each at most once ever: the key is unique), the new rank of unreviewed ones that
 * moved, expiry for those that fell out or whose postings stopped being matchable.
 */
export class Reconciler {
  /**
   * The score of a need's weakest proposal holding a slot, for needs whose slots are all taken:
   * an offer that cannot beat it is not worth ranking the need again for (see MatchContext.floor).
   */
  private readonly floors = new Map<string, number>();

  constructor(private readonly deps: ReconcileDeps) {}

  /** The floors of every need from the proposals in store (at start). */
  loadFloors(): void {
    const byNeed = new Map<string, ProposalLine[]>();
    for (const p of this.deps.proposals.allLines())
      if (p.round === undefined) byNeed.set(p.needId, [...(byNeed.get(p.needId) ?? []), p]);
    for (const [needId, ps] of byNeed)
      this.setFloor(
        needId,
        ps.filter((p) => HOLDS_A_SLOT.has(p.status)).map((p) => p.score),
      );
  }

  /** The floors of these needs from the proposals in memory (needs taken over from another instance). */
  refreshFloors(needIds: Iterable<string>): void {
    for (const id of needIds)
      this.setFloor(
        id,
        this.deps.proposals
          .forNeed(id)
          .filter((p) => p.round === undefined && HOLDS_A_SLOT.has(p.status))
          .map((p) => p.score),
      );
  }

  /** What the engine ranks with now. */
  context(): MatchContext {
    return {
      index: this.deps.index,
      now: this.deps.now(),
      rejected: this.deps.proposals.rejected,
      limit: this.deps.limit,
      floor: (needId: string) => this.floors.get(needId),
      skip: this.deps.waiting,
    };
  }

  /** `heldScores`: the scores of the need's proposals that hold a slot. */
  private setFloor(needId: string, heldScores: readonly number[]): void {
    if (heldScores.length >= this.deps.limit) this.floors.set(needId, Math.min(...heldScores));
    else this.floors.delete(needId);
  }

  /**
   * (Re)ranks the open needs among these and stores the proposals they have room for, the new ones
   * in one write. Each need is ranked in a span continuing the trace of the change that marked it
   * (`traces`, in the order of `needIds`), so a need's proposals and their events are in the trace
   * of the request that posted it; the write is under that span when it is for one need only, and
   * linked to each need's otherwise.
   */
  async rankNeeds(needIds: readonly string[], traces: readonly (string | undefined)[] = []): Promise<void> {
    const t = tracer(TRACER);
    const planned: { need: NeedSnapshot; span: Span; held: number[]; fresh: NewProposal[] }[] = [];
    const spans: Span[] = [];
    try {
      for (const [i, id] of needIds.entries()) {
        if (!this.deps.owns(id)) continue;
        const need = this.deps.index.need(id);
        if (need?.status !== 'open') continue;
        const traceparent = traces[i];
        const parent = traceparent ? contextFromTraceparent(traceparent) : context.active();
        const span = t.startSpan('rank need', { attributes: { 'mutirao.need.id': id } }, parent);
        spans.push(span);
        const plan = await context.with(trace.setSpan(parent, span), () =>
          this.plan(need, this.ranked(need)),
        );
        if (plan) planned.push({ need, span, ...plan });
      }
      const fresh = planned.flatMap((p) => p.fresh);
      const writers = planned.filter((p) => p.fresh.length > 0).map((p) => p.span);
      const [only] = writers;
      const created =
        fresh.length === 0
          ? []
          : await inSpan(
              TRACER,
              'store proposals',
              writers.length === 1 && only ? trace.setSpan(ROOT_CONTEXT, only) : ROOT_CONTEXT,
              () => this.deps.proposals.createMany(fresh),
              {
                attributes: { 'mutirao.proposals': fresh.length },
                links: writers.length > 1 ? writers.map((s) => ({ context: s.spanContext() })) : [],
              },
            );
      // New proposals go through the journal, which hands their events to the relay: no wake.
      let k = 0;
      for (const p of planned) {
        const held = [...p.held];
        for (const f of p.fresh) if (created[k++]) held.push(f.snapshot.score);
        this.setFloor(p.need.id, held);
      }
    } catch (err) {
      for (const s of spans) s.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      for (const s of spans) s.end();
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
    const { index, now } = this.deps;
    const needOrg = index.organisation(need.organisationId);
    if (!needOrg) return undefined;
    // A call's proposals are the round's, outside the need's ranking and its slots.
    const existing = this.deps.proposals.forNeed(need.id).filter((p) => p.round === undefined);
    const keyOf = (p: { needId: string; offerIds: readonly string[] }) => proposalKey(p.needId, p.offerIds);
    const best = new Map(ranked.map((r) => [keyOf(r), r]));
    const known = new Set(existing.map(keyOf));
    const held: number[] = [];
    for (const p of existing) {
      const r = best.get(keyOf(p));
      if (p.status === 'proposed' && !r) {
        await this.deps.transitions.apply(p.id, (cur) => expire(cur, now()));
        continue;
      }
      if (p.status === 'proposed' && r) {
        const score = rounded(r.score);
        if (p.rank !== r.rank || p.score !== score) {
          await this.deps.transitions.apply(p.id, (cur) => rerank(cur, r.rank, score, now()));
        }
        held.push(score);
      } else if (HOLDS_A_SLOT.has(p.status)) held.push(p.score);
    }
    let free = this.deps.limit - held.length;
    const fresh: NewProposal[] = [];
    for (const r of ranked) {
      if (free <= 0) break;
      const key = keyOf(r);
      if (known.has(key)) continue;
      const offerOrgs = r.offerIds.map((id) => index.offer(id)?.organisationId);
      if (offerOrgs.some((o) => o === undefined)) continue;
      const at = now();
      const snapshot: ProposalSnapshot = {
        id: proposalId(key),
        revision: 1,
        updatedAt: at.toISOString(),
        needId: need.id,
        offerIds: [...r.offerIds],
        needOrganisationId: need.organisationId,
        offerOrganisationIds: offerOrgs as string[],
        needType: need.type,
        needCountry: needOrg.country,
        modality: r.modality,
        score: rounded(r.score),
        rank: r.rank,
        status: 'proposed',
        explanation: {
          summary: r.explanation.summary,
          summarySentences: r.explanation.summarySentences.map((x) => ({ ...x })),
          rules: r.explanation.rules.map((x) => ({ ...x })),
          criteria: r.explanation.criteria.map((x) => ({ ...x })),
        },
        consents: {},
      };
      fresh.push({ snapshot, key, event: proposalEntry(this.deps.topic, snapshot, 'proposed'), now: at });
      free--;
      known.add(key);
    }
    return { held, fresh };
  }

  /**
   * The need's best proposals: the engine's order, or, once a model has been learnt from decisions,
   * the model's order over twice as many of the engine's proposals (so it can only reorder pairs and
   * triads that passed every hard rule), each carrying the model's note in its explanation.
   */
  private ranked(need: NeedSnapshot): readonly Proposal[] {
    const model = this.deps.model?.();
    const needOrg = this.deps.index.organisation(need.organisationId);
    if (!model || !needOrg) return matchNeed(need, this.context());
    const engine = matchNeed(need, { ...this.context(), limit: this.deps.limit * 2 });
    const regionName = regionOf(needOrg.country);
    const orgOf = (offerId: string) => this.deps.index.offer(offerId)?.organisationId;
    const reordered = learnedOrder(engine, {
      model,
      region: regionName?.toLowerCase() ?? '',
      parties: (p) => [need.organisationId, ...p.offerIds.flatMap((id) => orgOf(id) ?? [])],
      kind: (p) => pairKind(need.type, p.modality),
      limit: this.deps.limit,
    });
    const name = (id: string) => this.deps.index.organisation(id)?.name ?? id;
    return reordered.map((p) => {
      const notes = noteSentences(p.learning, regionName, name);
      if (notes.length === 0) return p;
      const summarySentences = [...p.explanation.summarySentences, ...notes];
      return {
        ...p,
        explanation: {
          ...p.explanation,
          summarySentences,
          summary: summarySentences.map(english).join(' '),
        },
      };
    });
  }

  /** Expires the open proposals among `proposals` that `pick` picks. */
  async expireWhere(pick: (p: ProposalLine) => boolean, proposals: readonly ProposalLine[]): Promise<void> {
    for (const p of proposals) {
      if (!pick(p) || !isOpen(p.status) || !this.deps.owns(p.needId)) continue;
      await this.deps.transitions.apply(p.id, (current) => expire(current, this.deps.now()));
    }
  }
}
