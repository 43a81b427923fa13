import type { CallRound, OfferSnapshot } from '@mutirao/contracts';
import { coordinates, type Principal } from '@mutirao/http';
import { type Clock, conflict, forbidden, notFound } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { toEntry } from '@mutirao/outbox';
import { countryInRegion } from '@mutirao/reference-data';
import type { Logger } from '@mutirao/telemetry';
import { assignCall } from '../domain/calls/assign';
import { callCandidates } from '../domain/calls/candidates';
import type { Solve } from '../domain/calls/linear';
import { buildRound, roundId, termsOf } from '../domain/calls/round';
import type { MatchIndex } from '../domain/match-index';
import { proposalKey } from '../domain/triad-rules';
import { type ProposalStore, proposalId } from '../store/proposals';
import type { RoundStore } from '../store/rounds';
import { proposalEntry, SOURCE } from './events';

export interface CallsDeps {
  index: MatchIndex;
  proposals: ProposalStore;
  rounds: RoundStore;
  solve: Solve;
  /** The proposal and call topics as deployed (prefix included). */
  proposalTopic: string;
  callTopic: string;
  now: Clock;
  /** Wakes the outbox relay after a round is written. */
  wake: () => void;
  logger: Logger;
}

/** setTimeout's longest delay; a later closing is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls: offers whose capacity is assigned all at once when they close. Each open call's closing
 * time comes from its offer as the read model holds it, so a restart arms the same timers again
 * (`start`); a call whose closing passed while the service was down is solved at start. A
 * coordinator may close one earlier (`solve`). One round per call: a second is refused.
 */
export class Calls {
  /** Open calls without a round, by offer id, with their closing time. */
  private readonly due = new Map<string, number>();
  private readonly solved = new Set<string>();
  private readonly solving = new Map<string, Promise<CallRound>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private sweep: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CallsDeps) {}

  /** Arms the timers of the open calls the index holds (at start), solving those already due. */
  async start(): Promise<void> {
    for (const id of await this.deps.rounds.solvedOffers()) this.solved.add(id);
    for (const offer of this.deps.index.calls()) this.track(offer);
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Settles what the timers hold (the tests, and `stop` callers that want the last round written). */
  async idle(): Promise<void> {
    await this.sweep;
    await Promise.all(this.solving.values());
  }

  /** An offer that is (or was) a call changed: its closing is (re)scheduled, or forgotten. */
  changed(offer: OfferSnapshot): void {
    this.track(offer);
    this.arm();
  }

  private track(offer: OfferSnapshot): void {
    if (offer.call && offer.status === 'open' && !this.solved.has(offer.id))
      this.due.set(offer.id, new Date(offer.call.closesAt).getTime());
    else this.due.delete(offer.id);
  }

  /** One timer, for the earliest closing. */
  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = Math.min(...this.due.values());
    if (!Number.isFinite(next)) return;
    const delay = Math.max(0, Math.min(next - this.deps.now().getTime(), LONGEST_TIMER_MS));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweep = this.sweep.then(() => this.closeDue());
    }, delay);
    this.timer.unref();
  }

  private async closeDue(): Promise<void> {
    const now = this.deps.now().getTime();
    for (const [offerId, closesAt] of [...this.due]) {
      if (closesAt > now || this.stopped) continue;
      try {
        await this.close(offerId, 'closing');
      } catch (err) {
        // Refusals here are final (the call is no longer open, or has a round): forget it.
        this.deps.logger.warn(
          { offerId, err: (err as Error).message },
          'a call could not be solved at its closing',
        );
        this.due.delete(offerId);
      }
    }
    this.arm();
  }

  /** A coordinator of the call's organisation's region, or the admin, closes the call now. */
  async solve(p: Principal, offerId: string): Promise<CallRound> {
    const offer = this.deps.index.offer(offerId);
    if (!offer?.call) throw notFound(`No open call ${offerId}.`);
    const org = this.deps.index.organisation(offer.organisationId);
    if (!org || !coordinates(p, org.country, countryInRegion))
      throw forbidden("Only a coordinator of the call's region, or the admin, can close it.");
    if (new Date(offer.call.opensAt).getTime() > this.deps.now().getTime())
      throw conflict(`The call opens on ${offer.call.opensAt}: it cannot be closed before.`);
    const round = await this.close(offerId, 'coordinator');
    this.arm();
    return round;
  }

  /** The call's round, for those who may see the call's proposals. */
  async round(p: Principal, offerId: string): Promise<CallRound> {
    const round = await this.deps.rounds.ofOffer(offerId);
    const org = round ? this.deps.index.organisation(round.offerOrganisationId) : undefined;
    const mayRead =
      round &&
      ((org && coordinates(p, org.country, countryInRegion)) ||
        round.chosen.some((c) => coordinates(p, c.needCountry, countryInRegion)));
    if (!round || !mayRead) throw notFound(`No round of call ${offerId}.`);
    return round;
  }

  /** Solves a call once, whoever asks first; a second asker waits for the same round. */
  private close(offerId: string, trigger: CallRound['trigger']): Promise<CallRound> {
    const running = this.solving.get(offerId);
    if (running) return running;
    const work = this.solveNow(offerId, trigger).finally(() => this.solving.delete(offerId));
    this.solving.set(offerId, work);
    return work;
  }

  private async solveNow(offerId: string, trigger: CallRound['trigger']): Promise<CallRound> {
    if (this.solved.has(offerId) || (await this.deps.rounds.get(roundId(offerId))))
      throw conflict(`Call ${offerId} has been solved already.`);
    const { index, proposals } = this.deps;
    const offer = index.offer(offerId);
    if (!offer?.call) throw notFound(`No open call ${offerId}.`);
    const now = this.deps.now();
    const rejected = proposals.rejected;
    // Every open need the engine's hard rules allow for the call's offer, but a pair a coordinator
    // rejected (the rule the engine keeps for every pair).
    const candidates = callCandidates(offer, index.needs(), (id) => index.organisation(id), now).filter(
      (c) => !rejected.has(proposalKey(c.needId, [offer.id])),
    );
    const assignment = await assignCall(termsOf(offer), candidates, this.deps.solve);
    const { round, proposals: fresh } = buildRound({
      offer,
      candidates,
      assignment,
      rejected,
      trigger,
      now,
      proposalIdOf: proposalId,
    });
    // Proposals first, then the round: a crash between the two solves the call again at start, and
    // the same pairs find their proposals there already (the key is unique).
    if (fresh.length > 0)
      await proposals.createMany(
        fresh.map(({ snapshot, key }) => ({
          snapshot,
          key,
          event: proposalEntry(this.deps.proposalTopic, snapshot, 'proposed'),
          now,
        })),
      );
    const event = toEntry(
      this.deps.callTopic,
      makeEvent({
        type: 'org.mutirao.matching.call.solved',
        source: SOURCE,
        subject: offer.id,
        data: { round },
        time: now,
      }),
    );
    if (!(await this.deps.rounds.create(round, event)))
      throw conflict(`Call ${offerId} has been solved already.`);
    this.solved.add(offerId);
    this.due.delete(offerId);
    this.deps.wake();
    this.deps.logger.info(
      {
        offerId,
        round: round.id,
        trigger,
        eligible: round.eligible,
        chosen: round.chosen.length,
        objective: round.objective,
        bound: round.bound,
        solverMillis: Math.round(round.solverMillis),
      },
      'call solved',
    );
    return round;
  }
}
