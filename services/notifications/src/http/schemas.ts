import { z } from 'zod';
import { Channel, Kind, PreferenceKind } from '../domain/kinds';

export const NoBody = z.strictObject({});

export const IdParam = z.strictObject({ id: z.string().min(1).max(300) });

/** An unsubscribe token as this service makes them (three base64url parts); anything else is refused. */
export const TokenParam = z.strictObject({
  token: z
    .string()
    .min(10)
    .max(600)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not an unsubscribe token'),
});

export const ListQuery = z.strictObject({
  cursor: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100, 'at most 100 per page').default(20),
});

export const Notification = z
  .object({
    id: z.string(),
    kind: Kind,
    title: z.string(),
    body: z.string(),
    link: z.string(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

export const NotificationPage = z.object({
  items: z.array(Notification),
  nextCursor: z.string().nullable(),
  unreadCount: z.number().int().nonnegative(),
});

export const Preferences = z
  .object({ kinds: z.record(PreferenceKind, Channel) })
  .meta({ id: 'NotificationPreferences' });

/** PUT: the kinds to change, each to mail, in-app, digest or off; kinds not named keep their channel. */
export const PreferencesUpdate = z.strictObject({
  kinds: z.partialRecord(PreferenceKind, Channel),
});
