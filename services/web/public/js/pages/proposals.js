/**
 * The organisation's proposals: those approved (explanation, accept or decline, partners' contact
 * once agreed) and those a coordinator asked it about (the question, answered here).
 */
import { api, forgetOrganisations, organisation, session } from '../api.js';
import { criteria, facts, parties, rules, summary } from '../explain.js';
import { errorText } from '../forms.js';
import { announce, h, mount, uid } from '../h.js';
import { label, t } from '../i18n.js';
import { answerForm, openQuestionFor, thread } from '../questions.js';

/** @param {import('../app.js').PageCtx} ctx */
export default async function proposalsPage({ main, query }) {
  const { items } = await api('/api/matching/proposals/mine');
  mount(
    main,
    h('h1', null, t('proposals.title')),
    h('p', { class: 'lead' }, t('proposals.lead')),
    items.length === 0
      ? h('p', { class: 'muted' }, t('proposals.none'))
      : h(
          'div',
          { class: 'queue' },
          items.map((/** @type {any} */ p) => card(p)),
        ),
  );
  // A mail's link (`#/proposals?id=…`) opens the page at that proposal.
  const wanted = query.get('id');
  const box = wanted ? main.querySelector(`[data-proposal="${CSS.escape(wanted)}"]`) : null;
  if (box) {
    box.classList.add('wanted');
    box.scrollIntoView({ block: 'start' });
    /** @type {HTMLElement | null} */ (box.querySelector('h2'))?.focus();
  }
}

/** @param {import('../types.js').Proposal} p */
function card(p) {
  const org = session()?.me.org ?? '';
  const headingId = uid('p');
  const box = h('article', { class: 'card proposal', 'aria-labelledby': headingId, 'data-proposal': p.id });
  const draw = (/** @type {import('../types.js').Proposal} */ q) => {
    const mine = q.consents[org];
    const open = openQuestionFor(q);
    const reviewing = ['info-requested', 'info-provided'].includes(q.status);
    const redraw = (/** @type {import('../types.js').Proposal} */ next) => {
      draw(next);
      /** @type {HTMLElement | null} */ (box.querySelector('h2'))?.focus();
    };
    const others = [q.needOrganisationId, ...q.offerOrganisationIds].filter((id) => id !== org);
    // Why, if the party says: "not interested" ranks this kind of pairing lower for it from then on.
    const declineId = uid('decline');
    const declineForm = h(
      'form',
      {
        class: 'decision',
        hidden: true,
        onsubmit: (/** @type {Event} */ e) => {
          e.preventDefault();
          const reason = String(
            new FormData(/** @type {HTMLFormElement} */ (declineForm)).get('reason') ?? '',
          );
          respond('decline', reason || undefined);
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: declineId }, t('proposals.declineReason')),
        h(
          'select',
          { id: declineId, name: 'reason' },
          h('option', { value: '' }, t('proposals.declineNoReason')),
          ['not-interested', 'poor-fit', 'other'].map((r) =>
            h('option', { value: r }, t(`proposals.declineWhy.${r}`)),
          ),
        ),
      ),
      h(
        'button',
        { type: 'submit', class: 'danger', 'data-action': 'confirm-decline' },
        t('proposals.confirmDecline'),
      ),
    );
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    /** @param {'accept' | 'decline'} answer @param {string} [reason] */
    const respond = async (answer, reason) => {
      try {
        const next = await api(`/api/matching/proposals/${encodeURIComponent(q.id)}/${answer}`, {
          body: reason ? { reason } : {},
        });
        announce(t(`proposals.done.${answer}`));
        // An agreement may disclose the partners' contact: ask the profiles service again.
        forgetOrganisations();
        draw(next);
        /** @type {HTMLElement | null} */ (box.querySelector('h2'))?.focus();
      } catch (err) {
        error.textContent = errorText(err);
        error.hidden = false;
      }
    };
    mount(
      box,
      h(
        'h2',
        { id: headingId, tabindex: -1 },
        label('needType', q.needType),
        ' · ',
        label('modality', q.modality),
      ),
      facts(q),
      parties(q),
      reviewing ? h('p', { class: `tag st-${q.status}` }, t(`ask.state.${q.status}`)) : null,
      thread(q),
      open
        ? answerForm(
            (text) =>
              api(`/api/matching/proposals/${encodeURIComponent(q.id)}/information`, { body: { text } }),
            redraw,
          )
        : null,
      summary(q),
      h(
        'details',
        null,
        h('summary', null, t('proposals.why')),
        h('div', { class: 'explain' }, rules(q), criteria(q)),
      ),
      // Under review, nobody has been asked to consent yet.
      reviewing
        ? null
        : h(
            'ul',
            { class: 'consents', 'aria-label': t('proposals.answers') },
            [q.needOrganisationId, ...q.offerOrganisationIds].map((id) => {
              const name = h('span', null, id === org ? t('proposals.you') : '…');
              if (id !== org) organisation(id).then((o) => (name.textContent = o?.name ?? id));
              return h(
                'li',
                null,
                name,
                ': ',
                h('strong', null, t(`consent.${q.consents[id] ?? 'waiting'}`)),
              );
            }),
          ),
      q.status === 'agreed'
        ? h(
            'section',
            { class: 'contacts', 'aria-label': t('proposals.contacts') },
            h('h3', null, t('proposals.contacts')),
            others.map((id) => contact(id)),
          )
        : h('p', { class: 'muted' }, t('proposals.contactLater')),
      !mine && ['approved', 'accepted'].includes(q.status)
        ? h(
            'div',
            { class: 'buttons' },
            h(
              'button',
              { type: 'button', class: 'primary', 'data-action': 'accept', onclick: () => respond('accept') },
              t('proposals.accept'),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger-outline',
                'data-action': 'decline',
                'aria-expanded': 'false',
                onclick: (/** @type {Event} */ e) => {
                  declineForm.hidden = !declineForm.hidden;
                  /** @type {HTMLElement} */
                  (e.currentTarget).setAttribute('aria-expanded', String(!declineForm.hidden));
                  if (!declineForm.hidden)
                    /** @type {HTMLElement | null} */ (declineForm.querySelector('select'))?.focus();
                },
              },
              t('proposals.decline'),
            ),
          )
        : null,
      !mine && ['approved', 'accepted'].includes(q.status) ? declineForm : null,
      error,
    );
  };
  draw(p);
  return box;
}

/** A partner's contact as the profiles service discloses it. @param {string} id */
function contact(id) {
  const box = h('div', { class: 'contact' }, '…');
  organisation(id).then((o) => {
    if (!o) return mount(box, t('proposals.contactUnavailable'));
    mount(
      box,
      h('h4', null, o.name),
      o.contact
        ? h(
            'p',
            null,
            h('a', { href: `mailto:${o.contact.email}` }, o.contact.email),
            o.contact.phone
              ? [' · ', h('a', { href: `tel:${o.contact.phone.replace(/\s/g, '')}` }, o.contact.phone)]
              : null,
          )
        : h('p', { class: 'muted' }, t('proposals.contactUnavailable')),
    );
  });
  return box;
}
