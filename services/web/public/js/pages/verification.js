/**
 * The verification queue: each pending organisation against the ILO 2022 criteria of the SSE;
 * below it, the verified organisations of the caller's regions, whose verification a coordinator
 * may revoke with a reason.
 */
import { ApiError, api } from '../api.js';
import { formError, showErrors } from '../forms.js';
import { announce, h, mount, uid } from '../h.js';
import { label, lang, t } from '../i18n.js';
import { thread } from '../questions.js';

const CRITERIA = [
  'social-or-public-purpose',
  'voluntary-cooperation',
  'democratic-governance',
  'autonomy-independence',
  'people-over-capital',
];

/** @param {import('../app.js').PageCtx} ctx */
export default async function verificationPage({ main }) {
  const [{ items }, verified] = await Promise.all([
    api('/api/profiles/verification/queue', { query: { limit: 50 } }),
    api('/api/profiles/organisations', { query: { verification: 'verified', limit: 100 } }),
  ]);
  const verifiedId = uid('verified');
  mount(
    main,
    h('h1', null, t('verify.title')),
    h('p', { class: 'lead' }, t('verify.lead')),
    items.length === 0
      ? h('p', { class: 'muted' }, t('verify.none'))
      : h(
          'div',
          { class: 'queue' },
          items.map((/** @type {any} */ o) => card(o)),
        ),
    h(
      'section',
      { class: 'revocations', 'aria-labelledby': verifiedId },
      h('h2', { id: verifiedId }, t('revoke.title')),
      h('p', { class: 'muted' }, t('revoke.lead')),
      verified.items.length === 0
        ? h('p', { class: 'muted' }, t('revoke.none'))
        : h(
            'div',
            { class: 'queue' },
            verified.items.map((/** @type {any} */ o) => revocable(o)),
          ),
    ),
  );
}

/** A verified organisation, and the form that revokes its verification with a reason. @param {any} o */
function revocable(o) {
  const headingId = uid('v');
  const box = h('article', { class: 'card org', 'aria-labelledby': headingId, 'data-organisation': o.id });
  const noteId = uid('reason');
  const form = h(
    'form',
    {
      class: 'decision',
      hidden: true,
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const note = String(new FormData(/** @type {HTMLFormElement} */ (form)).get('note') ?? '').trim();
        try {
          const r = await api(`/api/profiles/organisations/${encodeURIComponent(o.id)}/verification/revoke`, {
            body: { note },
          });
          announce(t('revoke.done'));
          mount(
            box,
            h('h3', { id: headingId }, o.name),
            h('p', { class: `tag vs-${r.status}`, role: 'status' }, t(`verification.${r.status}`)),
            h(
              'p',
              { class: 'note' },
              h('strong', null, t('revoke.reasonShown')),
              ' ',
              r.decision?.note ?? note,
            ),
          );
        } catch (err) {
          showErrors(form, err);
        }
      },
    },
    h(
      'div',
      { class: 'field', 'data-path': 'note' },
      h('label', { for: noteId }, t('revoke.reason')),
      h('p', { class: 'hint', id: `${noteId}-hint` }, t('revoke.reasonHint')),
      h('textarea', {
        id: noteId,
        name: 'note',
        rows: 2,
        required: true,
        'aria-describedby': `${noteId}-hint`,
      }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'danger', 'data-action': 'confirm-revoke' }, t('revoke.confirm')),
  );
  mount(
    box,
    h('h3', { id: headingId }, o.name),
    h(
      'p',
      { class: 'facts' },
      h('span', { class: 'tag vs-verified' }, t('verification.verified')),
      h('span', { class: 'tag' }, label('organisationKind', o.kind)),
      h('span', { class: 'tag' }, label('country', o.country)),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'danger-outline',
        'data-action': 'revoke',
        'aria-expanded': 'false',
        onclick: (/** @type {Event} */ e) => {
          form.hidden = !form.hidden;
          /** @type {HTMLElement} */ (e.currentTarget).setAttribute('aria-expanded', String(!form.hidden));
          if (!form.hidden) /** @type {HTMLElement | null} */ (form.querySelector('textarea'))?.focus();
        },
      },
      t('revoke.open'),
    ),
    form,
  );
  return box;
}

/** @param {any} o */
function card(o) {
  const headingId = uid('o');
  const box = h('article', { class: 'card org', 'aria-labelledby': headingId, 'data-organisation': o.id });
  const partner = o.kind !== 'sse-entity';
  /**
   * @param {'verify' | 'decline'} action
   * @param {string} note
   * @param {Map<string, any>} recorded
   * @returns {ApiError | null}
   */
  const refusalOf = (action, note, recorded) => {
    if (!note && (action === 'decline' || partner))
      return new ApiError(400, {
        errors: [
          {
            path: 'note',
            message: t(
              partner && action === 'verify' ? 'verify.partner.noteRequired' : 'verify.declineNoteRequired',
            ),
          },
        ],
      });
    if (action !== 'verify' || partner) return null;
    const unmet = CRITERIA.filter((c) => !recorded.get(c)?.met).map((c) => t(`ilo.${c}`));
    if (unmet.length === 0) return null;
    const list = new Intl.ListFormat(lang(), { type: 'conjunction' }).format(unmet);
    return new ApiError(409, { detail: t('verify.unmet', { criteria: list }) });
  };
  const draw = (/** @type {any} */ review) => {
    /** @type {Map<string, any>} */
    const recorded = new Map((review?.criteria ?? []).map((/** @type {any} */ c) => [c.criterion, c]));
    const decisionForm = h('form', {
      class: 'decision',
      onsubmit: (/** @type {Event} */ e) => e.preventDefault(),
    });
    const noteId = uid('n');
    /** @param {'verify' | 'decline'} action */
    const decide = async (action) => {
      const note = String(
        new FormData(/** @type {HTMLFormElement} */ (decisionForm)).get('note') ?? '',
      ).trim();
      // What the service would refuse, said here in the reader's language (its words are English).
      const refusal = refusalOf(action, note, recorded);
      if (refusal) {
        showErrors(decisionForm, refusal);
        return;
      }
      try {
        const r = await api(
          `/api/profiles/organisations/${encodeURIComponent(o.id)}/verification/${action}`,
          { body: action === 'verify' && !note ? {} : { note } },
        );
        announce(t(`verify.done.${r.status}`));
        mount(
          box,
          h('h2', { id: headingId }, o.name),
          h('p', { class: `tag vs-${r.status}`, role: 'status' }, t(`verification.${r.status}`)),
        );
      } catch (err) {
        showErrors(decisionForm, err);
      }
    };
    mount(
      decisionForm,
      h(
        'div',
        { class: 'field', 'data-path': 'note' },
        h('label', { for: noteId }, t(partner ? 'verify.partner.note' : 'verify.decisionNote')),
        h('textarea', { id: noteId, name: 'note', rows: 2, ...(partner ? { required: true } : {}) }),
        h('p', { class: 'field-error', hidden: true }),
      ),
      formError(),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => decide('verify') },
          t('verify.verify'),
        ),
        h(
          'button',
          { type: 'button', class: 'danger-outline', onclick: () => decide('decline') },
          t('verify.decline'),
        ),
      ),
    );
    mount(
      box,
      h('h2', { id: headingId }, o.name),
      h(
        'p',
        { class: 'facts' },
        h('span', { class: 'tag' }, label('organisationKind', o.kind)),
        o.sseForm ? h('span', { class: 'tag' }, label('sseForm', o.sseForm)) : null,
        o.informal ? h('span', { class: 'tag' }, t('verify.informal')) : null,
        h('span', { class: 'tag' }, label('country', o.country)),
      ),
      o.description ? h('p', { class: 'description' }, o.description) : null,
      o.contact
        ? h('p', { class: 'muted' }, o.contact.email, o.contact.phone ? ` · ${o.contact.phone}` : '')
        : null,
      // The ILO criteria judge SSE entities; a partner is verified on the coordinator's note.
      partner
        ? h('p', { class: 'muted', 'data-partner': '' }, t('verify.partner.lead'))
        : h(
            'section',
            { 'aria-label': t('verify.criteria') },
            h('h3', null, t('verify.criteria')),
            h(
              'ol',
              { class: 'criteria-list' },
              CRITERIA.map((c) => criterionRow(o.id, c, recorded.get(c), draw)),
            ),
          ),
      questionsOf(o.id, review, draw),
      decisionForm,
    );
  };
  draw(null);
  api(`/api/profiles/organisations/${encodeURIComponent(o.id)}/verification`)
    .then(draw)
    .catch(() => {});
  return box;
}

/**
 * The review's questions and answers, and the form that asks the organisation another.
 * @param {string} orgId
 * @param {any} review
 * @param {(review: any) => void} redraw
 */
function questionsOf(orgId, review, redraw) {
  const qs = review?.questions ?? [];
  const last = qs.at(-1);
  const id = uid('q');
  const form = h(
    'form',
    {
      class: 'decision',
      'data-form': 'ask-organisation',
      hidden: true,
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const question = String(
          new FormData(/** @type {HTMLFormElement} */ (form)).get('question') ?? '',
        ).trim();
        try {
          const r = await api(
            `/api/profiles/organisations/${encodeURIComponent(orgId)}/verification/questions`,
            {
              body: { question },
            },
          );
          announce(t('ask.verifyAsked'));
          redraw(r);
        } catch (err) {
          showErrors(form, err);
        }
      },
    },
    h(
      'div',
      { class: 'field', 'data-path': 'question' },
      h('label', { for: id }, t('ask.verifyQuestion')),
      h('textarea', { id, name: 'question', rows: 2, maxlength: 2000, required: true }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit', 'data-action': 'send-org-question' }, t('ask.verifySend')),
  );
  return h(
    'div',
    { class: 'review-questions' },
    last
      ? h(
          'p',
          { class: `tag ${last.answer ? 'st-info-provided' : 'st-info-requested'}` },
          t(last.answer ? 'ask.verifyAnswered' : 'ask.verifyWaiting'),
        )
      : null,
    thread({ questions: qs }),
    h(
      'button',
      {
        type: 'button',
        'data-action': 'ask-organisation',
        'aria-expanded': 'false',
        onclick: (/** @type {Event} */ e) => {
          form.hidden = !form.hidden;
          /** @type {HTMLElement} */ (e.currentTarget).setAttribute('aria-expanded', String(!form.hidden));
          if (!form.hidden) /** @type {HTMLElement | null} */ (form.querySelector('textarea'))?.focus();
        },
      },
      t('ask.verifyOpen'),
    ),
    form,
  );
}

/**
 * @param {string} orgId
 * @param {string} criterion
 * @param {any} rec
 * @param {(review: any) => void} redraw
 */
function criterionRow(orgId, criterion, rec, redraw) {
  const noteId = uid('note');
  const form = h(
    'form',
    {
      class: 'criterion',
      'data-criterion': criterion,
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        try {
          const review = await api(
            `/api/profiles/organisations/${encodeURIComponent(orgId)}/verification/criteria/${criterion}`,
            {
              method: 'PUT',
              body: { met: data.get('met') === 'yes', note: String(data.get('note') ?? '').trim() },
            },
          );
          announce(t('verify.recorded'));
          redraw(review);
        } catch (err) {
          showErrors(form, err);
        }
      },
    },
    h(
      'fieldset',
      { class: 'field', 'data-path': 'met' },
      h(
        'legend',
        null,
        h('strong', null, t(`ilo.${criterion}`)),
        h('span', { class: 'hint' }, ' ', t(`ilo.${criterion}.hint`)),
      ),
      h(
        'div',
        { class: 'inline' },
        ['yes', 'no'].map((v) => {
          const id = uid('r');
          return h(
            'span',
            { class: 'check' },
            h('input', {
              type: 'radio',
              id,
              name: 'met',
              value: v,
              checked: rec ? (rec.met ? v === 'yes' : v === 'no') : false,
              required: true,
            }),
            h('label', { for: id }, t(`verify.${v}`)),
          );
        }),
      ),
    ),
    h(
      'div',
      { class: 'field', 'data-path': 'note' },
      h('label', { for: noteId }, t('verify.evidence')),
      h('input', { id: noteId, name: 'note', value: rec?.note ?? '' }),
      h('p', { class: 'field-error', hidden: true }),
    ),
    formError(),
    h('button', { type: 'submit' }, t('verify.record')),
  );
  return h(
    'li',
    { class: rec ? (rec.met ? 'ok' : 'fail') : '' },
    rec ? h('span', { class: 'mark', 'aria-hidden': 'true' }, rec.met ? '✓' : '✗') : null,
    form,
  );
}
