/** The coordinator's review queue: filters, sort, each proposal explained, and the decision. */
import { api, organisation, session } from '../api.js';
import { criteria, facts, parties, rules, summary } from '../explain.js';
import { errorText, formError, showErrors } from '../forms.js';
import { announce, h, mount, uid } from '../h.js';
import { label, options, plural, t } from '../i18n.js';
import { thread } from '../questions.js';
import { roundBatch } from '../rounds.js';

/** What awaits the coordinators: the server's default list. */
const UNDER_REVIEW = 'proposed,info-requested,info-provided';
const STATUSES = [
  UNDER_REVIEW,
  'proposed',
  'info-requested',
  'info-provided',
  'approved',
  'rejected',
  'accepted',
  'agreed',
  'declined',
];
/** The codes naming a criterion of the score teach matching's ranking model to weigh it more. */
const REASONS = [
  'not-eligible',
  'poor-fit',
  'wrong-sector',
  'too-far',
  'off-topic',
  'no-shared-goal',
  'amount-mismatch',
  'not-a-priority',
  'duplicate',
  'capacity',
  'party-unsuitable',
  'other',
];

/** @param {string} name @param {string} labelText @param {string} value @param {[string, string][]} opts */
function select(name, labelText, value, opts) {
  const id = uid(name);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, labelText),
    h(
      'select',
      { id, name },
      opts.map(([v, l]) => h('option', { value: v, selected: v === value }, l)),
    ),
  );
}

/** @param {import('../app.js').PageCtx} ctx */
export default async function reviewPage({ main, query, go }) {
  const q = {
    status: query.get('status') ?? UNDER_REVIEW,
    region: query.get('region') ?? '',
    modality: query.get('modality') ?? '',
    type: query.get('type') ?? '',
    sort: query.get('sort') ?? 'score',
  };
  const mine = session()?.me.regions ?? [];
  const regionOpts = [
    ...mine,
    ...options('region')
      .map((r) => r.code)
      .filter((c) => !mine.includes(c)),
  ];
  const filters = h(
    'form',
    {
      class: 'filters',
      'aria-label': t('review.filters'),
      onchange: () => {
        const data = new FormData(/** @type {HTMLFormElement} */ (filters));
        const next = new URLSearchParams();
        for (const [k, v] of data) if (v) next.set(k, String(v));
        go(`#/review?${next}`);
      },
      onsubmit: (/** @type {Event} */ e) => e.preventDefault(),
    },
    select(
      'status',
      t('review.status'),
      q.status,
      STATUSES.map((s) => [s, t(`status.${s}`)]),
    ),
    select('region', t('review.region'), q.region, [
      ['', t('review.allRegions')],
      ...regionOpts.map((r) => /** @type {[string, string]} */ ([r, label('region', r)])),
    ]),
    select('modality', t('review.modality'), q.modality, [
      ['', t('review.all')],
      ...options('modality').map((o) => /** @type {[string, string]} */ ([o.code, o.label])),
    ]),
    select('type', t('review.type'), q.type, [
      ['', t('review.all')],
      ...options('needType').map((o) => /** @type {[string, string]} */ ([o.code, o.label])),
    ]),
    select('sort', t('review.sort'), q.sort, [
      ['score', t('review.sortScore')],
      ['age', t('review.sortAge')],
    ]),
  );
  const list = h('div', { class: 'queue' });
  // Calls' rounds, each reviewed as a batch, above the pairings proposed one by one.
  const rounds = h('div', { class: 'rounds' });
  /** @type {Set<string>} */
  const batches = new Set();
  const more = h('div', { class: 'more' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  mount(
    main,
    h('h1', null, t('review.title')),
    h('p', { class: 'lead' }, t('review.lead')),
    filters,
    count,
    rounds,
    list,
    more,
  );

  let shown = 0;
  /** @param {string | undefined} cursor */
  async function load(cursor) {
    let page;
    try {
      page = await api('/api/matching/proposals', { query: { ...q, cursor, limit: 20 } });
    } catch (err) {
      list.append(h('p', { class: 'error', role: 'alert' }, errorText(err)));
      return;
    }
    for (const p of page.items) {
      if (!p.round) {
        list.append(proposalCard(p));
        continue;
      }
      if (batches.has(p.round.id)) continue;
      batches.add(p.round.id);
      rounds.append(roundBatch(p.round.id, p.round.offerId, q.status, proposalCard));
    }
    shown += page.items.length;
    count.textContent = shown === 0 ? t('review.empty') : plural('review.count', shown);
    mount(
      more,
      page.nextCursor
        ? h('button', { type: 'button', onclick: () => load(page.nextCursor) }, t('review.more'))
        : null,
    );
  }
  await load(undefined);
}

/**
 * Which party a question goes to: the need's organisation first (the server's default).
 * @param {import('../types.js').Proposal} p
 */
function askWhom(p) {
  const id = uid('to');
  const ids = [...new Set([p.needOrganisationId, ...p.offerOrganisationIds])];
  const select = h(
    'select',
    { id, name: 'to' },
    ids.map((org) => {
      const option = h('option', { value: org }, '…');
      organisation(org).then((o) => (option.textContent = o?.name ?? org));
      return option;
    }),
  );
  return h(
    'div',
    { class: 'field', 'data-path': 'to' },
    h('label', { for: id }, t('ask.to')),
    select,
    h('p', { class: 'field-error', hidden: true }),
  );
}

/** @param {import('../types.js').Proposal} p */
function proposalCard(p) {
  const headingId = uid('p');
  const card = h(
    'article',
    { class: 'card proposal', 'aria-labelledby': headingId, 'data-proposal': p.id },
    h(
      'h2',
      { id: headingId },
      p.offerOrganisationIds.length > 1 ? t('review.triadTitle') : t('review.pairTitle'),
      ' · ',
      label('needType', p.needType),
    ),
    facts(p),
    parties(p),
    summary(p),
    p.review?.note && p.review.decision !== 'info-requested'
      ? h('p', { class: 'note' }, h('strong', null, t('review.lastNote')), ' ', p.review.note)
      : null,
    p.status === 'info-provided' ? h('p', { class: 'tag st-info-provided' }, t('ask.answerIn')) : null,
    thread(p),
    h('div', { class: 'explain' }, rules(p), criteria(p)),
  );
  card.append(actions(p, card));
  return card;
}

/**
 * @param {import('../types.js').Proposal} p
 * @param {HTMLElement} card
 */
function actions(p, card) {
  const box = h('div', { class: 'actions' });
  if (!UNDER_REVIEW.split(',').includes(p.status)) return box;
  const result = h('p', { class: 'result', role: 'status' });

  /** @param {Record<string, string>} body @param {HTMLElement} form */
  async function decide(body, form) {
    for (const b of box.querySelectorAll('button')) /** @type {HTMLButtonElement} */ (b).disabled = true;
    try {
      const next = await api(`/api/matching/proposals/${encodeURIComponent(p.id)}/review`, { body });
      const message = t(`review.done.${next.status}`);
      mount(box, h('p', { class: `result st-${next.status}`, role: 'status' }, '✓ ', message));
      card.classList.add('decided');
      announce(message);
    } catch (err) {
      for (const b of box.querySelectorAll('button')) /** @type {HTMLButtonElement} */ (b).disabled = false;
      showErrors(form, err);
    }
  }

  const reasonId = uid('reason');
  const noteId = uid('note');
  const rejectForm = h(
    'form',
    {
      class: 'decision',
      hidden: true,
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (rejectForm));
        const note = String(data.get('note') ?? '').trim();
        decide(
          { decision: 'rejected', reason: String(data.get('reason') ?? ''), ...(note ? { note } : {}) },
          rejectForm,
        );
      },
    },
    h(
      'div',
      { class: 'field', 'data-path': 'reason' },
      h('label', { for: reasonId }, t('review.reason')),
      h(
        'select',
        { id: reasonId, name: 'reason', required: true },
        h('option', { value: '' }, t('review.chooseReason')),
        REASONS.map((r) => h('option', { value: r }, t(`reason.${r}`))),
      ),
      h('p', { class: 'field-error', hidden: true }),
    ),
    h(
      'div',
      { class: 'field', 'data-path': 'note' },
      h('label', { for: noteId }, t('review.note')),
      h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: 2000 }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h(
      'button',
      { type: 'submit', class: 'danger', 'data-action': 'confirm-reject' },
      t('review.confirmReject'),
    ),
  );
  const infoId = uid('info');
  const infoForm = h(
    'form',
    {
      class: 'decision',
      'data-form': 'ask',
      hidden: true,
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (infoForm));
        const note = String(data.get('note') ?? '').trim();
        const to = String(data.get('to') ?? '');
        decide({ decision: 'info-requested', ...(note ? { note } : {}), ...(to ? { to } : {}) }, infoForm);
      },
    },
    askWhom(p),
    h(
      'div',
      { class: 'field', 'data-path': 'note' },
      h('label', { for: infoId }, t('review.question')),
      h('textarea', { id: infoId, name: 'note', rows: 2, maxlength: 2000, required: true }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit', 'data-action': 'send-question' }, t('review.sendQuestion')),
  );
  /** @param {HTMLElement} show @param {HTMLElement} hide */
  const toggle = (show, hide) => {
    hide.hidden = true;
    show.hidden = !show.hidden;
    if (!show.hidden) /** @type {HTMLElement | null} */ (show.querySelector('select, textarea'))?.focus();
  };
  const approveForm = h(
    'form',
    {
      class: 'inline',
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        decide({ decision: 'approved' }, approveForm);
      },
    },
    formError(),
    h('button', { type: 'submit', class: 'primary', 'data-action': 'approve' }, t('review.approve')),
  );
  mount(
    box,
    h(
      'div',
      { class: 'buttons' },
      approveForm,
      h(
        'button',
        {
          type: 'button',
          class: 'danger-outline',
          'data-action': 'reject',
          'aria-expanded': 'false',
          onclick: (/** @type {Event} */ e) => {
            toggle(rejectForm, infoForm);
            /** @type {HTMLElement} */
            (e.currentTarget).setAttribute('aria-expanded', String(!rejectForm.hidden));
          },
        },
        t('review.reject'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-action': 'ask-info',
          'aria-expanded': 'false',
          onclick: (/** @type {Event} */ e) => {
            toggle(infoForm, rejectForm);
            /** @type {HTMLElement} */
            (e.currentTarget).setAttribute('aria-expanded', String(!infoForm.hidden));
          },
        },
        t('review.askInfo'),
      ),
    ),
    rejectForm,
    infoForm,
    result,
  );
  return box;
}
