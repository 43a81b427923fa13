import {
  type CloudEvent,
  NeedEventType,
  OfferEventType,
  type PostingStatus,
  uuidv7,
  uuidv7s,
} from '@mutirao/contracts';
import {
  conflict,
  DomainError,
  decodeCursor,
  encodeCursor,
  forbidden,
  invalid,
  notFound,
  type Page,
  untilSaved,
} from '@mutirao/kernel';
import { makeEvent } from '@mutirao/messaging';
import { type OutboxEntry, toEntry } from '@mutirao/outbox';
import { m49Region } from '@mutirao/reference-data';
import { z } from 'zod';
import { canEdit, canSee, canSeeConfidential, isAdmin } from '../domain/access';
import {
  type Command,
  type Context,
  decide,
  fold,
  type PostingEvent,
  type PublicEventName,
} from '../domain/posting';
import { needSnapshot, offerSnapshot, publicSnapshot } from '../domain/snapshot';
import type { Actor, Content, Kind, NeedContent, OfferContent, Posting } from '../domain/types';
import type { CatalogFilter } from '../store/catalog';
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
  /**
   * Called after every write that left pending events or changed an expiry: wakes the scheduler,
   * and the relay after an update (an insert's events go through the journal, which hands them to
   * the relay itself).
   */
  afterWrite: (p: Posting, how: 'inserted' | 'updated') => void;
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

/** One posting of an import request. */
export type ImportItem<C extends Content> = NewPosting<C> & { organisationId: string; ref: string };
export interface ImportResult {
  ref: string;
  id: string;
  result: UpsertResult;
}

interface Planned<C extends Content> {
  item: ImportItem<C>;
  held?: Stored<C>;
  events: PostingEvent<C>[];
  country: string | undefined;
}

/** The refusals of an import's items as one: `invalid` if any is, else `forbidden`, else `conflict`. */
function refusalOf(refused: { index: number; err: DomainError }[]): DomainError {
  const errors = refused.map(({ index, err }) => ({
    path: `items.${index}${err.path ? `.${err.path}` : ''}`,
    message: err.message,
  }));
  const first = errors[0] as { path: string; message: string };
  const detail = `Nothing was imported: ${first.path}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  const kind = refused.some((r) => r.err.kind === 'invalid')
    ? 'invalid'
    : refused.some((r) => r.err.kind === 'forbidden')
      ? 'forbidden'
      : 'conflict';
  return new DomainError(kind, detail, { errors });
}

/** The use cases of one kind of posting (needs or offers): every write goes through `execute`. */
export class PostingService<C extends Content> {
  constructor(private readonly deps: PostingServiceDeps) {}

  get kind(): Kind {
    return this.deps.kind;
  }

  /** The public event of a change, typed by the contracts (a need is never capacity-changed, an offer never matched). */
  private envelope(name: PublicEventName, p: Posting<C>, at: Date): CloudEvent {
    const base = { source: SOURCE, subject: p.id, time: at };
    if (this.deps.kind === 'need')
      return makeEvent({
        ...base,
        type: NeedEventType.parse(`org.mutirao.exchange.need.${name}`),
        data: { need: needSnapshot(p as Posting<NeedContent>) },
      });
    return makeEvent({
      ...base,
      type: OfferEventType.parse(`org.mutirao.exchange.offer.${name}`),
      data: { offer: offerSnapshot(p as Posting<OfferContent>) },
    });
  }

  private async context(organisationId: string, now: Date): Promise<{ ctx: Context; country?: string }> {
    const org = await this.deps.orgs.get(organisationId);
    return {
      ctx: { now, organisationVerified: org?.verification === 'verified' },
      ...(org ? { country: org.country } : {}),
    };
  }

  private outboxOf(published: { name: PublicEventName; snapshotOf: Posting<C> }[], at: Date): OutboxEntry[] {
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
    return untilSaved<{ stored: Stored<C>; changed: boolean }>(`The ${this.deps.kind}`, async () => {
      const stored = await this.deps.repo.get<C>(id);
      if (!stored || (opts.actor && !canSee(opts.actor, stored.posting)))
        throw notFound(`No ${this.deps.kind} ${id}.`);
      if (opts.actor && !canEdit(opts.actor, stored.posting))
        throw forbidden(`This ${this.deps.kind} belongs to another organisation.`);
      const now = opts.now ?? this.deps.now();
      const { ctx } = await this.context(stored.posting.organisationId, now);
      const cmd = typeof command === 'function' ? command(stored.posting) : command;
      const events = decide(cmd, stored.posting, ctx);
      if (events.length === 0) return { saved: true, value: { stored, changed: false } };
      const { after, published } = fold(stored.posting, events);
      if (!(await this.deps.repo.save(after, stored.version, this.outboxOf(published, now))))
        return { saved: false };
      this.deps.afterWrite(after, 'updated');
      return {
        saved: true,
        value: { stored: { ...stored, posting: after, version: stored.version + 1 }, changed: true },
      };
    });
  }

  /** The ids of an organisation's postings of this kind in a status. */
  idsOf(organisationId: string, status: PostingStatus): Promise<string[]> {
    return this.deps.repo.idsOf(organisationId, status);
  }

  /** Creates a posting for the caller's organisation (or, for the admin, any). */
  async create(actor: Actor, input: NewPosting<C>): Promise<PostingView> {
    const organisationId = this.owningOrganisation(actor, input.organisationId);
    const stored = await this.insert(actor, organisationId, input, false);
    if (stored === 'duplicate-ref')
      throw conflict(`A ${this.deps.kind} with ref ${input.ref} exists already.`);
    return this.view(actor, stored);
  }

  private owningOrganisation(actor: Actor, requested: string | undefined): string {
    if (isAdmin(actor)) {
      const org = requested ?? actor.org;
      if (!org) throw invalid('organisationId is required when the admin posts', 'organisationId');
      return org;
    }
    if (!actor.org) throw forbidden('Only members of an organisation post needs and offers.');
    if (requested !== undefined && requested !== actor.org)
      throw forbidden('You can post only for your own organisation.');
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
    const events = decide<C>(
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
    const { after, published } = fold<C>(undefined, events);
    const r = await this.deps.repo.insert(after, country, this.outboxOf(published, now));
    if (r === 'duplicate-ref') return r;
    this.deps.afterWrite(after, 'inserted');
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
    if (!isAdmin(actor)) throw forbidden('Only the admin upserts by reference.');
    return untilSaved<{ result: UpsertResult; posting: PostingView }>(
      `The ${this.deps.kind} with ref ${ref}`,
      async () => {
        const existing = await this.deps.repo.getByRef<C>(ref);
        if (!existing) {
          const created = await this.insert(actor, input.organisationId, { ...input, ref }, true);
          // Created concurrently: update it instead.
          if (created === 'duplicate-ref') return { saved: false };
          return { saved: true, value: { result: 'created' as const, posting: this.view(actor, created) } };
        }
        const { stored, changed } = await this.execute(existing.posting.id, {
          type: 'import',
          organisationId: input.organisationId,
          content: input.content,
          expiresAt: input.expiresAt,
          status: input.status,
        });
        const result: UpsertResult = changed ? 'updated' : 'unchanged';
        return { saved: true, value: { result, posting: this.view(actor, stored) } };
      },
    );
  }

  /**
   * The importer's upsert of many postings by external reference (admin only). Every item is
   * checked against the rules first, so a request with one refused item stores nothing; then the
   * new postings are inserted in one write and the changed ones saved one by one. Idempotent by
   * ref: sending the same request again (after a failure part-way, say) changes nothing more.
   */
  async importMany(actor: Actor, items: ImportItem<C>[]): Promise<ImportResult[]> {
    if (!isAdmin(actor)) throw forbidden('Only the admin imports by reference.');
    const now = this.deps.now();
    const [existing, orgs] = await Promise.all([
      this.deps.repo.getManyByRef<C>(items.map((i) => i.ref)),
      this.deps.orgs.getMany(items.map((i) => i.organisationId)),
    ]);
    const ids = uuidv7s(items.length, now.getTime());
    const planned: Planned<C>[] = [];
    const refused: { index: number; err: DomainError }[] = [];
    items.forEach((item, index) => {
      const org = orgs.get(item.organisationId);
      const ctx: Context = { now, organisationVerified: org?.verification === 'verified' };
      const held = existing.get(item.ref);
      try {
        if (held) {
          const events = decide<C>(
            {
              type: 'import',
              organisationId: item.organisationId,
              content: item.content,
              expiresAt: item.expiresAt,
              status: item.status,
            },
            held.posting,
            ctx,
          );
          planned.push({ item, held, events, country: org?.country });
        } else {
          const events = decide<C>(
            {
              type: 'create',
              id: ids[index] as string,
              kind: this.deps.kind,
              ref: item.ref,
              organisationId: item.organisationId,
              content: item.content,
              expiresAt: item.expiresAt,
              status: item.status,
              pastExpiryExpires: true,
            },
            undefined,
            ctx,
          );
          planned.push({ item, events, country: org?.country });
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refused.push({ index, err });
      }
    });
    if (refused.length > 0) throw refusalOf(refused);

    const results: ImportResult[] = [];
    const inserts = planned.filter((p) => !p.held);
    const folded = inserts.map((p) => fold<C>(undefined, p.events));
    const inserted = await this.deps.repo.insertMany(
      folded.map(({ after, published }, i) => ({
        posting: after,
        orgCountry: inserts[i]?.country,
        outbox: this.outboxOf(published, now),
      })),
    );
    const retry: ImportItem<C>[] = [];
    inserted.forEach((r, i) => {
      const p = inserts[i] as Planned<C>;
      const after = (folded[i] as { after: Posting<C> }).after;
      if (r === 'duplicate-ref') retry.push(p.item);
      else {
        this.deps.afterWrite(after, 'inserted');
        results.push({ ref: p.item.ref, id: after.id, result: 'created' });
      }
    });
    for (const p of planned) {
      if (!p.held) continue;
      if (p.events.length === 0) {
        results.push({ ref: p.item.ref, id: p.held.posting.id, result: 'unchanged' });
        continue;
      }
      const { after, published } = fold(p.held.posting, p.events);
      if (await this.deps.repo.save(after, p.held.version, this.outboxOf(published, now))) {
        this.deps.afterWrite(after, 'updated');
        results.push({ ref: p.item.ref, id: after.id, result: 'updated' });
      } else retry.push(p.item);
    }
    // Written by someone else meanwhile: one by one, as the single upsert does.
    for (const item of retry) {
      const { result, posting } = await this.upsertByRef(actor, item.ref, item);
      results.push({ ref: item.ref, id: posting.id, result });
    }
    const order = new Map(items.map((item, i) => [item.ref, i]));
    return results.sort((a, b) => (order.get(a.ref) ?? 0) - (order.get(b.ref) ?? 0));
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
    if (!stored || !canSee(actor, stored.posting)) throw notFound(`No ${this.deps.kind} ${id}.`);
    return this.view(actor, stored);
  }

  async getByRef(actor: Actor, ref: string): Promise<PostingView> {
    const stored = await this.deps.repo.getByRef<C>(ref);
    if (!stored || !canSee(actor, stored.posting)) throw notFound(`No ${this.deps.kind} with ref ${ref}.`);
    return this.view(actor, stored);
  }

  view(actor: Actor, stored: Stored<C>): PostingView {
    const snapshot = publicSnapshot(stored.posting);
    const notes = stored.posting.content.confidentialNotes;
    return notes !== undefined && canSeeConfidential(actor, stored.posting, stored.orgCountry)
      ? { ...snapshot, confidentialNotes: notes }
      : snapshot;
  }

  async search(actor: Actor, q: SearchParams): Promise<Page<PostingView>> {
    const filter: CatalogFilter = {
      ...(isAdmin(actor) ? {} : { openOrOwnedBy: actor.org ?? null }),
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.country ? { countries: new Set([q.country]) } : {}),
      ...(q.region ? { countries: regionCountries(q.region, q.country) } : {}),
      ...(q.sectorCategory ? { sectorCategory: q.sectorCategory } : {}),
      ...(q.sdg !== undefined ? { sdg: q.sdg } : {}),
      ...(q.language ? { language: q.language } : {}),
      ...(q.organisationId ? { organisationId: q.organisationId } : {}),
    };
    const after = q.cursor ? decodePosition(q.cursor, q.sort) : undefined;
    const found = await this.deps.repo.search<C>({
      filter,
      sort: q.sort,
      ...(after ? { after } : {}),
      limit: q.limit,
    });
    return {
      // A posting may have changed between the catalog's answer and the read: shown as it is now.
      items: found.items.filter((s) => canSee(actor, s.posting)).map((s) => this.view(actor, s)),
      nextCursor: found.next ? encodeCursor([q.sort, found.next.value, found.next.id]) : null,
    };
  }
}

/** The countries of an M49 region, within `country` when both are given. */
function regionCountries(region: string, country: string | undefined): Set<string> {
  const inRegion = [...(m49Region(region)?.countries ?? [])];
  return new Set(country === undefined ? inRegion : inRegion.filter((c) => c === country));
}

/** Where a page ended: the sort it belongs to, the sort key and the id of the last item served. */
const Position = z.tuple([z.enum(['newest', 'expiry']), z.number(), z.string()]);

function decodePosition(cursor: string, sort: SortOrder): { value: number; id: string } {
  const [of, value, id] = decodeCursor(Position, cursor);
  if (of !== sort) throw invalid('cursor is not one this list gave out for this sort order', 'cursor');
  return { value, id };
}
