import { type CloudEvent, type PostingStatus, uuidv7 } from '@mutirao/contracts';
import { Conflict, Forbidden, NotFound, ValidationError } from '@mutirao/http';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import { m49Region } from '@mutirao/reference-data';
import { canEdit, canSee, canSeeConfidential, isAdmin } from '../domain/access';
import { type Command, type Context, decide, fold } from '../domain/posting';
import { publicSnapshot } from '../domain/snapshot';
import { type Actor, type Content, DomainError, type Kind, type Posting } from '../domain/types';
import type { OrganisationRepo } from '../store/organisations';
import type { PostingRepo, SortOrder, Stored } from '../store/postings';

export const SOURCE = 'mutirao-exchange';

export interface PostingServiceDeps {
  kind: Kind;
  repo: PostingRepo;
  orgs: OrganisationRepo;
  /** This kind's topic name as deployed (prefix included). */
  topic: string;
  now: () => Date;
  /** Called after every write that left pending events or changed an expiry: wakes the relay and the scheduler. */
  afterWrite: (p: Posting) => void;
}

/** What a caller sees of a posting: the public snapshot, plus confidential notes when allowed. */
export type PostingView = ReturnType<typeof publicSnapshot> & { confidentialNotes?: string };

export interface NewPosting<C extends Content> {
  organisationId?: string;
  ref?: string;
  content: C;
  expiresAt: Date;
  status: 'draft' | 'open';
}

/** A patch of content fields; `null` removes an optional field. */
export type ContentPatch<C extends Content> = { [K in keyof C]?: C[K] | null };

export interface SearchParams {
  type?: string;
  country?: string;
  region?: string;
  sectorCategory?: string;
  sdg?: number;
  language?: string;
  status?: PostingStatus;
  organisationId?: string;
  sort: SortOrder;
  cursor?: string;
  limit: number;
}

export type UpsertResult = 'created' | 'updated' | 'unchanged';

function toHttp(err: unknown): never {
  if (err instanceof DomainError) {
    if (err.kind === 'invalid')
      throw new ValidationError(err.message, [{ path: err.path ?? '(body)', message: err.message }]);
    if (err.kind === 'forbidden') throw new Forbidden(err.message);
    throw new Conflict(err.message);
  }
  throw err;
}

const MAX_ATTEMPTS = 5;

/** The use cases of one kind of posting (needs or offers): every write goes through `execute`. */
export class PostingService<C extends Content> {
  constructor(private readonly deps: PostingServiceDeps) {}

  get kind(): Kind {
    return this.deps.kind;
  }

  private envelope(name: string, p: Posting<C>, at: Date): CloudEvent {
    return makeEvent({
      type: `org.mutirao.exchange.${this.deps.kind}.${name}`,
      source: SOURCE,
      subject: p.id,
      time: at,
      data: { [this.deps.kind]: publicSnapshot(p) },
    });
  }

  private async context(organisationId: string, now: Date): Promise<{ ctx: Context; country?: string }> {
    const org = await this.deps.orgs.get(organisationId);
    return {
      ctx: { now, organisationVerified: org?.verification === 'verified' },
      ...(org ? { country: org.country } : {}),
    };
  }

  private outboxOf(published: { name: string; snapshotOf: Posting<C> }[], at: Date): OutboxEntry[] {
    return published.map(({ name, snapshotOf }) =>
      toEntry(this.deps.topic, this.envelope(name, snapshotOf, at)),
    );
  }

  /**
   * Reads, decides, and writes state plus events in one single-document update; retries when
   * another writer got there first (the version guard).
   */
  async execute(
    id: string,
    command: Command<C> | ((p: Posting<C>) => Command<C>),
    opts: { actor?: Actor; now?: Date } = {},
  ): Promise<{ stored: Stored<C>; changed: boolean }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.deps.repo.get<C>(id);
      if (!stored || (opts.actor && !canSee(opts.actor, stored.posting)))
        throw new NotFound(`No ${this.deps.kind} ${id}.`);
      if (opts.actor && !canEdit(opts.actor, stored.posting))
        throw new Forbidden(`This ${this.deps.kind} belongs to another organisation.`);
      const now = opts.now ?? this.deps.now();
      const { ctx } = await this.context(stored.posting.organisationId, now);
      const cmd = typeof command === 'function' ? command(stored.posting) : command;
      let events: ReturnType<typeof decide<C>>;
      try {
        events = decide(cmd, stored.posting, ctx);
      } catch (err) {
        return toHttp(err);
      }
      if (events.length === 0) return { stored, changed: false };
      const { after, published } = fold(stored.posting, events);
      if (await this.deps.repo.save(after, stored.version, this.outboxOf(published, now))) {
        this.deps.afterWrite(after);
        return { stored: { ...stored, posting: after, version: stored.version + 1 }, changed: true };
      }
    }
    throw new Conflict(`The ${this.deps.kind} was changed by someone else meanwhile; try again.`);
  }

  /** Creates a posting for the caller's organisation (or, for the admin, any). */
  async create(actor: Actor, input: NewPosting<C>): Promise<PostingView> {
    const organisationId = this.owningOrganisation(actor, input.organisationId);
    const stored = await this.insert(actor, organisationId, input, false);
    if (stored === 'duplicate-ref')
      throw new Conflict(`A ${this.deps.kind} with ref ${input.ref} exists already.`);
    return this.view(actor, stored);
  }

  private owningOrganisation(actor: Actor, requested: string | undefined): string {
    if (isAdmin(actor)) {
      const org = requested ?? actor.org;
      if (!org)
        throw new ValidationError('organisationId is required when the admin posts', [
          { path: 'organisationId', message: 'required for the admin' },
        ]);
      return org;
    }
    if (!actor.org) throw new Forbidden('Only members of an organisation post needs and offers.');
    if (requested !== undefined && requested !== actor.org)
      throw new Forbidden('You can post only for your own organisation.');
    return actor.org;
  }

  private async insert(
    _actor: Actor,
    organisationId: string,
    input: NewPosting<C>,
    pastExpiryExpires: boolean,
  ): Promise<Stored<C> | 'duplicate-ref'> {
    const now = this.deps.now();
    const { ctx, country } = await this.context(organisationId, now);
    const id = uuidv7();
    let events: ReturnType<typeof decide<C>>;
    try {
      events = decide<C>(
        {
          type: 'create',
          id,
          kind: this.deps.kind,
          ...(input.ref !== undefined ? { ref: input.ref } : {}),
          organisationId,
          content: input.content,
          expiresAt: input.expiresAt,
          status: input.status,
          pastExpiryExpires,
        },
        undefined,
        ctx,
      );
    } catch (err) {
      return toHttp(err);
    }
    const { after, published } = fold<C>(undefined, events);
    const r = await this.deps.repo.insert(after, country, this.outboxOf(published, now));
    if (r === 'duplicate-ref') return r;
    this.deps.afterWrite(after);
    return { posting: after, version: 1, ...(country ? { orgCountry: country } : {}) };
  }

  /**
   * The importer's idempotent upsert by external reference (admin only): creates, updates, or
   * changes nothing (no event, no new revision) when the posting already says the same.
   * Postings whose date has passed are stored as expired rather than refused.
   */
  async upsertByRef(
    actor: Actor,
    ref: string,
    input: NewPosting<C> & { organisationId: string },
  ): Promise<{ result: UpsertResult; posting: PostingView }> {
    if (!isAdmin(actor)) throw new Forbidden('Only the admin upserts by reference.');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.deps.repo.getByRef<C>(ref);
      if (!existing) {
        const created = await this.insert(actor, input.organisationId, { ...input, ref }, true);
        if (created === 'duplicate-ref') continue; // created concurrently: update it instead
        return { result: 'created', posting: this.view(actor, created) };
      }
      const { stored, changed } = await this.execute(existing.posting.id, {
        type: 'import',
        organisationId: input.organisationId,
        content: input.content,
        expiresAt: input.expiresAt,
        status: input.status,
      });
      return { result: changed ? 'updated' : 'unchanged', posting: this.view(actor, stored) };
    }
    throw new Conflict(`The ${this.deps.kind} with ref ${ref} is being changed concurrently; try again.`);
  }

  async update(actor: Actor, id: string, patch: ContentPatch<C>, expiresAt?: Date): Promise<PostingView> {
    const { stored } = await this.execute(
      id,
      (p) => {
        const content = { ...p.content } as Record<string, unknown>;
        for (const [k, v] of Object.entries(patch)) {
          if (v === null) delete content[k];
          else if (v !== undefined) content[k] = v;
        }
        return { type: 'edit', content: content as C, expiresAt: expiresAt ?? p.expiresAt };
      },
      { actor },
    );
    return this.view(actor, stored);
  }

  async transition(actor: Actor, id: string, command: Command<C>): Promise<PostingView> {
    const { stored } = await this.execute(id, command, { actor });
    return this.view(actor, stored);
  }

  async get(actor: Actor, id: string): Promise<PostingView> {
    const stored = await this.deps.repo.get<C>(id);
    if (!stored || !canSee(actor, stored.posting)) throw new NotFound(`No ${this.deps.kind} ${id}.`);
    return this.view(actor, stored);
  }

  async getByRef(actor: Actor, ref: string): Promise<PostingView> {
    const stored = await this.deps.repo.getByRef<C>(ref);
    if (!stored || !canSee(actor, stored.posting))
      throw new NotFound(`No ${this.deps.kind} with ref ${ref}.`);
    return this.view(actor, stored);
  }

  view(actor: Actor, stored: Stored<C>): PostingView {
    const snapshot = publicSnapshot(stored.posting);
    const notes = stored.posting.content.confidentialNotes;
    return notes !== undefined && canSeeConfidential(actor, stored.posting, stored.orgCountry)
      ? { ...snapshot, confidentialNotes: notes }
      : snapshot;
  }

  async search(actor: Actor, q: SearchParams): Promise<{ items: PostingView[]; nextCursor?: string }> {
    const and: Record<string, unknown>[] = [];
    if (!isAdmin(actor))
      and.push(actor.org ? { $or: [{ status: 'open' }, { organisationId: actor.org }] } : { status: 'open' });
    if (q.status) and.push({ status: q.status });
    if (q.type)
      and.push(this.deps.kind === 'need' ? { 'content.type': q.type } : { 'content.types': q.type });
    if (q.country) and.push({ orgCountry: q.country });
    if (q.region) and.push({ orgCountry: { $in: [...(m49Region(q.region)?.countries ?? [])] } });
    if (q.sectorCategory) and.push({ sectorCategories: q.sectorCategory });
    if (q.sdg !== undefined) and.push({ 'content.sdgs': q.sdg });
    if (q.language) and.push({ 'content.workingLanguages': q.language });
    if (q.organisationId) and.push({ organisationId: q.organisationId });
    const after = q.cursor ? decodeCursor(q.cursor, q.sort) : undefined;
    const found = await this.deps.repo.search<C>({
      filter: and.length > 0 ? { $and: and } : {},
      sort: q.sort,
      ...(after ? { after } : {}),
      limit: q.limit + 1,
    });
    const page = found.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((s) => this.view(actor, s)),
      ...(found.length > q.limit && last ? { nextCursor: encodeCursor(q.sort, last.posting) } : {}),
    };
  }
}

/** Opaque cursor: the sort it belongs to, and the sort key and id of the last item served. */
function encodeCursor(sort: SortOrder, p: Posting): string {
  const value = sort === 'newest' ? p.createdAt : p.expiresAt;
  return Buffer.from(JSON.stringify([sort, value.getTime(), p.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: SortOrder): { value: Date; id: string } {
  const bad = () =>
    new ValidationError('cursor is not one this service gave for this sort order', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== sort ||
    typeof parsed[1] !== 'number' ||
    typeof parsed[2] !== 'string'
  )
    throw bad();
  return { value: new Date(parsed[1]), id: parsed[2] };
}
