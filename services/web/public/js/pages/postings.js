/** The organisation's needs and offers with their status; renew and withdraw in place. */
import { all, api, session } from '../api.js';
import { errorText } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { date, label, t } from '../i18n.js';

/** @param {number} days */
const inDays = (days) => new Date(Date.now() + days * 864e5).toISOString().slice(0, 10);

/** @param {import('../app.js').PageCtx} ctx */
export default async function postingsPage({ main, query, rerender }) {
  const org = session()?.me.org ?? '';
  const [needs, offers] = await Promise.all([
    all('/api/exchange/needs', { organisationId: org }),
    all('/api/exchange/offers', { organisationId: org }),
  ]);
  const saved = query.get('saved');
  mount(
    main,
    h('h1', null, t('postings.title')),
    saved ? h('p', { class: 'notice', role: 'status' }, t('posting.saved')) : null,
    h(
      'div',
      { class: 'buttons' },
      h('a', { class: 'button primary', href: '#/needs/new' }, t('postings.newNeed')),
      h('a', { class: 'button primary', href: '#/offers/new' }, t('postings.newOffer')),
    ),
    section('needs', needs, rerender),
    section('offers', offers, rerender),
  );
}

/**
 * @param {'needs' | 'offers'} kind
 * @param {any[]} items
 * @param {() => void} rerender
 */
function section(kind, items, rerender) {
  return h(
    'section',
    { 'aria-labelledby': `h-${kind}` },
    h(
      'h2',
      { id: `h-${kind}` },
      t(`postings.${kind}`),
      ' ',
      h('span', { class: 'muted' }, `(${items.length})`),
    ),
    items.length === 0
      ? h('p', { class: 'muted' }, t(`postings.none.${kind}`))
      : h(
          'ul',
          { class: 'cards' },
          items.map((p) => h('li', null, postingCard(kind, p, rerender))),
        ),
  );
}

/**
 * @param {'needs' | 'offers'} kind
 * @param {any} p
 * @param {() => void} rerender
 */
function postingCard(kind, p, rerender) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  /** @param {string} action @param {unknown} [body] */
  const act = async (action, body = {}) => {
    try {
      await api(`/api/exchange/${kind}/${encodeURIComponent(p.id)}/${action}`, { body });
      announce(t(`postings.done.${action}`));
      rerender();
    } catch (err) {
      error.textContent = errorText(err);
      error.hidden = false;
    }
  };
  const live = ['open', 'draft'].includes(p.status);
  // Closed by the exchange when the organisation's verification was revoked: renewable once
  // verified again (the server says so if it is not yet).
  const revoked = p.status === 'closed' && p.closedBy === 'revocation';
  const types = kind === 'needs' ? [p.type] : p.types;
  return h(
    'article',
    { class: 'card posting', 'data-posting': p.id },
    h('h3', null, h('a', { href: `#/${kind}/${encodeURIComponent(p.id)}` }, p.title)),
    h(
      'p',
      { class: 'facts' },
      h('span', { class: `tag st-${p.status}` }, t(`pstatus.${p.status}`)),
      types.map((/** @type {string} */ x) => h('span', { class: 'tag' }, label('needType', x))),
      kind === 'offers' ? h('span', { class: 'tag' }, label('instrument', p.instrument)) : null,
      h('span', { class: 'muted' }, t('postings.expires', { d: date(p.expiresAt) })),
    ),
    revoked ? h('p', { class: 'note', 'data-closed-by': 'revocation' }, t('revoke.postingClosed')) : null,
    h(
      'div',
      { class: 'buttons' },
      live
        ? h('a', { class: 'button', href: `#/${kind}/${encodeURIComponent(p.id)}` }, t('postings.edit'))
        : null,
      p.status === 'draft'
        ? h(
            'button',
            { type: 'button', 'data-action': 'publish', onclick: () => act('publish') },
            t('postings.publish'),
          )
        : null,
      ['open', 'expired'].includes(p.status) || revoked
        ? h(
            'button',
            {
              type: 'button',
              'data-action': 'renew',
              onclick: () => act('renew', { expiresAt: inDays(90) }),
            },
            t('postings.renew'),
          )
        : null,
      live
        ? h(
            'button',
            {
              type: 'button',
              class: 'danger-outline',
              'data-action': 'withdraw',
              onclick: () => act('withdraw'),
            },
            t('postings.withdraw'),
          )
        : null,
    ),
    error,
  );
}
