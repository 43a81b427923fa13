import { Conflict, HttpError, NotFound, ValidationError } from '@mutirao/http';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import {
  type Change,
  isRejection,
  type Organisation,
  type Outcome,
  type Problem,
  toSnapshot,
} from '../domain/organisation';
import type { TokenIssuer } from '../identity/issuer';
import type { Stores } from '../store';

/** What the use cases need; built once in main.ts (and by the tests). */
export interface Ctx {
  stores: Stores;
  now: () => Date;
  /** The organisation topic with this deployment's prefix. */
  topic: string;
  issuer: TokenIssuer;
  /** Called after each write that left events in the outbox (relay.wake). */
  onWrite: () => void;
}

export const SOURCE = 'mutirao-profiles';

export class Gone extends HttpError {
  constructor(detail: string) {
    super(410, 'Gone', detail);
  }
}
export class TooManyRequests extends HttpError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', detail, { retryAfterSeconds });
  }
}

/** A 400 naming every field and value the reference data refused; nothing has been written yet. */
export function rejectProblems(problems: Problem[]): void {
  if (problems.length === 0) return;
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  throw new ValidationError(`Invalid request body: ${first?.path}: ${first?.message}${more}`, problems);
}

export async function loadOrganisation(ctx: Ctx, id: string): Promise<Organisation> {
  const org = await ctx.stores.organisations.get(id);
  if (!org) throw new NotFound(`No organisation ${id}.`);
  return org;
}

/** The outbox entry of a change's event, if it has one. */
export function eventsOf(ctx: Ctx, next: Organisation, event: Change['event']): OutboxEntry[] {
  return event
    ? [
        toEntry(
          ctx.topic,
          makeEvent({
            type: event,
            source: SOURCE,
            subject: next.id,
            data: { organisation: toSnapshot(next) },
            time: next.updatedAt,
          }),
        ),
      ]
    : [];
}

/**
 * Writes a decided outcome: the next state and its event in one single-document write (the
 * outbox), guarded by the version read. Rejections become problems; 'unchanged' writes nothing.
 */
export async function commit(
  ctx: Ctx,
  outcome: Outcome,
  prev?: Organisation,
): Promise<Organisation | 'unchanged'> {
  if (outcome === 'unchanged') return outcome;
  if (isRejection(outcome)) {
    if (outcome.rejected === 'invalid') throw new ValidationError(outcome.detail);
    throw new Conflict(outcome.detail);
  }
  const { next, event } = outcome;
  const entries = eventsOf(ctx, next, event);
  const ok = prev
    ? await ctx.stores.organisations.replace(prev.version, next, entries)
    : await ctx.stores.organisations.insert(next, entries);
  if (!ok)
    throw new Conflict(
      prev
        ? 'The organisation changed while this request ran; read it again and retry.'
        : `An organisation with ref "${next.ref}" already exists.`,
    );
  if (entries.length) ctx.onWrite();
  return next;
}
