/**
 * The bell in the header: a link to `#/notifications` whose accessible name tells the number of
 * unread notifications ("Notifications, 3 unread"), shown as a badge. The count is asked for when a
 * page is shown and every `EVERY_MS` while the tab is visible; a hidden tab asks nothing.
 */
import { api, session } from './api.js';
import { h } from './h.js';
import { num, plural, t } from './i18n.js';

const EVERY_MS = 45_000;
/** Drawn with two paths of the 24-unit grid, so that no image file is fetched. */
const BELL_PATHS = [
  'M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6z',
  'M9.5 19a2.5 2.5 0 0 0 5 0z',
];

/** @type {number | undefined} The last count known; undefined until the service first answered, and after sign-out. */
let unread;
/** @type {ReturnType<typeof setInterval> | undefined} */
let timer;
/** How many asks were started; an answer counts only if no later ask or count came meanwhile. */
let asked = 0;

const bellLabel = () => (unread === undefined ? t('notifications.title') : plural('bell.label', unread));

/** The bell as the header shows it now. @param {boolean} current */
export function bell(current) {
  const badge = h('span', { class: 'badge', 'aria-hidden': 'true', hidden: !unread }, badgeText());
  const icon = h(
    'svg:svg',
    { viewBox: '0 0 24 24', width: 24, height: 24, 'aria-hidden': 'true', focusable: 'false' },
    BELL_PATHS.map((d) => h('svg:path', { d, fill: 'currentColor' })),
  );
  return h(
    'a',
    {
      id: 'bell',
      class: 'bell',
      href: '#/notifications',
      'aria-label': bellLabel(),
      'aria-current': current ? 'page' : null,
      'data-unread': unread ?? '',
    },
    icon,
    badge,
  );
}

const badgeText = () => (unread === undefined ? '' : unread > 99 ? '99+' : num(unread));

/** Shows a count the app learned otherwise (a page marked items read). @param {number} n */
export function setUnread(n) {
  // An ask still under way started before this count was known: its answer is older.
  asked++;
  show(n);
}

/** @param {number} n */
function show(n) {
  unread = n;
  const el = document.getElementById('bell');
  if (!el) return;
  el.setAttribute('aria-label', bellLabel());
  el.dataset.unread = String(n);
  const badge = /** @type {HTMLElement | null} */ (el.querySelector('.badge'));
  if (badge) {
    badge.textContent = badgeText();
    badge.hidden = !n;
  }
}

/** Asks the service for the count (one item is the smallest page); the latest ask wins. */
export async function refreshBell() {
  if (!session()) return;
  const mine = ++asked;
  try {
    const page = await api('/api/notifications/notifications', { query: { limit: 1 } });
    if (mine === asked) show(page.unreadCount);
  } catch {
    // The count stays as it was: the bell still leads to the list, which tells what went wrong.
  }
}

function schedule() {
  clearInterval(timer);
  timer = undefined;
  // Each tick asks only while someone is signed in (refreshBell), so signing in needs no restart.
  if (document.visibilityState === 'visible') timer = setInterval(refreshBell, EVERY_MS);
}

/** Starts the polling: every `EVERY_MS` while the tab is visible, at once when it shows again. */
export function startBell() {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshBell();
    schedule();
  });
  schedule();
}

/** At sign-out: the next person's count is not the last one's. */
export function forgetBell() {
  asked++;
  unread = undefined;
}
