/**
 * A call's round in the review queue: its proposals reviewed as one batch (approve all, or one by
 * one), each with the solver's reason for choosing it, and the needs it left out with theirs.
 */
import { api } from './api.js';
import { errorText } from './forms.js';
import { announce, h, mount, uid } from './h.js';
import { date, label, lang, money, num, plural, t } from './i18n.js';
import { sentence } from './sentences.js';

/** @typedef {import('./types.js').Proposal} Proposal */
/** @typedef {import('./types.js').CallRound} CallRound */

const UNDER_REVIEW = ['proposed', 'info-requested', 'info-provided'];

/**
 * The solver's reason in the reader's language, else its English text, marked as such.
 * @param {import('./types.js').CallReason} reason
 */
export function callReason(reason) {
  const own = sentence(reason.sentence);
  return own === null
    ? h('p', { class: 'call-reason', 'data-call-reason': reason.sentence.code, lang: 'en' }, reason.text)
    : h('p', { class: 'call-reason', 'data-call-reason': reason.sentence.code }, own);
}

/** @param {CallRound} round */
function capacity(round) {
  const parts = [];
  if (round.call.places !== undefined) parts.push(plural('call.round.places', round.call.places));
  if (round.call.budget)
    parts.push(
      t('call.round.budget', {
        used: money(round.budgetUsed ?? 0, round.call.budget.currency),
        budget: money(round.call.budget.value, round.call.budget.currency),
      }),
    );
  return new Intl.ListFormat(lang(), { type: 'unit' }).format(parts);
}

/**
 * The batch of one round: loads the round and every one of its proposals in `statuses`, then lays
 * them out; `card` draws one proposal as the queue does.
 * @param {string} roundId
 * @param {string} offerId
 * @param {string} statuses
 * @param {(p: Proposal) => HTMLElement} card
 */
export function roundBatch(roundId, offerId, statuses, card) {
  const headingId = uid('round');
  const section = h('section', {
    class: 'card round',
    'data-round': roundId,
    'aria-labelledby': headingId,
    'aria-busy': 'true',
  });
  mount(section, h('h2', { id: headingId }, t('call.round.loading')));
  fill().catch((err) => {
    section.setAttribute('aria-busy', 'false');
    section.append(h('p', { class: 'error', role: 'alert' }, errorText(err)));
  });
  return section;

  async function fill() {
    /** @type {[CallRound, { items: Proposal[] }]} */
    const [round, page] = await Promise.all([
      api(`/api/matching/calls/${encodeURIComponent(offerId)}/round`),
      api('/api/matching/proposals', { query: { round: roundId, status: statuses, limit: 100 } }),
    ]);
    const proposals = page.items;
    const cards = proposals.map((p) => ({ p, el: card(p) }));
    const result = h('p', { class: 'result', role: 'status' });
    const pending = () =>
      cards.filter(({ p, el }) => UNDER_REVIEW.includes(p.status) && !el.classList.contains('decided'));
    const approveAll = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-action': 'approve-all',
        disabled: pending().length === 0,
        onclick: async () => {
          approveAll.disabled = true;
          let done = 0;
          const failed = [];
          for (const { p, el } of pending()) {
            try {
              await api(`/api/matching/proposals/${encodeURIComponent(p.id)}/review`, {
                body: { decision: 'approved' },
              });
              done++;
              const box = el.querySelector('.actions');
              if (box)
                mount(
                  box,
                  h('p', { class: 'result st-approved', role: 'status' }, '✓ ', t('review.done.approved')),
                );
              el.classList.add('decided');
            } catch (err) {
              failed.push(errorText(err));
            }
          }
          const message = failed.length
            ? `${plural('call.round.approvedSome', done)} ${failed.join(' ')}`
            : plural('call.round.approvedAll', done);
          mount(result, message);
          announce(message);
          approveAll.disabled = pending().length === 0;
        },
      },
      t('call.round.approveAll', { n: pending().length }),
    );
    const leftOutId = uid('left-out');
    mount(
      section,
      h('h2', { id: headingId }, t('call.round.title', { title: round.offerTitle })),
      h(
        'p',
        { class: 'facts' },
        h('span', { class: 'tag' }, capacity(round)),
        h('span', { class: 'muted' }, t(`call.round.closed.${round.trigger}`, { d: date(round.at) })),
      ),
      h(
        'p',
        { class: 'lead' },
        t('call.round.lead', {
          chosen: num(round.chosen.length),
          eligible: num(round.eligible),
          objective: num(Math.round(round.objective * 100) / 100),
          bound: num(Math.round(round.bound * 100) / 100),
        }),
      ),
      h('div', { class: 'buttons' }, approveAll),
      result,
      h(
        'div',
        { class: 'round-cards' },
        cards.map(({ p, el }) => {
          if (p.round) el.querySelector('.summary')?.after(callReason(p.round.reason));
          return el;
        }),
      ),
      h(
        'details',
        { class: 'left-out', 'data-left-out': String(round.leftOut.length) },
        h('summary', { id: leftOutId }, plural('call.round.leftOut', round.leftOut.length)),
        h(
          'ol',
          { class: 'left-out-list', 'aria-labelledby': leftOutId },
          round.leftOut.map((n) =>
            h(
              'li',
              { 'data-need': n.needId },
              h(
                'p',
                { class: 'left-out-need' },
                h('strong', null, n.title),
                ' · ',
                label('country', n.needCountry),
                ' · ',
                t('call.round.score', { s: `${Math.round(n.score * 100)} %` }),
              ),
              callReason(n.reason),
            ),
          ),
        ),
      ),
    );
    section.setAttribute('aria-busy', 'false');
  }
}
