/**
 * The admin's coordinators and their M49 regions: invite one by mail, change the regions, take the
 * role away. A page of 20 at a time, oldest first (`GET /api/profiles/coordinators`).
 */
import { api } from '../api.js';
import { errorText, field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { LANGS, label, lang, options, t } from '../i18n.js';
import { picked, picker } from '../picker.js';

const PAGE = 20;

/** @param {import('../app.js').PageCtx} ctx */
export default async function coordinatorsPage({ main }) {
  const list = h('ul', { class: 'cards admin-list', id: 'coordinators' });
  const more = h(
    'button',
    { type: 'button', class: 'button', 'data-action': 'more', hidden: true },
    t('admin.more'),
  );
  /** @type {string | null} */
  let cursor = null;

  /** Loads the next page and appends it; the first page replaces the list. */
  async function load(first = false) {
    const page = await api('/api/profiles/coordinators', {
      query: { limit: PAGE, cursor: first ? null : cursor },
    });
    if (first) list.replaceChildren();
    for (const c of page.items) list.append(h('li', null, coordinatorCard(c)));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    if (first && page.items.length === 0) list.append(h('li', { class: 'muted' }, t('admin.coord.none')));
    return page.items;
  }
  more.addEventListener('click', async () => {
    const added = await load();
    /** @type {HTMLElement | null} */ (
      list.querySelector(`[data-coordinator="${added[0]?.id}"] h3`)
    )?.focus();
  });

  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  const form = newCoordinatorForm(async (email) => {
    status.textContent = t('admin.coord.invited', { email });
    status.hidden = false;
    announce(t('admin.coord.invited', { email }));
    await load(true);
  });
  mount(
    main,
    h('h1', null, t('admin.coord.title')),
    h('p', { class: 'lead' }, t('admin.coord.lead')),
    h(
      'section',
      { 'aria-labelledby': 'h-new-coordinator' },
      h('h2', { id: 'h-new-coordinator' }, t('admin.coord.new')),
      status,
      form,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-coordinators' },
      h('h2', { id: 'h-coordinators' }, t('admin.coord.list')),
      list,
      more,
    ),
  );
  await load(true);
}

/** @param {(email: string) => Promise<void>} done */
function newCoordinatorForm(done) {
  const form = h(
    'form',
    {
      class: 'card narrow',
      novalidate: true,
      'data-form': 'new-coordinator',
      onsubmit: async (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        const data = new FormData(form);
        const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
        button.disabled = true;
        try {
          const c = await api('/api/profiles/coordinators', {
            body: {
              name: String(data.get('name') ?? ''),
              email: String(data.get('email') ?? ''),
              language: String(data.get('language') ?? 'en'),
              regions: picked(form, 'regions'),
            },
          });
          form.reset();
          mount(form, ...newCoordinatorFields());
          await done(c.email);
        } catch (err) {
          showErrors(form, err);
        } finally {
          button.disabled = false;
        }
      },
    },
    ...newCoordinatorFields(),
  );
  return form;
}

function newCoordinatorFields() {
  return [
    field({ label: t('admin.coord.name'), path: 'name', required: true }, (id, d) =>
      h('input', {
        id,
        name: 'name',
        autocomplete: 'off',
        required: true,
        maxlength: 200,
        'aria-describedby': d,
      }),
    ),
    field({ label: t('admin.email'), path: 'email', required: true }, (id, d) =>
      h('input', {
        id,
        name: 'email',
        type: 'email',
        autocomplete: 'off',
        required: true,
        'aria-describedby': d,
      }),
    ),
    languageField(),
    field(
      { label: t('admin.coord.regions'), path: 'regions', hint: t('picker.hint'), required: true },
      (id, d) => picker({ id, describedBy: d, name: 'regions', options: options('region'), value: [] }),
    ),
    formError(),
    h('button', { type: 'submit', class: 'primary', 'data-action': 'invite' }, t('admin.invite')),
  ];
}

/** The language of the mails, the page's by default. */
export function languageField() {
  return field({ label: t('admin.mailLanguage'), path: 'language' }, (id, d) =>
    h(
      'select',
      { id, name: 'language', 'aria-describedby': d },
      LANGS.map((l) => h('option', { value: l, selected: l === lang() }, t(`lang.${l}`))),
    ),
  );
}

/** @param {{ id: string, name: string, email: string, regions: string[], status: 'invited' | 'active' }} c */
function coordinatorCard(c) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const card = h('article', { class: 'card', 'data-coordinator': c.id, 'data-email': c.email });
  const headingId = `c-${c.id}`;
  const regions = () => c.regions.map((r) => label('region', r)).join(', ');

  function view() {
    mount(
      card,
      h('h3', { id: headingId, tabindex: -1 }, c.name),
      h(
        'p',
        { class: 'facts' },
        h(
          'span',
          { class: `tag ${c.status === 'active' ? 'good' : ''}` },
          t(`admin.coord.status.${c.status}`),
        ),
        h('span', { class: 'muted' }, c.email),
      ),
      h(
        'p',
        { 'data-regions': c.regions.join('|') },
        h('strong', null, `${t('admin.coord.regions')}: `),
        regions(),
      ),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', 'data-action': 'edit-regions', 'aria-describedby': headingId, onclick: edit },
          t('admin.coord.change'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'danger-outline',
            'data-action': 'remove',
            'aria-describedby': headingId,
            onclick: confirmRemove,
          },
          t('admin.remove'),
        ),
      ),
      error,
    );
  }

  function edit() {
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: async (/** @type {SubmitEvent} */ e) => {
          e.preventDefault();
          try {
            const next = await api(`/api/profiles/coordinators/${encodeURIComponent(c.id)}`, {
              method: 'PATCH',
              body: { regions: picked(form, 'edit-regions') },
            });
            c.regions = next.regions;
            view();
            announce(t('admin.coord.saved', { name: c.name }));
            /** @type {HTMLElement | null} */ (card.querySelector('[data-action=edit-regions]'))?.focus();
          } catch (err) {
            showErrors(form, err);
          }
        },
      },
      field(
        {
          label: t('admin.coord.regionsOf', { name: c.name }),
          path: 'regions',
          hint: t('picker.hint'),
          required: true,
        },
        (id, d) =>
          picker({ id, describedBy: d, name: 'edit-regions', options: options('region'), value: c.regions }),
      ),
      formError(),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'submit', class: 'primary', 'data-action': 'save-regions' },
          t('admin.coord.save'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-action': 'cancel',
            onclick: () => {
              view();
              focusAction('edit-regions');
            },
          },
          t('admin.cancel'),
        ),
      ),
    );
    mount(card, h('h3', { id: headingId, tabindex: -1 }, c.name), form);
    /** @type {HTMLElement | null} */ (form.querySelector('input[role=combobox]'))?.focus();
  }

  /** @param {string} action */
  const focusAction = (action) =>
    /** @type {HTMLElement | null} */ (card.querySelector(`[data-action=${action}]`))?.focus();

  function confirmRemove() {
    const question = h('p', { role: 'alert' }, t('admin.coord.confirm', { name: c.name }));
    mount(
      card,
      h('h3', { id: headingId, tabindex: -1 }, c.name),
      question,
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'danger-outline',
            'data-action': 'confirm-remove',
            onclick: async () => {
              try {
                await api(`/api/profiles/coordinators/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
                const done = t('admin.coord.removed', { name: c.name });
                mount(card, h('p', { class: 'notice', role: 'status' }, done));
                announce(done);
              } catch (err) {
                view();
                error.textContent = errorText(err);
                error.hidden = false;
              }
            },
          },
          t('admin.confirmRemove'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-action': 'cancel',
            onclick: () => {
              view();
              focusAction('remove');
            },
          },
          t('admin.cancel'),
        ),
      ),
    );
    focusAction('cancel');
  }

  view();
  return card;
}
