import type { Notice } from '../domain/decide';
import { absolute, links } from '../domain/links';
import { nextDigest } from '../domain/schedule';
import { messageId, unsubscribeToken } from '../domain/tokens';
import type { Delivery, DeliveryRepo } from '../store/deliveries';
import type { InboxItem, InboxRepo } from '../store/inbox';
import type { ScheduleRepo } from '../store/schedules';
import { render } from '../templates/render';

export interface MailSettings {
  /** The web app's public address: links, and the unsubscribe address behind its proxy. */
  webUrl: string;
  /** The domain of Message-IDs (MAIL_FROM's). */
  messageIdDomain: string;
  /** The hour (UTC) digests go out. */
  digestHour: number;
}

export interface NotifyDeps {
  deliveries: DeliveryRepo;
  inbox: InboxRepo;
  schedules: ScheduleRepo;
  secret: Buffer;
  settings: MailSettings;
  now: () => Date;
  /** Called when new mails are stored (wakes the sender). */
  stored?: () => void;
}

/** The one-click unsubscribe address of a person and kind (served by this service behind the web proxy). */
export const unsubscribeUrl = (
  deps: Pick<NotifyDeps, 'secret' | 'settings'>,
  personId: string,
  kind: Notice['kind'],
) =>
  absolute(
    deps.settings.webUrl,
    `/api/notifications/unsubscribe/${unsubscribeToken(deps.secret, personId, kind)}`,
  );

/** A mail of a notice, rendered and keyed, as it is stored before sending. */
export function deliveryOf(deps: Pick<NotifyDeps, 'secret' | 'settings'>, n: Notice, now: Date): Delivery {
  const unsubscribe = n.personId && !n.secret ? unsubscribeUrl(deps, n.personId, n.kind) : undefined;
  const r = render({
    kind: n.kind,
    language: n.language,
    facts: n.facts,
    link: absolute(deps.settings.webUrl, n.link),
    ...(n.name ? { name: n.name } : {}),
    ...(unsubscribe
      ? { unsubscribeUrl: unsubscribe, preferencesUrl: absolute(deps.settings.webUrl, links.preferences()) }
      : {}),
  });
  return {
    _id: n.key,
    kind: n.kind,
    ...(n.personId ? { personId: n.personId } : {}),
    to: n.name ? `"${n.name.replace(/["\\\r\n]/g, ' ')}" <${n.email}>` : n.email,
    language: n.language,
    subject: r.subject,
    text: r.text,
    html: r.html,
    messageId: messageId(n.key, deps.settings.messageIdDomain),
    ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
    ...(n.secret ? { secret: true } : {}),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  };
}

/** The in-app item of a notice: its subject as the title and what happened as the body. */
export function inboxItemOf(deps: Pick<NotifyDeps, 'settings'>, n: Notice & { personId: string }): InboxItem {
  const r = render({
    kind: n.kind,
    language: n.language,
    facts: n.facts,
    link: absolute(deps.settings.webUrl, n.link),
  });
  const body = r.text.split('\n')[2] ?? '';
  return {
    _id: n.key,
    personId: n.personId,
    kind: n.kind,
    title: r.subject,
    body,
    link: absolute(deps.settings.webUrl, n.link),
    createdAt: n.at,
    read: false,
    ...(n.route.digest ? { digestPending: true } : {}),
  };
}

/**
 * Stores what the notices say: a mail for each that goes by mail, an in-app item for each that
 * shows in the list, and for those kept for a digest, the person's next digest. All keyed by the
 * notice's idempotency key, so storing the same notices again adds nothing.
 */
export async function storeNotices(deps: NotifyDeps, notices: Notice[]): Promise<void> {
  if (notices.length === 0) return;
  const now = deps.now();
  const mails = notices.filter((n) => n.route.mail).map((n) => deliveryOf(deps, n, now));
  const items = notices
    .filter((n): n is Notice & { personId: string } => n.route.inApp && n.personId !== undefined)
    .map((n) => inboxItemOf(deps, n));
  const digests = new Map<string, { key: string; dueAt: Date; day: string }>();
  for (const i of items)
    if (i.digestPending) {
      const { day, dueAt } = nextDigest(now, deps.settings.digestHour);
      digests.set(i.personId, { key: `digest:${i.personId}:${day}`, dueAt, day });
    }
  // In-app items and digest schedules first: a mail stored is one the sender may send at once.
  await deps.inbox.add(items);
  await deps.schedules.add(
    [...digests].map(([personId, d]) => ({
      _id: d.key,
      kind: 'digest' as const,
      dueAt: d.dueAt,
      subject: personId,
      scope: personId,
      data: { day: d.day },
    })),
  );
  if ((await deps.deliveries.add(mails)) > 0) deps.stored?.();
}
