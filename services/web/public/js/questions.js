/**
 * The questions coordinators asked and the answers, oldest first, each answer beside its
 * question: on a proposal (to one of its parties; the review queue and the parties' proposals)
 * and on a verification (to the organisation; the verification queue and the organisation's
 * page). The party asked answers the open question with `answerForm`.
 */
import { organisation, session } from './api.js';
import { formError, showErrors } from './forms.js';
import { announce, h, uid } from './h.js';
import { date, t } from './i18n.js';

/**
 * @typedef {{ question: string, to?: string, by: string, at: string,
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
 * The thread of questions, or nothing when none was asked; its heading at `level` (3 in a card).
 * @param {{ questions?: Question[] }} p
 * @param {2 | 3} [level]
 */
export function thread(p, level = 3) {
  const qs = p.questions ?? [];
  if (qs.length === 0) return null;
  const headingId = uid('qa');
  return h(
    'section',
    { class: 'thread', 'aria-labelledby': headingId },
    h(`h${level}`, { id: headingId }, t('ask.thread')),
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
            h(
              'p',
              { class: 'qa-meta' },
              q.to ? [t('ask.askedOf'), ' ', orgName(q.to)] : t('ask.question'),
              ' · ',
              date(q.at),
            ),
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
 * The form the party asked answers with: `send` posts the text and resolves to what was saved,
 * which `done` gets; `sentKey` is what is announced then.
 * @param {(text: string) => Promise<any>} send
 * @param {(next: any) => void} done
 * @param {string} [sentKey]
 */
export function answerForm(send, done, sentKey = 'ask.sent') {
  const id = uid('answer');
  const form = h(
    'form',
    {
      class: 'decision answer',
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const text = String(new FormData(/** @type {HTMLFormElement} */ (form)).get('text') ?? '').trim();
        try {
          const next = await send(text);
          announce(t(sentKey));
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
