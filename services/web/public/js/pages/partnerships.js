/**
 * After the agreement (services/followup, docs/followup.md). Members: their organisation's
 * partnerships, each with its status (which they change) and its report periods (filed, due,
 * overdue), the form that files or amends their organisation's report for a period, every party's
 * reports and the coordinators' comments. Coordinators and the admin: the partnerships of their
 * regions, the queue of late reports, and a comment on a partnership or one of its reports.
 */
import { api, isStaff, session } from '../api.js';
import { clearErrors, errorText, field, formError, showErrors } from '../forms.js';
import { announce, h, mount, uid } from '../h.js';
import { date, label, money, num, options, plural, t } from '../i18n.js';
import { picked, picker } from '../picker.js';

const COUNTS = /** @type {const} */ ([
  'peopleTrained',
  'membersReached',
  'jobsCreated',
  'marketsGained',
  'technologiesAdopted',
]);
const MONEY = /** @type {const} */ (['revenueGained', 'amountDisbursed']);
const STATUSES = /** @type {const} */ (['ongoing', 'completed', 'ended-early', 'not-started']);

/** @param {import('../app.js').PageCtx} ctx */
export default async function partnershipsPage({ main, query }) {
  const staff = isStaff();
  const [{ items }, late] = await Promise.all([
    api('/api/followup/partnerships'),
    staff ? api('/api/followup/partnerships/late') : Promise.resolve(null),
  ]);
  mount(
    main,
    h('h1', null, t('followup.title')),
    h('p', { class: 'lead' }, t(staff ? 'followup.lead.staff' : 'followup.lead.member')),
    late ? lateQueue(late.items) : null,
    h('h2', null, t('followup.list')),
    items.length === 0
      ? h('p', { class: 'muted' }, t('followup.none'))
      : h(
          'div',
          { class: 'queue' },
          items.map((/** @type {any} */ p) => card(p)),
        ),
  );
  // A notice's link (`#/partnerships?id=…`) and the late queue open the page at that partnership.
  const wanted = query.get('id');
  const box = wanted ? main.querySelector(`[data-partnership="${CSS.escape(wanted)}"]`) : null;
  if (box) {
    box.classList.add('wanted');
    // Once the router has put the page in the document (and focused it): then to the partnership.
    setTimeout(() => {
      box.scrollIntoView({ block: 'start' });
      /** @type {HTMLElement | null} */ (box.querySelector('h3'))?.focus();
    }, 0);
  }
}

/** @param {number} period */
const months = (period) => plural('followup.months', period);

/** The coordinator's queue of reports past their due date and grace days. @param {any[]} items */
function lateQueue(items) {
  return h(
    'section',
    { class: 'late-queue', 'aria-labelledby': 'late-title' },
    h('h2', { id: 'late-title' }, t('followup.late.title')),
    items.length === 0
      ? h('p', { class: 'muted' }, t('followup.late.none'))
      : h(
          'ul',
          { class: 'cards' },
          items.map((/** @type {any} */ l) =>
            h(
              'li',
              { class: 'card late-item', 'data-late': `${l.partnershipId}:${l.organisationId}:${l.period}` },
              h('strong', null, l.organisationName ?? l.organisationId),
              ' · ',
              months(l.period),
              ' · ',
              label('country', l.country),
              h(
                'p',
                { class: 'muted' },
                t('followup.late.due', { date: date(l.dueAt) }),
                ' · ',
                h('span', { class: 'tag bad' }, plural('followup.late.days', l.daysLate)),
              ),
              h(
                'a',
                { href: `#/partnerships?id=${encodeURIComponent(l.partnershipId)}` },
                t('followup.late.open'),
              ),
            ),
          ),
        ),
  );
}

/** @param {any} p @param {string} id */
const partyName = (p, id) => p.parties.find((/** @type {any} */ x) => x.organisationId === id)?.name ?? id;

/** One partnership, redrawn in place after each change. @param {any} p */
function card(p) {
  const headingId = uid('p');
  const box = h('article', {
    class: 'card partnership',
    'aria-labelledby': headingId,
    'data-partnership': p.id,
  });
  /** @param {any} q @param {string} [focus] a selector to focus after the redraw */
  const draw = (q, focus) => {
    const org = session()?.me.org ?? '';
    const mine = q.parties.some((/** @type {any} */ x) => x.organisationId === org);
    mount(
      box,
      h(
        'h3',
        { id: headingId, tabindex: -1 },
        q.needTitle ?? label('needType', q.needType),
        ' · ',
        label('modality', q.modality),
      ),
      h(
        'p',
        { class: 'facts' },
        h('span', { class: `tag ps-${q.status}`, 'data-status': q.status }, t(`followup.status.${q.status}`)),
        h('span', { class: 'tag' }, label('needType', q.needType)),
        q.triad ? h('span', { class: 'tag' }, t('followup.triad')) : null,
        h('span', null, t('followup.agreed', { date: date(q.agreedAt) })),
        q.amount ? h('span', null, money(q.amount.value, q.amount.currency)) : null,
      ),
      h(
        'ul',
        { class: 'parties', 'aria-label': t('followup.parties') },
        q.parties.map((/** @type {any} */ x) =>
          h(
            'li',
            null,
            h('strong', null, x.organisationId === org ? t('followup.you') : (x.name ?? x.organisationId)),
            ' · ',
            t(`followup.role.${x.role}`),
            x.country ? [' · ', label('country', x.country)] : null,
          ),
        ),
      ),
      mine ? statusForm(q, draw) : null,
      periods(q, org, mine, draw),
      reports(q),
      comments(q),
      isStaff() ? commentForm(q, draw) : null,
    );
    if (focus) /** @type {HTMLElement | null} */ (box.querySelector(focus))?.focus();
  };
  draw(p);
  return box;
}

/** The parties change how the partnership stands. @param {any} p @param {(q: any, focus?: string) => void} draw */
function statusForm(p, draw) {
  const id = uid('st');
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const select = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id, name: 'status' },
      STATUSES.map((s) => h('option', { value: s, selected: s === p.status }, t(`followup.status.${s}`))),
    )
  );
  return h(
    'form',
    {
      class: 'inline status-form',
      onsubmit: async (/** @type {Event} */ e) => {
        e.preventDefault();
        try {
          const next = await api(`/api/followup/partnerships/${encodeURIComponent(p.id)}`, {
            method: 'PATCH',
            body: { status: select.value },
          });
          announce(t('followup.status.saved'));
          draw(next, 'select[name=status]');
        } catch (err) {
          error.textContent = errorText(err);
          error.hidden = false;
        }
      },
    },
    h('label', { for: id }, t('followup.status.label')),
    select,
    h('button', { type: 'submit', 'data-action': 'status' }, t('followup.status.save')),
    error,
  );
}

/**
 * Each report period: when it falls due and, for every party, filed or not; the caller's
 * organisation files or amends its own report here.
 * @param {any} p @param {string} org @param {boolean} mine @param {(q: any, focus?: string) => void} draw
 */
function periods(p, org, mine, draw) {
  const now = Date.now();
  const slot = h('div', { class: 'report-slot' });
  return h(
    'section',
    { class: 'periods', 'aria-label': t('followup.periods') },
    h('h4', null, t('followup.periods')),
    h(
      'ul',
      { class: 'period-list' },
      p.reportPeriods.map((/** @type {any} */ r) => {
        const overdue = new Date(r.dueAt).getTime() < now;
        const filedByMe = r.filed.includes(org);
        return h(
          'li',
          { 'data-period': r.period },
          h('strong', null, months(r.period)),
          ' · ',
          t(overdue ? 'followup.period.overdue' : 'followup.period.due', { date: date(r.dueAt) }),
          h(
            'ul',
            { class: 'period-parties' },
            p.parties.map((/** @type {any} */ x) => {
              const filed = r.filed.includes(x.organisationId);
              const state = filed ? 'filed' : overdue ? 'late' : 'waiting';
              return h(
                'li',
                { 'data-org': x.organisationId, 'data-state': state },
                x.organisationId === org ? t('followup.you') : (x.name ?? x.organisationId),
                ': ',
                h(
                  'span',
                  { class: `tag${filed ? ' good' : overdue ? ' bad' : ''}` },
                  t(`followup.period.${state}`),
                ),
              );
            }),
          ),
          mine && p.status !== 'not-started'
            ? h(
                'button',
                {
                  type: 'button',
                  'data-action': 'report',
                  'data-period': r.period,
                  'aria-expanded': 'false',
                  onclick: (/** @type {Event} */ e) => {
                    const button = /** @type {HTMLElement} */ (e.currentTarget);
                    const mineNow = p.reports.find(
                      (/** @type {any} */ x) => x.organisationId === org && x.period === r.period,
                    );
                    for (const b of slot.parentElement?.querySelectorAll('[data-action=report]') ?? [])
                      b.setAttribute('aria-expanded', 'false');
                    button.setAttribute('aria-expanded', 'true');
                    mount(slot, reportForm(p, r.period, mineNow, draw));
                    /** @type {HTMLElement | null} */ (slot.querySelector('h4'))?.focus();
                  },
                },
                t(filedByMe ? 'followup.report.amend' : 'followup.report.file', { period: months(r.period) }),
              )
            : null,
        );
      }),
    ),
    slot,
  );
}

/**
 * The report of the caller's organisation for one period; the API's errors under their fields.
 * @param {any} p @param {number} period @param {any} existing @param {(q: any, focus?: string) => void} draw
 */
function reportForm(p, period, existing, draw) {
  const ind = existing?.indicators ?? {};
  const currency = p.amount?.currency ?? '';
  /** @param {string} key */
  const count = (key) =>
    field(
      {
        label: t(`followup.ind.${key}`),
        path: `indicators.${key}`,
        hint: t(`followup.ind.${key}.hint`),
        required: true,
      },
      (id, describedBy) =>
        h('input', {
          id,
          name: key,
          type: 'number',
          min: 0,
          step: 1,
          inputmode: 'numeric',
          'aria-describedby': describedBy,
          value: ind[key] ?? '',
        }),
    );
  /** @param {string} key */
  const amount = (key) =>
    h(
      'fieldset',
      { class: 'row field', 'data-path': `indicators.${key}` },
      h('legend', null, t(`followup.ind.${key}`)),
      field({ label: t('followup.amount.value'), path: `indicators.${key}.value` }, (id, describedBy) =>
        h('input', {
          id,
          name: `${key}.value`,
          type: 'number',
          min: 0,
          step: 'any',
          inputmode: 'decimal',
          'aria-describedby': describedBy,
          value: ind[key]?.value ?? '',
        }),
      ),
      field({ label: t('followup.amount.currency'), path: `indicators.${key}.currency` }, (id, describedBy) =>
        h(
          'select',
          { id, name: `${key}.currency`, 'aria-describedby': describedBy },
          h('option', { value: '' }, t('followup.amount.none')),
          options('currency').map((o) =>
            h('option', { value: o.code, selected: o.code === (ind[key]?.currency ?? currency) }, o.label),
          ),
        ),
      ),
      h('p', { class: 'field-error', hidden: true }),
    );
  const headingId = uid('rf');
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      {
        class: 'report-form',
        novalidate: true,
        'aria-labelledby': headingId,
        onsubmit: async (/** @type {Event} */ e) => {
          e.preventDefault();
          clearErrors(form);
          const value = (/** @type {string} */ name) =>
            /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value.trim();
          /** @type {Record<string, unknown>} */
          const indicators = {};
          // An empty count is sent as missing, so that the API names it ("required, 0 if none").
          for (const k of COUNTS) if (value(k) !== '') indicators[k] = Number(value(k));
          for (const k of MONEY)
            if (value(`${k}.value`) !== '')
              indicators[k] = {
                value: Number(value(`${k}.value`)),
                ...(value(`${k}.currency`) ? { currency: value(`${k}.currency`) } : {}),
              };
          const body = { indicators, story: value('story'), sdgTargets: picked(form, 'sdgTargets') };
          try {
            await api(`/api/followup/partnerships/${encodeURIComponent(p.id)}/reports/${period}`, {
              method: 'PUT',
              body,
            });
            const next = await api(`/api/followup/partnerships/${encodeURIComponent(p.id)}`);
            announce(t('followup.report.saved'));
            draw(next, `[data-report="${session()?.me.org}:${period}"] summary`);
          } catch (err) {
            showErrors(form, err);
          }
        },
      },
      h('h4', { id: headingId, tabindex: -1 }, t('followup.report.title', { period: months(period) })),
      h('p', { class: 'hint' }, t('followup.report.since')),
      COUNTS.map(count),
      MONEY.map(amount),
      field(
        { label: t('followup.story'), path: 'story', hint: t('followup.story.hint'), required: true },
        (id, describedBy) =>
          h(
            'textarea',
            { id, name: 'story', rows: 6, maxlength: 10000, 'aria-describedby': describedBy },
            existing?.story ?? '',
          ),
      ),
      field({ label: t('followup.targets'), path: 'sdgTargets', hint: t('picker.hint') }, (id, describedBy) =>
        picker({
          id,
          describedBy,
          name: 'sdgTargets',
          options: options('sdgTarget'),
          value: existing?.sdgTargets ?? [],
        }),
      ),
      formError(),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary' }, t('followup.report.submit')),
      ),
    )
  );
  return form;
}

/** Every party's reports, newest period first, with the comments about each. @param {any} p */
function reports(p) {
  if (p.reports.length === 0) return h('p', { class: 'muted' }, t('followup.reports.none'));
  const sorted = [...p.reports].sort((a, b) => b.period - a.period);
  return h(
    'section',
    { class: 'reports', 'aria-label': t('followup.reports') },
    h('h4', null, t('followup.reports')),
    sorted.map((/** @type {any} */ r) => {
      const about = p.comments.filter(
        (/** @type {any} */ c) =>
          c.about?.organisationId === r.organisationId && c.about?.period === r.period,
      );
      return h(
        'details',
        // A report with comments is open: they are what its reader should see first.
        { class: 'report', 'data-report': `${r.organisationId}:${r.period}`, open: about.length > 0 },
        h(
          'summary',
          null,
          partyName(p, r.organisationId),
          ' · ',
          months(r.period),
          ' · ',
          t('followup.report.filedOn', { date: date(r.updatedAt) }),
          about.length ? [' · ', plural('followup.comments.count', about.length)] : null,
        ),
        h(
          'dl',
          { class: 'indicators' },
          COUNTS.map((k) =>
            h('div', null, h('dt', null, t(`followup.ind.${k}`)), h('dd', null, num(r.indicators[k]))),
          ),
          MONEY.filter((k) => r.indicators[k]).map((k) =>
            h(
              'div',
              null,
              h('dt', null, t(`followup.ind.${k}`)),
              h('dd', null, money(r.indicators[k].value, r.indicators[k].currency)),
            ),
          ),
        ),
        h('p', { class: 'story' }, r.story),
        r.sdgTargets.length
          ? h(
              'div',
              null,
              h('strong', null, t('followup.targets')),
              h(
                'ul',
                { class: 'targets' },
                r.sdgTargets.map((/** @type {string} */ c) => h('li', null, `${c} ${label('sdgTarget', c)}`)),
              ),
            )
          : null,
        about.length ? commentList(p, about) : null,
      );
    }),
  );
}

/** The comments about the partnership itself (those about a report sit under it). @param {any} p */
function comments(p) {
  const general = p.comments.filter((/** @type {any} */ c) => !c.about);
  return h(
    'section',
    { class: 'comments', 'aria-label': t('followup.comments') },
    h('h4', null, t('followup.comments')),
    general.length ? commentList(p, general) : h('p', { class: 'muted' }, t('followup.comments.none')),
  );
}

/** @param {any} _p @param {any[]} list */
function commentList(_p, list) {
  return h(
    'ul',
    { class: 'thread comment-list' },
    list.map((/** @type {any} */ c) =>
      h(
        'li',
        { class: 'qa-item', 'data-comment': c.id },
        h('p', { class: 'qa-meta' }, t('followup.comment.by', { date: date(c.at) })),
        h('p', { class: 'qa-text' }, c.text),
      ),
    ),
  );
}

/** A coordinator's (or the admin's) comment on the partnership or one report. @param {any} p @param {(q: any, focus?: string) => void} draw */
function commentForm(p, draw) {
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      {
        class: 'comment-form',
        novalidate: true,
        onsubmit: async (/** @type {Event} */ e) => {
          e.preventDefault();
          clearErrors(form);
          const text = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem('text')).value;
          const aboutValue = /** @type {HTMLSelectElement} */ (form.elements.namedItem('about')).value;
          const [organisationId, period] = aboutValue ? aboutValue.split('|') : [];
          try {
            const next = await api(`/api/followup/partnerships/${encodeURIComponent(p.id)}/comments`, {
              body: {
                text,
                ...(organisationId ? { about: { organisationId, period: Number(period) } } : {}),
              },
            });
            announce(t('followup.comment.saved'));
            draw(next, 'textarea[name=text]');
          } catch (err) {
            showErrors(form, err);
          }
        },
      },
      field({ label: t('followup.comment.about'), path: 'about' }, (id, describedBy) =>
        h(
          'select',
          { id, name: 'about', 'aria-describedby': describedBy },
          h('option', { value: '' }, t('followup.comment.general')),
          p.reports.map((/** @type {any} */ r) =>
            h(
              'option',
              { value: `${r.organisationId}|${r.period}` },
              `${partyName(p, r.organisationId)} · ${months(r.period)}`,
            ),
          ),
        ),
      ),
      field({ label: t('followup.comment.text'), path: 'text', required: true }, (id, describedBy) =>
        h('textarea', { id, name: 'text', rows: 3, maxlength: 5000, 'aria-describedby': describedBy }),
      ),
      formError(),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', 'data-action': 'comment' }, t('followup.comment.submit')),
      ),
    )
  );
  return form;
}
