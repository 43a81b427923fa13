import { type Api, Reply } from '@mutirao/http';
import { z } from 'zod';
import type { Channel, PreferenceKind } from '../domain/kinds';
import { confirmPage, donePage } from '../templates/pages';
import type { People } from '../usecases/people';
import {
  IdParam,
  ListQuery,
  NoBody,
  Notification,
  NotificationPage,
  Preferences,
  PreferencesUpdate,
  TokenParam,
} from './schemas';

const HTML = { contentType: 'text/html', schema: z.string() };

/** The operations of the notifications service: thin, they hand parsed input to the use cases. */
export function notificationOperations(api: Api, people: People): void {
  const tags = ['notifications'];
  api.op({
    method: 'get',
    path: '/notifications',
    summary: 'My notifications',
    description: 'The signed-in person’s in-app notifications, newest first, with the number unread.',
    tags,
    access: 'signed-in',
    query: ListQuery,
    responses: { 200: { description: 'one page', schema: NotificationPage } },
    handle: ({ principal, query }) => people.list(principal.sub, query),
  });

  api.op({
    method: 'post',
    path: '/notifications/read-all',
    summary: 'Mark all my notifications as read',
    tags,
    access: 'signed-in',
    body: NoBody,
    responses: {
      200: {
        description: 'how many were marked, and how many stay unread',
        schema: z.object({ marked: z.number().int(), unreadCount: z.number().int() }),
      },
    },
    handle: ({ principal }) => people.readAll(principal.sub),
  });

  api.op({
    method: 'post',
    path: '/notifications/:id/read',
    summary: 'Mark one of my notifications as read',
    tags,
    access: 'signed-in',
    params: IdParam,
    body: NoBody,
    responses: { 200: { description: 'the notification', schema: Notification } },
    refusals: [404],
    handle: ({ principal, params }) => people.read(principal.sub, params.id),
  });

  api.op({
    method: 'get',
    path: '/preferences',
    summary: 'My notification channels',
    description:
      'Per kind: `mail` (a mail at once, and the in-app list; the default), `in-app` (the list only), `digest` (the list, and one mail a day), `off`.',
    tags,
    access: 'signed-in',
    responses: { 200: { description: 'every kind with its channel', schema: Preferences } },
    handle: ({ principal }) => people.preferences(principal.sub),
  });

  api.op({
    method: 'put',
    path: '/preferences',
    summary: 'Change my notification channels',
    description: 'The kinds named get the channel given; the others keep theirs.',
    tags,
    access: 'signed-in',
    body: PreferencesUpdate,
    responses: { 200: { description: 'every kind with its channel', schema: Preferences } },
    handle: ({ principal, body }) =>
      people.setPreferences(principal.sub, body.kinds as Partial<Record<PreferenceKind, Channel>>),
  });

  api.op({
    method: 'get',
    path: '/unsubscribe/:token',
    summary: 'The page of a mail’s unsubscribe link',
    description:
      'Asks to confirm (a link checker following the link changes nothing); the page’s button posts to the same address. A token this service did not make is a 404.',
    tags: ['unsubscribe'],
    access: 'anyone',
    params: TokenParam,
    responses: { 200: { description: 'the confirmation page', ...HTML } },
    refusals: [404],
    handle: ({ params }) => {
      const t = people.unsubscribeTarget(params.token);
      return confirmPage(t.language, t.kind);
    },
  });

  api.op({
    method: 'post',
    path: '/unsubscribe/:token',
    summary: 'One-click unsubscribe (RFC 8058)',
    description:
      'Switches the token’s kind off for its person, with no sign-in: what a mail client sends for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, and the confirmation page’s button. The body (`List-Unsubscribe=One-Click`, form-encoded) is not read. A token this service did not make is a 404.',
    tags: ['unsubscribe'],
    access: 'anyone',
    params: TokenParam,
    responses: { 200: { description: 'done', ...HTML } },
    refusals: [404],
    handle: async ({ params }) => {
      const t = await people.unsubscribe(params.token);
      return new Reply(200, donePage(t.language, t.kind));
    },
  });
}
