/**
 * An organisation's members and invitations: members page through them, invite by mail, withdraw
 * a pending invitation, remove a member (never the last one). Members manage their own
 * organisation; the admin any (`#/members?org=<id>`, chosen from the list of organisations).
 */
import { api, hasRole, organisation, session } from '../api.js';
import { errorText, field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { date, t } from '../i18n.js';
import { languageField } from './coordinators.js';

const PAGE = 20;

/** @param {import('../app.js').PageCtx} ctx */
export default async function membersPage({ main, query }) {
  const own = session()?.me.org;
  const orgId = hasRole('admin') ? (query.get('org') ?? own) : own;
  if (!orgId) return organisationsToChoose(main);
  const org = await organisation(orgId);
  if (!org) throw new Error(t('error.unavailable'));
  const base = `/api/profiles/organisations/${encodeURIComponent(orgId)}`;

  const members = pagedList({
    id: 'members',
    path: `${base}/members`,
    none: t('admin.members.none'),
    card: (m, list) => memberCard(base, m, list),
  });
  const invitations = pagedList({
    id: 'invitations',
    path: `${base}/invitations`,
    none: t('admin.inv.none'),
    card: (i) => invitationCard(base, i),
  });
  const sent = h('p', { class: 'notice', role: 'status', hidden: true });
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      'data-form': 'invite',
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const data = new FormData(form);
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          const inv = await api(`${base}/invitations`, {
            body: { email: String(data.get('email') ?? ''), language: String(data.get('language') ?? 'en') },
          });
          /** @type {HTMLInputElement} */ (form.querySelector('input[name=email]')).value = '';
          sent.textContent = t('admin.inv.sent', { email: inv.email });
          sent.hidden = false;
          announce(t('admin.inv.sent', { email: inv.email }));
          await invitations.load(true);
        } catch (err) {
          showErrors(form, err);
        } finally {
          button.disabled = false;
        }
      },
    },
    field({ label: t('admin.email'), path: 'email', required: true }, (id, d) =>
      h('input', {
        id,
        name: 'email',
        type: 'email',
        autocomplete: 'off',
        required: true,
        'aria-describedby': d,
      }),
    ),
    languageField(),
    formError(),
    h('button', { type: 'submit', class: 'primary', 'data-action': 'invite' }, t('admin.invite')),
  );
  mount(
    main,
    h('h1', null, t('admin.members.title', { org: org.name })),
    h('p', { class: 'lead' }, t('admin.members.lead')),
    h(
      'section',
      { 'aria-labelledby': 'h-members' },
      h('h2', { id: 'h-members' }, t('admin.members.list')),
      members.root,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-invite' },
      h('h2', { id: 'h-invite' }, t('admin.inv.new')),
      sent,
      form,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-invitations' },
      h('h2', { id: 'h-invitations' }, t('admin.inv.pending')),
      invitations.root,
    ),
  );
  await Promise.all([members.load(true), invitations.load(true)]);
}

/**
 * A list read a page at a time, with *Show more*.
 * @param {{ id: string, path: string, none: string, card: (item: any, list: { load: (first?: boolean) => Promise<void> }) => HTMLElement }} spec
 */
function pagedList(spec) {
  const list = h('ul', { class: 'cards admin-list', id: spec.id });
  const more = h(
    'button',
    { type: 'button', class: 'button', 'data-action': `more-${spec.id}`, hidden: true },
    t('admin.more'),
  );
  /** @type {string | null} */
  let cursor = null;
  const self = {
    root: h('div', null, list, more),
    /** @param {boolean} [first] the first page, replacing what is shown */
    async load(first = false) {
      const page = await api(spec.path, { query: { limit: PAGE, cursor: first ? null : cursor } });
      if (first) list.replaceChildren();
      const cards = page.items.map((/** @type {any} */ item) => spec.card(item, self));
      for (const c of cards) list.append(h('li', null, c));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      if (first && page.items.length === 0) list.append(h('li', { class: 'muted' }, spec.none));
      if (!first) /** @type {HTMLElement | undefined} */ (cards[0]?.querySelector('h3'))?.focus();
    },
  };
  more.addEventListener('click', () => self.load());
  return self;
}

/**
 * @param {string} base
 * @param {{ id: string, name: string, email: string }} m
 * @param {{ load: (first?: boolean) => Promise<void> }} list
 */
function memberCard(base, m, list) {
  const card = h('article', { class: 'card', 'data-member': m.id, 'data-email': m.email });
  const headingId = `m-${m.id}`;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const you = m.id === session()?.me.sub;
  const focusRemove = () =>
    /** @type {HTMLElement | null} */ (card.querySelector('[data-action=remove]'))?.focus();
  function view() {
    mount(
      card,
      h(
        'h3',
        { id: headingId, tabindex: -1 },
        m.name,
        you ? h('span', { class: 'muted' }, ` (${t('admin.members.you')})`) : null,
      ),
      h('p', { class: 'muted' }, m.email),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger-outline',
            'data-action': 'remove',
            'aria-describedby': headingId,
            onclick: confirm,
          },
          t('admin.remove'),
        ),
      ),
      error,
    );
  }
  function confirm() {
    mount(
      card,
      h('h3', { id: headingId, tabindex: -1 }, m.name),
      h('p', { role: 'alert' }, t('admin.members.confirm', { name: m.name })),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger-outline',
            'data-action': 'confirm-remove',
            onclick: async () => {
              try {
                await api(`${base}/members/${encodeURIComponent(m.id)}`, { method: 'DELETE' });
                announce(t('admin.members.removed', { name: m.name }));
                await list.load(true);
              } catch (err) {
                view();
                error.textContent = errorText(err);
                error.hidden = false;
                /** @type {HTMLElement | null} */ (card.querySelector('[data-action=remove]'))?.focus();
              }
            },
          },
          t('admin.confirmRemove'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-action': 'cancel',
            onclick: () => {
              view();
              focusRemove();
            },
          },
          t('admin.cancel'),
        ),
      ),
    );
    /** @type {HTMLElement | null} */ (card.querySelector('[data-action=cancel]'))?.focus();
  }
  view();
  return card;
}

/**
 * @param {string} base
 * @param {{ id: string, email: string, expiresAt: string }} i
 */
function invitationCard(base, i) {
  const card = h('article', { class: 'card', 'data-invitation': i.id, 'data-email': i.email });
  const headingId = `i-${i.id}`;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  mount(
    card,
    h('h3', { id: headingId, tabindex: -1 }, i.email),
    h('p', { class: 'muted' }, t('admin.inv.expires', { d: date(i.expiresAt) })),
    h(
      'div',
      { class: 'buttons' },
      h(
        'button',
        {
          type: 'button',
          class: 'danger-outline',
          'data-action': 'revoke',
          'aria-describedby': headingId,
          onclick: async () => {
            try {
              await api(`${base}/invitations/${encodeURIComponent(i.id)}`, { method: 'DELETE' });
              const done = t('admin.inv.revoked', { email: i.email });
              mount(card, h('p', { class: 'notice', role: 'status', tabindex: -1 }, done));
              announce(done);
              /** @type {HTMLElement | null} */ (card.firstElementChild)?.focus();
            } catch (err) {
              error.textContent = errorText(err);
              error.hidden = false;
            }
          },
        },
        t('admin.inv.revoke'),
      ),
    ),
    error,
  );
  return card;
}

/** The admin, who belongs to no organisation, chooses one (20 at a time, oldest first). */
async function organisationsToChoose(/** @type {HTMLElement} */ main) {
  const list = h('ul', { class: 'cards admin-list', id: 'organisations' });
  const more = h(
    'button',
    { type: 'button', class: 'button', 'data-action': 'more', hidden: true },
    t('admin.more'),
  );
  /** @type {string | null} */
  let cursor = null;
  const load = async () => {
    const page = await api('/api/profiles/organisations', { query: { limit: PAGE, cursor } });
    const links = page.items.map((/** @type {any} */ o) =>
      h('a', { href: `#/members?org=${encodeURIComponent(o.id)}`, 'data-organisation': o.id }, o.name),
    );
    for (const a of links) list.append(h('li', null, a));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return links;
  };
  more.addEventListener('click', async () => (await load())[0]?.focus());
  mount(
    main,
    h('h1', null, t('admin.orgs.title')),
    h('p', { class: 'lead' }, t('admin.orgs.lead')),
    list,
    more,
  );
  await load();
}
