import type { PostingStatus } from '@mutirao/contracts';
import { assertNever } from './assert';
import { type Content, DomainError, type Kind, type OfferContent, type Posting } from './types';

/** What can be asked of a posting. `import` is the admin's upsert by external reference. */
export type Command<C extends Content = Content> =
  | {
      type: 'create';
      id: string;
      kind: Kind;
      ref?: string;
      organisationId: string;
      content: C;
      expiresAt: Date;
      status: 'draft' | 'open';
      /** The importer may bring postings whose date has passed: they are stored as expired. */
      pastExpiryExpires?: boolean;
    }
  | { type: 'edit'; content: C; expiresAt: Date }
  | { type: 'import'; organisationId: string; content: C; expiresAt: Date; status: 'draft' | 'open' }
  | { type: 'publish' }
  | { type: 'withdraw' }
  | { type: 'close' }
  /** The organisation's verification was revoked: its open postings close (see `decide`). */
  | { type: 'close-for-revocation' }
  | { type: 'renew'; expiresAt: Date }
  | { type: 'expire' }
  | { type: 'agree'; proposalId: string };

/** What happened to a posting. Every event but `proposal-noted` is a new revision. */
export type PostingEvent<C extends Content = Content> =
  | {
      type: 'created';
      at: Date;
      id: string;
      kind: Kind;
      ref?: string;
      organisationId: string;
      content: C;
      expiresAt: Date;
      status: 'draft' | 'open' | 'expired';
    }
  | { type: 'published'; at: Date }
  | { type: 'edited'; at: Date; content: C; expiresAt: Date }
  | { type: 'renewed'; at: Date; expiresAt: Date; reopened: boolean }
  | { type: 'withdrawn'; at: Date }
  | { type: 'closed'; at: Date; forRevocation?: true }
  | { type: 'expired'; at: Date }
  | { type: 'matched'; at: Date; proposalId: string }
  | { type: 'capacity-used'; at: Date; proposalId: string }
  | { type: 'proposal-noted'; proposalId: string };

export interface Context {
  now: Date;
  /** Whether the posting's organisation is verified in the read model. */
  organisationVerified: boolean;
}

const TERMINAL: readonly PostingStatus[] = ['withdrawn', 'closed', 'matched'];

function mustBeFuture(expiresAt: Date, now: Date): void {
  if (expiresAt.getTime() <= now.getTime())
    throw new DomainError('invalid', `expiresAt ${expiresAt.toISOString()} is not in the future`, {
      path: 'expiresAt',
    });
}

/**
 * A call's terms against each other and the offer's expiry: a capacity to assign (places, a budget
 * or both), a closing after the opening and not after the offer expires, and, when the call is new
 * or changed, a closing still ahead. Every problem is listed under its field.
 */
export function checkCall(
  content: Content,
  expiresAt: Date,
  now: Date,
  before?: Content,
  { pastClosingAllowed = false } = {},
): void {
  const call = (content as Partial<OfferContent>).call;
  if (!call) return;
  const errors: { path: string; message: string }[] = [];
  if (call.places === undefined && call.budget === undefined)
    errors.push({ path: 'call.places', message: 'a call needs a number of places, a budget, or both' });
  const opens = new Date(call.opensAt).getTime();
  const closes = new Date(call.closesAt).getTime();
  if (closes <= opens)
    errors.push({ path: 'call.closesAt', message: `must be after the opening (${call.opensAt})` });
  else if (closes > expiresAt.getTime())
    errors.push({
      path: 'call.closesAt',
      message: `must not be after the offer expires (${expiresAt.toISOString()})`,
    });
  const changed = !sameContent(call, (before as Partial<OfferContent> | undefined)?.call);
  if (
    changed &&
    !pastClosingAllowed &&
    closes <= now.getTime() &&
    !errors.some((e) => e.path === 'call.closesAt')
  )
    errors.push({ path: 'call.closesAt', message: `${call.closesAt} is not in the future` });
  const cap = call.fairness?.countryCap;
  if (cap !== undefined && call.places !== undefined && cap > call.places)
    errors.push({
      path: 'call.fairness.countryCap',
      message: `must not exceed the call's ${call.places} places`,
    });
  if (errors.length > 0)
    throw new DomainError('invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

function mustBeVerified(ctx: Context): void {
  if (!ctx.organisationVerified)
    throw new DomainError(
      'forbidden',
      'Only a verified organisation can publish; save it as a draft until a coordinator verifies the organisation.',
    );
}

/** Order-insensitive deep equality of two JSON-like values (undefined fields ignored). */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The rules: what a command does to a posting (none for a new one), as events; throws when refused. */
export function decide<C extends Content>(
  command: Command<C>,
  state: Posting<C> | undefined,
  ctx: Context,
): PostingEvent<C>[] {
  const at = ctx.now;
  if (command.type === 'create') {
    if (state) throw new DomainError('conflict', `posting ${command.id} exists already`);
    let status: 'draft' | 'open' | 'expired' = command.status;
    if (command.expiresAt.getTime() <= at.getTime()) {
      if (!command.pastExpiryExpires) mustBeFuture(command.expiresAt, at);
      if (status === 'open') status = 'expired';
    }
    checkCall(command.content, command.expiresAt, at, undefined, {
      pastClosingAllowed: command.pastExpiryExpires === true,
    });
    if (command.status === 'open') mustBeVerified(ctx);
    const { type: _, pastExpiryExpires: __, status: ___, ...rest } = command;
    return [{ type: 'created', at, ...rest, status }];
  }
  if (!state) throw new DomainError('conflict', 'no such posting');
  switch (command.type) {
    case 'edit': {
      if (state.status !== 'draft' && state.status !== 'open')
        throw new DomainError(
          'conflict',
          state.status === 'expired'
            ? 'This posting has expired: renew it before editing.'
            : `A ${state.status} posting cannot be edited.`,
        );
      const changed =
        !sameContent(command.content, state.content) ||
        command.expiresAt.getTime() !== state.expiresAt.getTime();
      if (!changed) return [];
      if (command.expiresAt.getTime() !== state.expiresAt.getTime()) mustBeFuture(command.expiresAt, at);
      checkCall(command.content, command.expiresAt, at, state.content);
      return [{ type: 'edited', at, content: command.content, expiresAt: command.expiresAt }];
    }
    case 'import':
      return decideImport(command, state, ctx);
    case 'publish':
      if (state.status === 'open') return [];
      if (state.status !== 'draft')
        throw new DomainError('conflict', `A ${state.status} posting cannot be published.`);
      mustBeVerified(ctx);
      if (state.expiresAt.getTime() <= at.getTime())
        throw new DomainError(
          'invalid',
          `expiresAt ${state.expiresAt.toISOString()} has passed: set a new expiry before publishing`,
          { path: 'expiresAt' },
        );
      return [{ type: 'published', at }];
    case 'withdraw':
      if (state.status === 'withdrawn') return [];
      if (state.status !== 'draft' && state.status !== 'open' && state.status !== 'expired')
        throw new DomainError('conflict', `A ${state.status} posting cannot be withdrawn.`);
      return [{ type: 'withdrawn', at }];
    case 'close':
      if (state.status === 'closed') return [];
      if (state.status === 'draft' || state.status === 'withdrawn')
        throw new DomainError(
          'conflict',
          `A ${state.status} posting cannot be closed${state.status === 'draft' ? '; withdraw it instead' : ''}.`,
        );
      return [{ type: 'closed', at }];
    case 'close-for-revocation':
      // Only what is open closes; and not once the organisation is verified again (a late or
      // replayed revocation), which would close what the owner has just renewed.
      return state.status === 'open' && !ctx.organisationVerified
        ? [{ type: 'closed', at, forRevocation: true }]
        : [];
    case 'renew': {
      mustBeFuture(command.expiresAt, at);
      // Closed because of a revocation: the owner reopens it, once verified again.
      const revoked = state.status === 'closed' && state.closedBy === 'revocation';
      if (TERMINAL.includes(state.status) && !revoked)
        throw new DomainError('conflict', `A ${state.status} posting cannot be renewed.`);
      const reopened = state.status === 'expired' || revoked;
      if (reopened) mustBeVerified(ctx);
      if (!reopened && command.expiresAt.getTime() === state.expiresAt.getTime()) return [];
      return [{ type: 'renewed', at, expiresAt: command.expiresAt, reopened }];
    }
    case 'expire':
      return state.status === 'open' && state.expiresAt.getTime() <= at.getTime()
        ? [{ type: 'expired', at }]
        : [];
    case 'agree': {
      const proposalId = command.proposalId;
      if (state.appliedProposals.includes(proposalId)) return [];
      if (state.kind === 'need')
        return state.status === 'open' || state.status === 'expired'
          ? [{ type: 'matched', at, proposalId }]
          : [{ type: 'proposal-noted', proposalId }];
      const capacity = (state.content as { capacity?: number }).capacity ?? 0;
      return capacity > 0
        ? [{ type: 'capacity-used', at, proposalId }]
        : [{ type: 'proposal-noted', proposalId }];
    }
    default:
      return assertNever(command);
  }
}

function decideImport<C extends Content>(
  command: Extract<Command<C>, { type: 'import' }>,
  state: Posting<C>,
  ctx: Context,
): PostingEvent<C>[] {
  const at = ctx.now;
  if (command.organisationId !== state.organisationId)
    throw new DomainError(
      'conflict',
      `This reference belongs to a posting of organisation ${state.organisationId}, not ${command.organisationId}.`,
      { path: 'organisationId' },
    );
  const contentChanged = !sameContent(command.content, state.content);
  const expiryChanged = command.expiresAt.getTime() !== state.expiresAt.getTime();
  const wantsOpen = command.status === 'open';
  const publishing = wantsOpen && state.status === 'draft';
  if (!contentChanged && !expiryChanged && !publishing) return [];
  checkCall(command.content, command.expiresAt, at, state.content, { pastClosingAllowed: true });
  if (TERMINAL.includes(state.status))
    throw new DomainError('conflict', `A ${state.status} posting cannot be changed.`);
  if (!wantsOpen && state.status !== 'draft')
    throw new DomainError('conflict', `A ${state.status} posting cannot return to draft.`, {
      path: 'status',
    });
  const future = command.expiresAt.getTime() > at.getTime();
  const events: PostingEvent<C>[] = [];
  if (state.status === 'expired' && future) {
    mustBeVerified(ctx);
    events.push({ type: 'renewed', at, expiresAt: command.expiresAt, reopened: true });
    if (contentChanged)
      events.push({ type: 'edited', at, content: command.content, expiresAt: command.expiresAt });
    return events;
  }
  if (publishing && !future) mustBeFuture(command.expiresAt, at);
  if (contentChanged || expiryChanged)
    events.push({ type: 'edited', at, content: command.content, expiresAt: command.expiresAt });
  if (publishing) {
    mustBeVerified(ctx);
    events.push({ type: 'published', at });
  }
  if (state.status === 'open' && !future) events.push({ type: 'expired', at });
  return events;
}

/** Applies one event to a posting. */
export function evolve<C extends Content>(state: Posting<C> | undefined, event: PostingEvent<C>): Posting<C> {
  if (event.type === 'created') {
    const { type: _, at, ...rest } = event;
    return { ...rest, revision: 1, createdAt: at, updatedAt: at, appliedProposals: [] };
  }
  if (!state) throw new Error(`${event.type} applied to no posting`);
  if (event.type === 'proposal-noted')
    return { ...state, appliedProposals: [...state.appliedProposals, event.proposalId] };
  const next: Posting<C> = { ...state, revision: state.revision + 1, updatedAt: event.at };
  switch (event.type) {
    case 'published':
      return { ...next, status: 'open' };
    case 'edited':
      return { ...next, content: event.content, expiresAt: event.expiresAt };
    case 'renewed': {
      if (!event.reopened) return { ...next, expiresAt: event.expiresAt };
      const { closedBy: _, ...reopened } = next;
      return { ...reopened, expiresAt: event.expiresAt, status: 'open' };
    }
    case 'withdrawn':
      return { ...next, status: 'withdrawn' };
    case 'closed':
      return {
        ...next,
        status: 'closed',
        ...(event.forRevocation ? { closedBy: 'revocation' as const } : {}),
      };
    case 'expired':
      return { ...next, status: 'expired' };
    case 'matched':
      return { ...next, status: 'matched', appliedProposals: [...state.appliedProposals, event.proposalId] };
    case 'capacity-used': {
      const capacity = (state.content as { capacity?: number }).capacity ?? 0;
      return {
        ...next,
        content: { ...state.content, capacity: Math.max(0, capacity - 1) },
        appliedProposals: [...state.appliedProposals, event.proposalId],
      };
    }
    default:
      return assertNever(event);
  }
}

export type PublicEventName =
  | 'published'
  | 'updated'
  | 'withdrawn'
  | 'closed'
  | 'expired'
  | 'matched'
  | 'capacity-changed';

/**
 * The public event an event becomes, if any. Drafts are private: nothing is published about a
 * posting until it opens, nor when a never-published draft is withdrawn.
 */
export function publicEvent(
  event: PostingEvent,
  before: Posting | undefined,
  after: Posting,
): PublicEventName | undefined {
  if (after.status === 'draft') return undefined;
  if (before?.status === 'draft' && after.status !== 'open') return undefined;
  switch (event.type) {
    case 'created':
      return after.status === 'open' ? 'published' : 'expired';
    case 'published':
      return 'published';
    case 'edited':
      return 'updated';
    case 'renewed':
      return event.reopened ? 'published' : 'updated';
    case 'withdrawn':
    case 'closed':
    case 'expired':
    case 'matched':
      return event.type;
    case 'capacity-used':
      return 'capacity-changed';
    case 'proposal-noted':
      return undefined;
    default:
      return assertNever(event);
  }
}

/** Folds the events of one command, pairing each with the public event and the state after it. */
export function fold<C extends Content>(
  state: Posting<C> | undefined,
  events: PostingEvent<C>[],
): { after: Posting<C>; published: { name: PublicEventName; snapshotOf: Posting<C> }[] } {
  let current = state;
  const published: { name: PublicEventName; snapshotOf: Posting<C> }[] = [];
  for (const e of events) {
    const next = evolve(current, e);
    const name = publicEvent(e, current, next);
    if (name) published.push({ name, snapshotOf: next });
    current = next;
  }
  if (!current) throw new Error('fold of no events');
  return { after: current, published };
}
