/**
 * The signed-in person's notifications (`#/notifications`): newest first, unread ones marked in
 * words and in colour; opening one marks it read; mark all as read; more with the cursor. And the
 * choice of channel per kind (`#/notifications?tab=preferences`, where the mails' settings link
 * leads): mail, in-app only, daily digest or off.
 */
import { api, hasRole, session } from '../api.js';
import { setUnread } from '../bell.js';
import { errorText } from '../forms.js';
import { announce, h, mount, uid } from '../h.js';
import { lang, plural, t } from '../i18n.js';

const BASE = '/api/notifications';
const PAGE_SIZE = 20;

/** @typedef {{ id: string, kind: string, title: string, body: string, link: string, createdAt: string, read: boolean }} Notice */

/** @param {import('../app.js').PageCtx} ctx */
export default async function notificationsPage({ main, query, go }) {
  const tab = query.get('tab') === 'preferences' ? 'preferences' : 'list';
  const content = tab === 'preferences' ? await preferences() : await list(go);
  if (tab === 'preferences') document.title = `${t('notifications.tab.preferences')} · Mutirão`;
  mount(main, h('h1', null, t('notifications.title')), tabs(tab), content);
}

/** @param {'list' | 'preferences'} current */
function tabs(current) {
  /** @param {'list' | 'preferences'} tab @param {string} hash */
  const tabLink = (tab, hash) =>
    h(
      'li',
      null,
      h(
        'a',
        { href: hash, 'data-tab': tab, 'aria-current': tab === current ? 'page' : null },
        t(`notifications.tab.${tab}`),
      ),
    );
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('notifications.sections') },
    h(
      'ul',
      null,
      tabLink('list', '#/notifications'),
      tabLink('preferences', '#/notifications?tab=preferences'),
    ),
  );
}

/** Where an item leads: its link's fragment, in this app whatever address the service was given. */
function target(/** @type {string} */ link) {
  try {
    const url = new URL(link, location.href);
    return url.hash.startsWith('#/') ? url.hash : url.href;
  } catch {
    return '#/notifications';
  }
}

/** A date and time in the UI language. @param {string} iso */
const when = (iso) =>
  new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** @param {(hash: string) => void} go */
async function list(go) {
  const first = await api(`${BASE}/notifications`, { query: { limit: PAGE_SIZE } });
  /** @type {Notice[]} */
  const items = [...first.items];
  /** @type {string | null} */
  let cursor = first.nextCursor;
  /** @type {number} */
  let unread = first.unreadCount;
  setUnread(unread);

  const box = h('div', { class: 'notices-page' });
  const summary = h('p', { class: 'unread-summary', tabindex: -1 });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const ul = h('ul', { class: 'notices' });
  /** @type {Map<string, HTMLElement>} */
  const shown = new Map();

  const fail = (/** @type {unknown} */ err) => {
    error.textContent = errorText(err);
    error.hidden = false;
  };
  const counted = (/** @type {number} */ n) => {
    unread = n;
    setUnread(n);
    summary.textContent = n > 0 ? plural('notifications.unread', n) : t('notifications.allRead');
    readAll.hidden = n === 0;
  };

  /** Marks an item read in the service, then here; the bell follows. @param {Notice} n */
  const markRead = async (n) => {
    try {
      await api(`${BASE}/notifications/${encodeURIComponent(n.id)}/read`, { body: {} });
      n.read = true;
      counted(Math.max(0, unread - 1));
      redraw(n);
    } catch (err) {
      fail(err);
    }
  };

  /** @param {Notice} n */
  const item = (n) => {
    const href = target(n.link);
    return h(
      'li',
      {
        class: n.read ? 'notice-item' : 'notice-item unread',
        'data-notification': n.id,
        'data-kind': n.kind,
      },
      h(
        'h2',
        null,
        h(
          'a',
          {
            href,
            'data-action': 'open',
            onclick: (/** @type {MouseEvent} */ e) => {
              if (n.read) return;
              const marking = markRead(n);
              // A new tab or window opens as the browser would; the item is marked meanwhile.
              if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              marking.finally(() => {
                if (href.startsWith('#/')) go(href);
                else location.href = href;
              });
            },
          },
          n.title,
        ),
        n.read ? null : h('span', { class: 'tag unread-tag' }, t('notifications.state.unread')),
      ),
      h('p', { class: 'notice-when' }, h('time', { datetime: n.createdAt }, when(n.createdAt))),
      h('p', { class: 'notice-body' }, n.body),
    );
  };
  /** @param {Notice} n */
  const add = (n) => {
    const li = item(n);
    shown.set(n.id, li);
    ul.appendChild(li);
    return li;
  };
  /** @param {Notice} n */
  const redraw = (n) => {
    const old = shown.get(n.id);
    if (!old) return;
    const li = item(n);
    shown.set(n.id, li);
    old.replaceWith(li);
  };

  const readAll = h(
    'button',
    {
      type: 'button',
      'data-action': 'read-all',
      onclick: async () => {
        readAll.disabled = true;
        try {
          const r = await api(`${BASE}/notifications/read-all`, { body: {} });
          for (const n of items) {
            n.read = true;
            redraw(n);
          }
          counted(r.unreadCount);
          announce(t('notifications.readAllDone'));
          // The button is gone with the unread: keep the keyboard's place on the count.
          summary.focus();
        } catch (err) {
          fail(err);
        } finally {
          readAll.disabled = false;
        }
      },
    },
    t('notifications.readAll'),
  );

  const more = h(
    'button',
    {
      type: 'button',
      'data-action': 'more',
      hidden: !cursor,
      onclick: async () => {
        more.disabled = true;
        try {
          const page = await api(`${BASE}/notifications`, { query: { limit: PAGE_SIZE, cursor } });
          cursor = page.nextCursor;
          /** @type {Notice[]} */
          const fresh = page.items.filter((/** @type {Notice} */ n) => !shown.has(n.id));
          items.push(...fresh);
          const added = fresh.map(add);
          counted(page.unreadCount);
          more.hidden = !cursor;
          announce(plural('notifications.shown', fresh.length));
          // Keyboard users go on from the first item that came in.
          /** @type {HTMLElement | null | undefined} */ (added[0]?.querySelector('a'))?.focus();
        } catch (err) {
          fail(err);
        } finally {
          more.disabled = false;
        }
      },
    },
    t('notifications.more'),
  );

  for (const n of items) add(n);
  counted(unread);
  if (items.length === 0)
    mount(
      box,
      h('p', { class: 'empty' }, t('notifications.none')),
      h('p', null, h('a', { href: '#/notifications?tab=preferences' }, t('notifications.noneLink'))),
    );
  else
    mount(
      box,
      h('div', { class: 'notices-head' }, summary, readAll),
      error,
      ul,
      h('div', { class: 'buttons' }, more),
    );
  return box;
}

/** The kinds a person chooses a channel for, in groups; each person sees the groups that concern them. */
const GROUPS = /** @type {const} */ ([
  ['organisation', ['organisation-verified', 'organisation-declined', 'organisation-revoked'], 'member'],
  [
    'proposals',
    [
      'proposal-approved',
      'proposal-reminder',
      'proposal-info-requested',
      'proposal-agreed',
      'report-due',
      'proposal-declined',
      'proposal-expired',
    ],
    'member',
  ],
  ['postings', ['posting-expiring', 'posting-expired'], 'member'],
  ['regions', ['need-unanswered', 'proposal-info-provided'], 'coordinator'],
]);
const CHANNELS = ['mail', 'in-app', 'digest', 'off'];

async function preferences() {
  /** @type {{ kinds: Record<string, string> }} */
  const prefs = await api(`${BASE}/preferences`);
  const member = Boolean(session()?.me.org);
  const coordinator = hasRole('coordinator');
  // A person who is neither (an admin) sees every kind.
  const everything = !member && !coordinator;
  const known = new Set(GROUPS.flatMap(([, kinds]) => kinds));
  /** @type {[string, readonly string[]][]} */
  const groups = GROUPS.filter(([, , who]) => everything || (who === 'member' ? member : coordinator)).map(
    ([name, kinds]) => [name, kinds.filter((k) => k in prefs.kinds)],
  );
  // A kind the service learned since this page was written is still offered.
  const other = Object.keys(prefs.kinds).filter((k) => !known.has(k));
  if (other.length > 0) groups.push(['other', other]);

  const status = h('p', { class: 'saved-status', role: 'status' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  /** @param {string} kind */
  const choice = (kind) => {
    return h(
      'fieldset',
      { class: 'channel-choice', 'data-kind': kind },
      h('legend', null, t(`notifications.kind.${kind}`)),
      h(
        'div',
        { class: 'choices' },
        CHANNELS.map((channel) => {
          const id = uid('ch');
          return h(
            'div',
            { class: 'check' },
            h('input', {
              type: 'radio',
              id,
              name: kind,
              value: channel,
              checked: prefs.kinds[kind] === channel,
            }),
            h('label', { for: id }, t(`notifications.channel.${channel}`)),
          );
        }),
      ),
    );
  };

  const form = h(
    'form',
    {
      class: 'preferences',
      novalidate: true,
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        error.hidden = true;
        status.textContent = '';
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        /** @type {Record<string, string>} */
        const kinds = {};
        for (const [, list] of groups)
          for (const kind of list) {
            const v = data.get(kind);
            if (typeof v === 'string') kinds[kind] = v;
          }
        try {
          await api(`${BASE}/preferences`, { method: 'PUT', body: { kinds } });
          // Emptied first, so that saving twice is said twice.
          setTimeout(() => {
            status.textContent = t('notifications.saved');
          }, 30);
        } catch (err) {
          error.textContent = errorText(err);
          error.hidden = false;
        } finally {
          button.disabled = false;
        }
      },
    },
    h('p', { class: 'lead' }, t('notifications.prefs.lead')),
    h(
      'ul',
      { class: 'channels-legend' },
      CHANNELS.map((c) =>
        h(
          'li',
          null,
          h('strong', null, t(`notifications.channel.${c}`)),
          ': ',
          t(`notifications.explain.${c}`),
        ),
      ),
    ),
    groups.map(([name, kinds]) =>
      h(
        'section',
        { class: 'kind-group', 'aria-labelledby': `g-${name}` },
        h('h2', { id: `g-${name}` }, t(`notifications.group.${name}`)),
        kinds.map(choice),
      ),
    ),
    h('p', { class: 'hint' }, t('notifications.prefs.always')),
    error,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary', 'data-action': 'save' }, t('notifications.save')),
    ),
    status,
  );
  return form;
}
