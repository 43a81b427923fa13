/** The member's organisation profile and its verification status. */
import { api, organisation, session } from '../api.js';
import { h, mount } from '../h.js';
import { date, label, t } from '../i18n.js';
import { answerForm, thread } from '../questions.js';

/** @param {import('../app.js').PageCtx} ctx */
export default async function organisationPage({ main, rerender }) {
  const id = session()?.me.org ?? '';
  const [o, review] = await Promise.all([
    organisation(id),
    api(`/api/profiles/organisations/${encodeURIComponent(id)}/verification`).catch(() => null),
  ]);
  if (!o) throw new Error(t('error.unavailable'));
  /** @param {string} k @param {unknown} v */
  const row = (k, v) => [h('dt', null, t(k)), h('dd', null, /** @type {any} */ (v))];
  mount(
    main,
    h('h1', null, o.name),
    h(
      'dl',
      { class: 'card props' },
      row('org.kind', label('organisationKind', o.kind)),
      o.sseForm ? row('org.sseForm', label('sseForm', o.sseForm)) : null,
      row('org.country', label('country', o.country)),
      row('org.languages', o.languages.map((/** @type {string} */ l) => label('language', l)).join(', ')),
      row('org.sectors', o.sectors.map((/** @type {string} */ s) => label('sector', s)).join('; ') || '—'),
      row(
        'org.verification',
        h('span', { class: `tag vs-${o.verification}` }, t(`verification.${o.verification}`)),
      ),
      o.contact
        ? row('org.contact', [o.contact.email, o.contact.phone ? ` · ${o.contact.phone}` : ''])
        : null,
      o.createdAt ? row('org.since', date(o.createdAt)) : null,
    ),
    o.description ? h('p', { class: 'description' }, o.description) : null,
    review?.unmet?.length ? h('p', { class: 'muted' }, t('org.unmet', { n: review.unmet.length })) : null,
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
    // Why a coordinator revoked or declined the verification, as they wrote it.
    ['revoked', 'declined'].includes(review?.status) && review.decision?.note
      ? h(
          'p',
          { class: 'note', 'data-decision-note': '' },
          h('strong', null, t(`revoke.why.${review.status}`)),
          ' ',
          review.decision.note,
        )
      : null,
  );
}

/** The review's question waiting for the organisation's answer, if any. @param {any} review */
function openQuestion(review) {
  const last = review?.questions?.at(-1);
  return review?.status === 'pending' && last && !last.answer ? last : undefined;
}
