import { decodeCursor, encodeCursor, notFound } from '@mutirao/kernel';
import type { Lang } from '@mutirao/reference-data';
import { z } from 'zod';
import { allPreferences, type Channel, type Kind, type PreferenceKind } from '../domain/kinds';
import { languageOf } from '../domain/language';
import { readUnsubscribeToken } from '../domain/tokens';
import type { Directory } from '../store/directory';
import type { InboxItem, InboxRepo } from '../store/inbox';

/** What a person sees of an item of their list. */
export interface ItemView {
  id: string;
  kind: Kind;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  read: boolean;
}

const view = (i: InboxItem): ItemView => ({
  id: i._id,
  kind: i.kind,
  title: i.title,
  body: i.body,
  link: i.link,
  createdAt: i.createdAt.toISOString(),
  read: i.read,
});

const Position = z.object({ at: z.string(), id: z.string() });

/** The signed-in person's list, preferences, and the unsubscribe links of their mails. */
export class People {
  constructor(private readonly deps: { inbox: InboxRepo; directory: Directory; secret: Buffer }) {}

  async list(personId: string, q: { limit: number; cursor?: string | undefined }) {
    const after = q.cursor ? decodeCursor(Position, q.cursor) : undefined;
    const found = await this.deps.inbox.page(
      personId,
      q.limit + 1,
      after ? { createdAt: new Date(after.at), id: after.id } : undefined,
    );
    const items = found.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      nextCursor:
        found.length > q.limit && last
          ? encodeCursor({ at: last.createdAt.toISOString(), id: last._id })
          : null,
      unreadCount: await this.deps.inbox.unread(personId),
    };
  }

  async read(personId: string, id: string): Promise<ItemView> {
    const item = await this.deps.inbox.markRead(personId, id);
    // Another person's item is as absent as one that never was.
    if (!item) throw notFound('No such notification.');
    return view(item);
  }

  async readAll(personId: string): Promise<{ marked: number; unreadCount: number }> {
    const marked = await this.deps.inbox.markAllRead(personId);
    return { marked, unreadCount: await this.deps.inbox.unread(personId) };
  }

  preferences(personId: string): { kinds: Record<PreferenceKind, Channel> } {
    return { kinds: allPreferences(this.deps.directory.preferences(personId)) };
  }

  async setPreferences(
    personId: string,
    kinds: Partial<Record<PreferenceKind, Channel>>,
  ): Promise<{ kinds: Record<PreferenceKind, Channel> }> {
    return { kinds: allPreferences(await this.deps.directory.setPreferences(personId, kinds)) };
  }

  /** Whom and what a token stands for, with the language of its pages; a token not ours is a 404. */
  unsubscribeTarget(token: string): { personId: string; kind: Kind; language: Lang } {
    const t = readUnsubscribeToken(this.deps.secret, token);
    if (!t) throw notFound('No such unsubscribe link.');
    const person = this.deps.directory.person(t.personId);
    const org = person?.organisationId ? this.deps.directory.organisation(person.organisationId) : undefined;
    return { ...t, language: person ? languageOf(person, org) : 'en' };
  }

  /**
   * One click: that kind off for that person. The digest's link switches off every kind the
   * person had sent to the digest.
   */
  async unsubscribe(token: string): Promise<{ personId: string; kind: Kind; language: Lang }> {
    const target = this.unsubscribeTarget(token);
    const current = allPreferences(this.deps.directory.preferences(target.personId));
    const kinds: PreferenceKind[] =
      target.kind === 'digest'
        ? (Object.keys(current) as PreferenceKind[]).filter((k) => current[k] === 'digest')
        : target.kind === 'invitation' ||
            target.kind === 'coordinator-invitation' ||
            target.kind === 'password-reset'
          ? []
          : [target.kind];
    if (kinds.length > 0)
      await this.deps.directory.setPreferences(
        target.personId,
        Object.fromEntries(kinds.map((k) => [k, 'off'])) as Partial<Record<PreferenceKind, Channel>>,
      );
    return target;
  }
}
