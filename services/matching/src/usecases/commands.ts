import { randomUUID } from 'node:crypto';
import type {
  AnswerCommandData,
  CommandReplyData,
  DeclineReason,
  InformCommandData,
  ProposalSnapshot,
  ReviewCommandData,
} from '@mutirao/contracts';
import { assertNever, isOutage, type Principal } from '@mutirao/http';
import { DomainError } from '@mutirao/kernel';
import type { Logger } from '@mutirao/telemetry';
import type { ReviewCommand } from '../domain/proposal';
import { proposalKey } from '../domain/triad-rules';
import type { ProposalStore } from '../store/proposals';
import type { Consent } from './consent';
import type { Ownership } from './ownership';
import type { Review } from './review';

type Outcome = CommandReplyData['outcome'];

/** A command as it travels: what the route was asked, for whom, about which need. */
export type RoutedCommand =
  | { type: 'org.mutirao.matching.command.review'; data: ReviewCommandData }
  | { type: 'org.mutirao.matching.command.answer'; data: AnswerCommandData }
  | { type: 'org.mutirao.matching.command.inform'; data: InformCommandData };

/** How commands reach the instance owning a need, and its replies come back (Kafka, in main). */
export interface CommandBus {
  /** This instance's name on the reply topic. */
  readonly replyTo: string;
  /** Sends the command to the owner of its need (the command topic, keyed by need id). */
  send(command: RoutedCommand): Promise<void>;
  /** Sends the outcome to the instance that sent the command (the reply topic). */
  reply(reply: CommandReplyData): Promise<void>;
}

export interface CommandsDeps {
  review: Review;
  consent: Consent;
  proposals: ProposalStore;
  ownership: Ownership;
  /** None with one instance: every command is applied here. */
  bus?: CommandBus;
  logger: Logger;
  /** How long a caller waits for the owner's answer before a 503 (default 10 s). */
  timeoutMs?: number;
}

const callerOf = (p: Principal) => ({
  sub: p.sub,
  ...(p.org !== undefined ? { org: p.org } : {}),
  roles: [...p.roles],
  regions: [...p.regions],
});

/**
 * The commands on a proposal (coordinators' reviews, parties' answers), applied by the one
 * instance that writes the proposal's need: here when it is this one, otherwise sent to it and
 * waited for. The answer is the same either way: the proposal as saved, or the refusal.
 */
export class ProposalCommands {
  private readonly waiting = new Map<
    string,
    { resolve: (o: Outcome) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(private readonly deps: CommandsDeps) {}

  review(p: Principal, id: string, cmd: Omit<ReviewCommand, 'by'>): Promise<ProposalSnapshot> {
    return this.route(
      id,
      () => this.deps.review.decide(p, id, cmd),
      (base) => ({
        type: 'org.mutirao.matching.command.review',
        data: {
          ...base,
          decision: cmd.decision,
          ...(cmd.reason !== undefined ? { reason: cmd.reason } : {}),
          ...(cmd.note !== undefined ? { note: cmd.note } : {}),
          ...(cmd.to !== undefined ? { to: cmd.to } : {}),
        },
      }),
      p,
    );
  }

  inform(p: Principal, id: string, text: string): Promise<ProposalSnapshot> {
    return this.route(
      id,
      () => this.deps.consent.inform(p, id, text),
      (base) => ({ type: 'org.mutirao.matching.command.inform', data: { ...base, text } }),
      p,
    );
  }

  answer(
    p: Principal,
    id: string,
    answer: 'accept' | 'decline',
    reason?: DeclineReason,
  ): Promise<ProposalSnapshot> {
    return this.route(
      id,
      () => this.deps.consent.answer(p, id, answer, reason),
      (base) => ({
        type: 'org.mutirao.matching.command.answer',
        data: { ...base, answer, ...(reason ? { reason } : {}) },
      }),
      p,
    );
  }

  private async route(
    id: string,
    here: () => Promise<ProposalSnapshot>,
    command: (base: Omit<ReviewCommandData, 'decision' | 'reason' | 'note' | 'to'>) => RoutedCommand,
    p: Principal,
  ): Promise<ProposalSnapshot> {
    const { bus, ownership, proposals } = this.deps;
    const needId = proposals.line(id)?.needId ?? (await proposals.get(id))?.needId;
    // No such proposal (the use case says so), or its need is written here.
    if (!bus || needId === undefined || ownership.owns(needId)) return ownership.work(here);
    const commandId = randomUUID();
    const outcome = await this.sendAndWait(
      commandId,
      command({ commandId, replyTo: bus.replyTo, needId, proposalId: id, caller: callerOf(p) }),
    );
    if (!outcome.ok) throw refusal(outcome);
    // Read your writes: this instance's lists show the change before the proposal topic brings it.
    proposals.observe(outcome.proposal, proposalKey(outcome.proposal.needId, outcome.proposal.offerIds));
    return outcome.proposal;
  }

  private sendAndWait(commandId: string, command: RoutedCommand): Promise<Outcome> {
    const bus = this.deps.bus as CommandBus;
    const timeoutMs = this.deps.timeoutMs ?? 10_000;
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(commandId);
        reject(
          new DomainError(
            'unavailable',
            'The matching instance that writes this proposal did not answer in time; the command may still be applied.',
            { retryAfterSeconds: 2 },
          ),
        );
      }, timeoutMs);
      this.waiting.set(commandId, { resolve, reject, timer });
      bus.send(command).catch((err: unknown) => {
        clearTimeout(timer);
        this.waiting.delete(commandId);
        reject(err as Error);
      });
    });
  }

  /** A reply on the reply topic: the outcome of one of this instance's commands, if it still waits. */
  settle(reply: CommandReplyData): void {
    const w = this.waiting.get(reply.commandId);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(reply.commandId);
    w.resolve(reply.outcome);
  }

  /**
   * At the owner: applies a command another instance sent, as if it had come here, and replies.
   * False when this instance does not write the need (any more): the command is not applied.
   */
  async execute(command: RoutedCommand): Promise<boolean> {
    const { ownership, bus } = this.deps;
    const { data } = command;
    const caller: Principal = { ...data.caller, regions: data.caller.regions };
    const outcome = await ownership.work(async (): Promise<Outcome | undefined> => {
      if (!ownership.owns(data.needId)) return undefined;
      try {
        const proposal = await this.apply(caller, command);
        return { ok: true, proposal };
      } catch (err) {
        return outcomeOf(err, this.deps.logger);
      }
    });
    if (!outcome) return false;
    await bus?.reply({ commandId: data.commandId, replyTo: data.replyTo, outcome });
    return true;
  }

  private apply(caller: Principal, command: RoutedCommand): Promise<ProposalSnapshot> {
    const id = command.data.proposalId;
    switch (command.type) {
      case 'org.mutirao.matching.command.review': {
        const { decision, reason, note, to } = command.data;
        return this.deps.review.decide(caller, id, {
          decision,
          ...(reason !== undefined ? { reason } : {}),
          ...(note !== undefined ? { note } : {}),
          ...(to !== undefined ? { to } : {}),
        });
      }
      case 'org.mutirao.matching.command.answer':
        return this.deps.consent.answer(caller, id, command.data.answer, command.data.reason);
      case 'org.mutirao.matching.command.inform':
        return this.deps.consent.inform(caller, id, command.data.text);
      default:
        return assertNever(command);
    }
  }

  /** Stops waiting for replies: the callers get a 503. */
  stop(): void {
    for (const [id, w] of this.waiting) {
      clearTimeout(w.timer);
      w.reject(new DomainError('unavailable', 'The service is stopping.', { retryAfterSeconds: 2 }));
      this.waiting.delete(id);
    }
  }
}

function outcomeOf(err: unknown, logger: Logger): Outcome {
  if (err instanceof DomainError)
    return {
      ok: false,
      kind: err.kind,
      message: err.message,
      errors: err.errors,
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
    };
  if (isOutage(err))
    return {
      ok: false,
      kind: 'unavailable',
      message: 'Service unavailable',
      errors: [],
      retryAfterSeconds: 2,
    };
  logger.error({ err }, 'a routed command failed');
  return { ok: false, kind: 'internal', message: 'The command failed.', errors: [] };
}

function refusal(o: Extract<Outcome, { ok: false }>): Error {
  if (o.kind === 'internal') return new Error(`the owning instance failed: ${o.message}`);
  return new DomainError(o.kind, o.message, {
    errors: o.errors,
    ...(o.retryAfterSeconds !== undefined ? { retryAfterSeconds: o.retryAfterSeconds } : {}),
  });
}
