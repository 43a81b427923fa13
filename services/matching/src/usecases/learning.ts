import type { DeclineReason, ProposalSnapshot, RejectionReason } from '@mutirao/contracts';
import type { Clock } from '@mutirao/kernel';
import type { Logger } from '@mutirao/telemetry';
import type { DecisionRecord } from '../domain/learning/decisions';
import { type LearnedModel, train } from '../domain/learning/model';
import { decisionRecord } from '../domain/learning/record';
import type { DecisionStore } from '../store/decisions';

export interface LearningDeps {
  decisions: DecisionStore;
  now: Clock;
  logger: Logger;
  /** Quiet time after a decision before the model is trained again (several decisions, one training). */
  retrainAfterMs?: number;
}

/**
 * Learning from decisions: every review and consent decision is kept with the proposal's features,
 * and the ranking model is trained again from all of them shortly after each (at start, from those
 * kept). Until the first decision there is no model and the engine's order stands.
 */
export class Learning {
  private model: LearnedModel | undefined;
  private log: DecisionRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private trained = 0;

  constructor(private readonly deps: LearningDeps) {}

  async start(): Promise<void> {
    this.log = await this.deps.decisions.all();
    this.retrain();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The model the rankings use now; none before the first decision. */
  current(): LearnedModel | undefined {
    return this.model;
  }

  /** How many decisions the current model was trained on. */
  get trainedOn(): number {
    return this.trained;
  }

  /** Keeps a decision taken on `proposal` (as saved after it), and trains again soon. */
  async record(
    proposal: ProposalSnapshot,
    decision: DecisionRecord['decision'],
    opts: { reason?: RejectionReason | DeclineReason; organisationId?: string } = {},
  ): Promise<void> {
    const record = decisionRecord(proposal, decision, this.deps.now(), opts);
    if (!record) return;
    try {
      if (!(await this.deps.decisions.add(record))) return;
    } catch (err) {
      // The decision itself is saved; losing one record only teaches the model a little less.
      this.deps.logger.warn(
        { err: (err as Error).message, proposalId: proposal.id },
        'a decision was not kept',
      );
      return;
    }
    this.log.push(record);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.retrain();
    }, this.deps.retrainAfterMs ?? 1_000);
    this.timer.unref();
  }

  /** Trains on every decision kept (about a second for 14,000 pairs, on the event loop). */
  retrain(): void {
    if (this.log.length === 0) return;
    const t0 = performance.now();
    this.model = train(this.log);
    this.trained = this.log.length;
    this.deps.logger.info(
      { decisions: this.log.length, pairs: this.model.globalPairs, ms: Math.round(performance.now() - t0) },
      'ranking model trained',
    );
  }
}
