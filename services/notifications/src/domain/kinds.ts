import { LANGS, type Lang } from '@mutirao/reference-data';
import { z } from 'zod';

/** What a notification tells: one template, one preference and one unsubscribe token each. */
export const Kind = z.enum([
  'organisation-verified',
  'organisation-declined',
  'organisation-revoked',
  'proposal-approved',
  'proposal-reminder',
  'proposal-info-requested',
  'proposal-info-provided',
  'proposal-agreed',
  'proposal-declined',
  'proposal-expired',
  'posting-expiring',
  'posting-expired',
  'need-unanswered',
  'report-due',
  'invitation',
  'coordinator-invitation',
  'password-reset',
  'digest',
]);
export type Kind = z.infer<typeof Kind>;

/**
 * Kinds a person chooses a channel for. Invitations and password resets are asked for and always
 * mailed (an invitee has no account yet); the digest is itself the channel of the others.
 */
export const PreferenceKind = Kind.exclude([
  'invitation',
  'coordinator-invitation',
  'password-reset',
  'digest',
]);
export type PreferenceKind = z.infer<typeof PreferenceKind>;
export const PREFERENCE_KINDS: readonly PreferenceKind[] = PreferenceKind.options;

/**
 * A person's choice for one kind:
 * - `mail`: a mail at once, and the item in the in-app list (the default);
 * - `in-app`: the in-app list only;
 * - `digest`: the in-app list, and the item in one mail a day with the day's others;
 * - `off`: nothing.
 */
export const Channel = z.enum(['mail', 'in-app', 'digest', 'off']);
export type Channel = z.infer<typeof Channel>;
export const DEFAULT_CHANNEL: Channel = 'mail';

export type Preferences = Partial<Record<PreferenceKind, Channel>>;

/** Where one notice goes, given the person's preference for its kind. */
export interface Route {
  mail: boolean;
  inApp: boolean;
  digest: boolean;
}

export function routeOf(kind: Kind, prefs: Preferences | undefined): Route {
  if (kind === 'invitation' || kind === 'coordinator-invitation' || kind === 'password-reset')
    return { mail: true, inApp: false, digest: false };
  if (kind === 'digest') return { mail: true, inApp: false, digest: false };
  const channel = prefs?.[kind] ?? DEFAULT_CHANNEL;
  return {
    mail: channel === 'mail',
    inApp: channel !== 'off',
    digest: channel === 'digest',
  };
}

/** Every preference kind with its channel, defaults filled in. */
export function allPreferences(prefs: Preferences | undefined): Record<PreferenceKind, Channel> {
  return Object.fromEntries(PREFERENCE_KINDS.map((k) => [k, prefs?.[k] ?? DEFAULT_CHANNEL])) as Record<
    PreferenceKind,
    Channel
  >;
}

export const isLang = (code: string | undefined): code is Lang =>
  code !== undefined && (LANGS as readonly string[]).includes(code);
