/** The member's organisation profile and where its verification stands. */
import { api, organisation, session } from '../api.js';
import { h, mount } from '../h.js';
import { countryFacts, date, label, lang, plural, t } from '../i18n.js';
import { answerForm, thread } from '../questions.js';

/**
 * The M49 regions the country lies in, narrowest first: a coordinator of any of them has the
 * organisation in its verification queue.
 * @param {string} country
 */
function regionsOf(country) {
  const f = countryFacts().get(country);
  return [f?.intermediateRegion, f?.subRegion, f?.region].filter(Boolean).map((r) => label('region', r));
}

/** @param {string[]} items @param {'conjunction' | 'disjunction'} type */
const list = (items, type) => new Intl.ListFormat(lang(), { type }).format(items);

/**
 * Where the request stands: pending (in whose queue, and why when it came back), or the last
 * decision with its date and the coordinator's note.
 * @param {any} o the organisation
 * @param {any} review its verification review, when readable
 */
function status(o, review) {
  const decision = review?.decision;
  const state = o.verification;
  /** @type {(HTMLElement | string | null)[]} */
  const lines = [];
  if (state === 'pending') {
    if (decision?.changed?.length)
      lines.push(
        h(
          'p',
          { 'data-reopened': decision.changed.join(' ') },
          t('account.status.reopened', {
            fields: list(
              decision.changed.map((/** @type {string} */ f) => t(`account.field.${f}`)),
              'conjunction',
            ),
          }),
        ),
      );
    else if (decision) lines.push(h('p', null, t('account.status.resubmitted')));
    const regions = regionsOf(o.country);
    lines.push(
      h(
        'p',
        null,
        regions.length
          ? t('account.status.pending', { regions: list(regions, 'disjunction') })
          : t('account.status.pendingAnywhere'),
      ),
    );
  } else {
    lines.push(h('p', null, t(`account.status.${state}`, { date: decision ? date(decision.at) : '' })));
    if (state === 'declined') lines.push(h('p', null, t('account.status.declinedNext')));
  }
  const note = state !== 'pending' && decision?.note ? decision.note : '';
  return h(
    'section',
    { class: 'card status', 'aria-labelledby': 'status-h', 'data-status': state },
    h('h2', { id: 'status-h' }, t('account.status.title')),
    h('p', null, h('span', { class: `tag vs-${state}` }, t(`verification.${state}`))),
    lines,
    note
      ? h(
          'figure',
          { class: 'note', 'data-decision-note': '' },
          h('figcaption', null, t('account.status.note')),
          h('blockquote', null, note),
        )
      : null,
  );
}

/** @param {import('../app.js').PageCtx} ctx */
export default async function organisationPage({ main, query, rerender }) {
  const id = session()?.me.org ?? '';
  const [o, review] = await Promise.all([
    organisation(id),
    api(`/api/profiles/organisations/${encodeURIComponent(id)}/verification`).catch(() => null),
  ]);
  if (!o) throw new Error(t('error.unavailable'));
  /** @param {string} k @param {unknown} v */
  const row = (k, v) => [h('dt', null, t(k)), h('dd', null, /** @type {any} */ (v))];
  const saved = query.get('saved');
  mount(
    main,
    h('h1', null, o.name),
    query.get('registered')
      ? h('p', { class: 'notice', role: 'status' }, t('account.register.welcome'))
      : saved
        ? h(
            'p',
            { class: 'notice', role: 'status' },
            t(saved === 'reopened' ? 'account.edit.reopened' : 'account.edit.saved'),
          )
        : null,
    status(o, review),
    h(
      'dl',
      { class: 'card props' },
      row('org.kind', label('organisationKind', o.kind)),
      o.sseForm ? row('org.sseForm', label('sseForm', o.sseForm)) : null,
      o.informal ? row('account.org.informalShort', t('account.yes')) : null,
      row('org.country', label('country', o.country)),
      row('org.languages', o.languages.map((/** @type {string} */ l) => label('language', l)).join(', ')),
      row('org.sectors', o.sectors.map((/** @type {string} */ s) => label('sector', s)).join('; ') || '—'),
      o.contact
        ? row('org.contact', [o.contact.email, o.contact.phone ? ` · ${o.contact.phone}` : ''])
        : null,
      o.createdAt ? row('org.since', date(o.createdAt)) : null,
    ),
    o.description ? h('p', { class: 'description' }, o.description) : null,
    review?.unmet?.length && o.verification === 'pending'
      ? h('p', { class: 'muted' }, plural('org.unmet', review.unmet.length))
      : null,
    h(
      'p',
      null,
      h('a', { href: '#/organisation/edit', class: 'button', 'data-action': 'edit' }, t('account.edit.link')),
    ),
    // A coordinator's questions during the review, and the form that answers the open one.
    openQuestion(review)
      ? h(
          'section',
          { class: 'card', 'aria-label': t('ask.thread') },
          h('p', { class: 'lead' }, t('ask.verifyLead')),
          thread(review, 2),
          answerForm(
            (text) =>
              api(`/api/profiles/organisations/${encodeURIComponent(id)}/verification/answer`, {
                body: { text },
              }),
            () => rerender(),
            'ask.sentReview',
          ),
        )
      : thread(review ?? {}, 2),
  );
}

/** The review's question waiting for the organisation's answer, if any. @param {any} review */
function openQuestion(review) {
  const last = review?.questions?.at(-1);
  return review?.status === 'pending' && last && !last.answer ? last : undefined;
}
