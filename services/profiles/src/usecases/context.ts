import { type Clock, notFound } from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import { type Change, type Organisation, toSnapshot } from '../domain/organisation';
import type { TokenIssuer } from '../identity/issuer';
import type { Stores } from '../store';

/** What the use cases need; wired once by `createProfiles` (for main.ts and the tests alike). */
export interface Ctx {
  stores: Stores;
  now: Clock;
  /** The topics this service writes, with this deployment's prefix. */
  topics: { organisation: string; person: string; access: string };
  issuer: TokenIssuer;
  /** Called after each write that left events in the outbox (relay.wake). */
  onWrite: () => void;
}

export const SOURCE = 'mutirao-profiles';

export async function loadOrganisation(ctx: Ctx, id: string): Promise<Organisation> {
  const org = await ctx.stores.organisations.get(id);
  if (!org) throw notFound(`No organisation ${id}.`);
  return org;
}

/** The outbox entry of a change's event, if it has one. */
export function eventsOf(ctx: Ctx, next: Organisation, event: Change['event']): OutboxEntry[] {
  return event
    ? [
        toEntry(
          ctx.topics.organisation,
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
 * Writes a decided change: the next state and its event in one single-document write (the
 * outbox), guarded by the version read in `prev`, or inserted when there is none. False when
 * another writer got there first (the version moved, or the ref is taken): the caller decides
 * again (`untilSaved`).
 */
export async function save(ctx: Ctx, change: Change, prev?: Organisation): Promise<boolean> {
  const { next, event } = change;
  const entries = eventsOf(ctx, next, event);
  const ok = prev
    ? await ctx.stores.organisations.replace(prev.version, next, entries)
    : await ctx.stores.organisations.insert(next, entries);
  if (ok && entries.length) ctx.onWrite();
  return ok;
}
