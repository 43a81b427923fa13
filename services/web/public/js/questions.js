/**
 * The questions coordinators asked on a proposal and the parties' answers, oldest first: each
 * answer beside its question. Shown to the coordinators (review queue) and to the parties
 * (their proposals); the party asked answers the open question here.
 */
import { api, organisation, session } from './api.js';
import { formError, showErrors } from './forms.js';
import { announce, h, uid } from './h.js';
import { date, t } from './i18n.js';

/**
 * @typedef {{ question: string, to: string, by: string, at: string,
 *   answer?: { text: string, by: string, at: string } }} Question
 */

/** The organisation's name, filled in once the profiles service answers. @param {string} id */
function orgName(id) {
  const own = session()?.me.org === id;
  const name = h('span', null, own ? t('ask.you') : '…');
  if (!own) organisation(id).then((o) => (name.textContent = o?.name ?? id));
  return name;
}

/**
 * The thread of a proposal's questions, or nothing when none was asked.
 * @param {{ questions?: Question[] }} p
 */
export function thread(p) {
  const qs = p.questions ?? [];
  if (qs.length === 0) return null;
  const headingId = uid('qa');
  return h(
    'section',
    { class: 'thread', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, t('ask.thread')),
    h(
      'ol',
      { class: 'qa' },
      qs.map((q) =>
        h(
          'li',
          { class: `qa-item${q.answer ? ' answered' : ''}` },
          h(
            'div',
            { class: 'qa-question' },
            h('p', { class: 'qa-meta' }, t('ask.askedOf'), ' ', orgName(q.to), ' · ', date(q.at)),
            h('p', { class: 'qa-text', 'data-question': '' }, q.question),
          ),
          q.answer
            ? h(
                'div',
                { class: 'qa-answer' },
                h('p', { class: 'qa-meta' }, t('ask.answered'), ' · ', date(q.answer.at)),
                h('p', { class: 'qa-text', 'data-answer': '' }, q.answer.text),
              )
            : h('p', { class: 'qa-waiting muted' }, t('ask.waiting')),
        ),
      ),
    ),
  );
}

/** The question waiting for the caller's organisation's answer, if any. @param {any} p */
export function openQuestionFor(p) {
  const last = /** @type {Question[]} */ (p.questions ?? []).at(-1);
  const org = session()?.me.org;
  return p.status === 'info-requested' && last && !last.answer && last.to === org ? last : undefined;
}

/**
 * The form the party asked answers with; `done` gets the proposal as saved.
 * @param {any} p
 * @param {(next: any) => void} done
 */
export function answerForm(p, done) {
  const id = uid('answer');
  const form = h(
    'form',
    {
      class: 'decision answer',
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const text = String(new FormData(/** @type {HTMLFormElement} */ (form)).get('text') ?? '').trim();
        try {
          const next = await api(`/api/matching/proposals/${encodeURIComponent(p.id)}/information`, {
            body: { text },
          });
          announce(t('ask.sent'));
          done(next);
        } catch (err) {
          showErrors(form, err);
        }
      },
    },
    h(
      'div',
      { class: 'field', 'data-path': 'text' },
      h('label', { for: id }, t('ask.yourAnswer')),
      h('textarea', { id, name: 'text', rows: 3, maxlength: 4000, required: true }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary', 'data-action': 'send-answer' }, t('ask.send')),
  );
  return form;
}
