/**
 * The app shell: header with navigation and the language switch, hash routing, sign-in state.
 * Pages are loaded on demand, so the review page downloads only what it uses.
 */
import { forgetOrganisations, hasRole, isStaff, session, setSession, whenUnauthorized } from './api.js';
import { bell, forgetBell, refreshBell, startBell } from './bell.js';
import { h, mount } from './h.js';
import { initialLang, LANGS, lang, setLang, t } from './i18n.js';

/**
 * @typedef {{ main: HTMLElement, params: Record<string, string>, query: URLSearchParams, go: (hash: string) => void, rerender: () => void }} PageCtx
 * @typedef {(ctx: PageCtx) => Promise<void> | void} Page
 */

/** @type {[RegExp, string, () => Promise<{ default: Page }>, (() => boolean)?][]} */
const ROUTES = [
  [/^\/signin$/, 'nav.signin', () => import('./pages/signin.js')],
  // The links the mails carry (issue 14): `#/reset-password?token=…` and `#/invitation?token=…`.
  [/^\/forgot-password$/, 'forgot.title', () => import('./pages/forgot-password.js')],
  [/^\/reset-password$/, 'reset.title', () => import('./pages/reset-password.js')],
  [/^\/invitation$/, 'invitation.title', () => import('./pages/invitation.js')],
  // A new organisation and its first member (issue 15); the sign-in page links here.
  [/^\/register$/, 'account.register.title', () => import('./pages/register.js')],
  [/^\/password$/, 'account.password.title', () => import('./pages/password.js'), () => Boolean(session())],
  // Every signed-in person's: the bell leads here, and so do the mails (`#/notifications`, and
  // `#/notifications?tab=preferences` for the choice of channels).
  [
    /^\/notifications$/,
    'notifications.title',
    () => import('./pages/notifications.js'),
    () => Boolean(session()),
  ],
  // Public figures of what the partnerships achieved (services/followup): no sign-in needed.
  [/^\/impact$/, 'impact.title', () => import('./pages/impact.js')],
  [/^\/review$/, 'nav.review', () => import('./pages/review.js'), isStaff],
  [/^\/verification$/, 'nav.verification', () => import('./pages/verification.js'), isStaff],
  [/^\/dashboard$/, 'nav.dashboard', () => import('./pages/dashboard.js'), isStaff],
  [/^\/postings$/, 'nav.postings', () => import('./pages/postings.js'), () => Boolean(session()?.me.org)],
  [
    /^\/(?<kind>needs|offers)\/(?<id>new|[^/]+)$/,
    'nav.postings',
    () => import('./pages/posting-form.js'),
    () => Boolean(session()?.me.org),
  ],
  // After the agreement (services/followup): the members' partnerships and their reports; the
  // coordinators' of their regions, with the late reports and their comments.
  [
    /^\/partnerships$/,
    'followup.title',
    () => import('./pages/partnerships.js'),
    () => Boolean(session()?.me.org) || isStaff(),
  ],
  [/^\/proposals$/, 'nav.proposals', () => import('./pages/proposals.js'), () => Boolean(session()?.me.org)],
  // Issue 15, part 6: what only the API did. The admin's coordinators; an organisation's members
  // and invitations, for its members and (any organisation, `?org=`) the admin.
  [/^\/coordinators$/, 'admin.coord.title', () => import('./pages/coordinators.js'), () => hasRole('admin')],
  [
    /^\/members$/,
    'admin.nav.members',
    () => import('./pages/members.js'),
    () => Boolean(session()?.me.org) || hasRole('admin'),
  ],
  [
    /^\/organisation$/,
    'nav.organisation',
    () => import('./pages/organisation.js'),
    () => Boolean(session()?.me.org),
  ],
  [
    /^\/organisation\/edit$/,
    'account.edit.title',
    () => import('./pages/organisation-edit.js'),
    () => Boolean(session()?.me.org),
  ],
];

const main = /** @type {HTMLElement} */ (document.getElementById('main'));

function home() {
  if (!session()) return '#/signin';
  return isStaff() ? '#/review' : '#/postings';
}

/** @param {string} hash */
function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', qs = ''] = raw.split('?');
  return { path, query: new URLSearchParams(qs) };
}

/** @type {{ label: string, hash: string }[]} */
function navItems() {
  const s = session();
  if (!s) return [];
  const items = [];
  if (isStaff())
    items.push(
      { label: 'nav.review', hash: '#/review' },
      { label: 'nav.verification', hash: '#/verification' },
      { label: 'nav.dashboard', hash: '#/dashboard' },
      { label: 'followup.nav', hash: '#/partnerships' },
    );
  if (hasRole('admin'))
    items.push(
      { label: 'admin.nav.coordinators', hash: '#/coordinators' },
      { label: 'admin.nav.members', hash: '#/members' },
    );
  if (s.me.org)
    items.push(
      { label: 'nav.postings', hash: '#/postings' },
      { label: 'nav.proposals', hash: '#/proposals' },
      { label: 'followup.nav', hash: '#/partnerships' },
      { label: 'nav.organisation', hash: '#/organisation' },
      { label: 'admin.nav.members', hash: '#/members' },
    );
  items.push({ label: 'account.password.nav', hash: '#/password' });
  return items;
}

function renderHeader() {
  const top = /** @type {HTMLElement} */ (document.getElementById('top'));
  const current = `#${parseHash().path}`;
  const s = session();
  const langSelect = h(
    'select',
    {
      id: 'lang',
      onchange: async (/** @type {Event} */ e) => {
        // A later change on the switch, still loading, renders instead.
        if (!(await setLang(/** @type {HTMLSelectElement} */ (e.target).value))) return;
        renderChrome();
        render();
        /** @type {HTMLElement | null} */ (document.getElementById('lang'))?.focus();
      },
    },
    LANGS.map((l) => h('option', { value: l, selected: l === lang() }, t(`lang.${l}`))),
  );
  mount(
    top,
    h(
      'div',
      { class: 'topbar' },
      h(
        'a',
        { class: 'brand', href: home() },
        h('img', { src: new URL('../icon.svg', import.meta.url).pathname, alt: '', width: 28, height: 28 }),
        h('span', null, 'Mutirão'),
      ),
      // Beside the name, so that at 360 px it shares the first line with it and the tools keep theirs.
      s ? bell(current === '#/notifications') : null,
      h(
        'div',
        { class: 'tools' },
        h('label', { for: 'lang', class: 'lang-label' }, t('lang.label')),
        langSelect,
        s
          ? h(
              'button',
              {
                type: 'button',
                class: 'link',
                id: 'signout',
                onclick: () => {
                  setSession(null);
                  forgetBell();
                  renderChrome();
                  go('#/signin');
                },
              },
              t('nav.signout'),
            )
          : null,
      ),
    ),
    s
      ? h(
          'nav',
          { 'aria-label': t('nav.label') },
          h(
            'ul',
            null,
            navItems().map((i) =>
              h(
                'li',
                null,
                h('a', { href: i.hash, 'aria-current': i.hash === current ? 'page' : null }, t(i.label)),
              ),
            ),
          ),
        )
      : null,
  );
  const foot = /** @type {HTMLElement} */ (document.getElementById('foot'));
  mount(foot, h('p', null, t('foot.tagline'), ' · ', h('a', { href: '#/impact' }, t('impact.nav'))));
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = t('skip');
}

function renderChrome() {
  renderHeader();
}

/**
 * Shows a page drawn at once (not found, not allowed). A page that was loading meanwhile left
 * `aria-busy` on main; assistive technologies may not read a busy region, so it goes.
 * @param {...Node} nodes
 */
function show(...nodes) {
  mount(main, ...nodes);
  main.removeAttribute('aria-busy');
  if (navigated) main.focus({ preventScroll: false });
  navigated = false;
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  forgetOrganisations();
  if (path === '/' || path === '') {
    go(home());
    return;
  }
  const route = ROUTES.find(([re]) => re.test(path));
  if (!route) {
    document.title = `${t('notfound.title')} · Mutirão`;
    show(h('h1', null, t('notfound.title')), h('p', null, h('a', { href: home() }, t('notfound.home'))));
    return;
  }
  const [re, titleKey, load, allowed] = route;
  if (allowed && !session()) {
    go(`#/signin?next=${encodeURIComponent(location.hash)}`);
    return;
  }
  renderHeader();
  // The unread count is asked for again on every page change (and by the bell's own timer).
  refreshBell();
  if (allowed && !allowed()) {
    document.title = `${t('forbidden.title')} · Mutirão`;
    show(h('h1', null, t('forbidden.title')), h('p', null, t('forbidden.text')));
    return;
  }
  document.title = `${t(titleKey)} · Mutirão`;
  const params = /** @type {Record<string, string>} */ (re.exec(path)?.groups ?? {});
  const page = (await load()).default;
  if (seq !== renderSeq) return;
  main.setAttribute('aria-busy', 'true');
  // Each page renders into its own container, swapped in only if no later navigation started
  // meanwhile: a slow page must not paint over the one the user went to next.
  const view = h('div', { class: 'page' });
  try {
    await page({ main: view, params, query, go, rerender: render });
  } catch (err) {
    mount(
      view,
      h('h1', null, t('error.title')),
      h('p', { class: 'error' }, String(/** @type {Error} */ (err).message)),
    );
  }
  if (seq !== renderSeq) return;
  mount(main, view);
  main.removeAttribute('aria-busy');
  // Move focus to the new content so keyboard and screen-reader users start at the page heading.
  if (navigated) main.focus({ preventScroll: false });
  navigated = false;
}

// The skip link's `#main` would be read as a route: it moves focus to the content instead.
document.getElementById('skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

let navigated = false;
window.addEventListener('hashchange', () => {
  navigated = true;
  render();
});
whenUnauthorized(() => {
  forgetBell();
  renderChrome();
  go(`#/signin?next=${encodeURIComponent(location.hash)}`);
});

await setLang(initialLang());
renderChrome();
render();
startBell();
