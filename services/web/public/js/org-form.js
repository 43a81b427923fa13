/**
 * The organisation's fields as a form, for registering (`#/register`, paths under
 * `organisation.`) and editing (`#/organisation/edit`, paths at the top): the exchange file's
 * organisation, with the pickers the posting forms use. The SSE form and "informal" belong to SSE
 * entities: they show only while the kind is `sse-entity`.
 */
import { field } from './forms.js';
import { h } from './h.js';
import { options, t } from './i18n.js';
import { picked, picker } from './picker.js';

/** What a verification judged (profiles' `JUDGED`): changing one sends a verified organisation back to review. */
export const JUDGED = ['name', 'kind', 'sseForm', 'informal', 'country'];

/**
 * @typedef {{ name?: string, kind?: string, sseForm?: string, informal?: boolean, country?: string,
 *   languages?: string[], sectors?: string[], description?: string, contact?: { email: string, phone?: string } }} OrgFields
 */

/**
 * @param {OrgFields} o the current values
 * @param {{ prefix: string, judgedHint?: boolean }} opts `prefix` of the API's error paths; `judgedHint` marks judged fields
 * @returns {HTMLElement[]}
 */
export function organisationFields(o, opts) {
  const p = opts.prefix;
  const judged = opts.judgedHint ? t('account.org.judgedHint') : undefined;
  /** @param {string} name @param {string} labelKey @param {Record<string, unknown>} attrs @param {boolean} [required] @param {string} [hint] */
  const input = (name, labelKey, attrs, required = false, hint) =>
    field({ label: t(labelKey), path: `${p}${name}`, required, ...(hint ? { hint } : {}) }, (id, d) =>
      h('input', { id, name, 'aria-describedby': d, required, ...attrs }),
    );
  /** @param {string} name @param {string} labelKey @param {string} vocab @param {string[]} value @param {boolean} multiple @param {boolean} required @param {string} [hint] */
  const pickFrom = (name, labelKey, vocab, value, multiple, required, hint) =>
    field(
      {
        label: t(labelKey),
        path: `${p}${name}`,
        hint: [hint, t('picker.hint')].filter(Boolean).join(' '),
        required,
      },
      (id, describedBy) => picker({ id, describedBy, name, options: options(vocab), value, multiple }),
    );

  const kindSelect = /** @type {HTMLSelectElement} */ (
    h('select', {
      name: 'kind',
      onchange: () => showEntityFields(),
    })
  );
  const kind = field(
    { label: t('org.kind'), path: `${p}kind`, required: true, ...(judged ? { hint: judged } : {}) },
    (id, d) => {
      kindSelect.id = id;
      kindSelect.setAttribute('aria-describedby', d);
      for (const opt of options('organisationKind'))
        kindSelect.append(
          h('option', { value: opt.code, selected: opt.code === (o.kind ?? 'sse-entity') }, opt.label),
        );
      return kindSelect;
    },
  );
  const entityFields = h(
    'div',
    { class: 'entity-fields' },
    field(
      { label: t('org.sseForm'), path: `${p}sseForm`, required: true, ...(judged ? { hint: judged } : {}) },
      (id, d) =>
        h(
          'select',
          { id, name: 'sseForm', 'aria-describedby': d },
          h('option', { value: '' }, t('account.org.choose')),
          options('sseForm').map((f) =>
            h('option', { value: f.code, selected: f.code === o.sseForm }, f.label),
          ),
        ),
    ),
    h(
      'div',
      { class: 'field check', 'data-path': `${p}informal` },
      h('input', {
        type: 'checkbox',
        id: 'informal',
        name: 'informal',
        checked: o.informal === true,
        'aria-describedby': judged ? 'informal-hint' : null,
      }),
      h('label', { for: 'informal' }, t('account.org.informal')),
      judged ? h('p', { class: 'hint', id: 'informal-hint' }, judged) : null,
      h('p', { class: 'field-error', hidden: true }),
    ),
  );
  const showEntityFields = () => {
    entityFields.hidden = kindSelect.value !== 'sse-entity';
  };
  showEntityFields();

  return [
    input(
      'name',
      'account.org.name',
      { value: o.name ?? '', maxlength: 200, autocomplete: 'organization' },
      true,
      judged,
    ),
    kind,
    entityFields,
    pickFrom('country', 'org.country', 'country', o.country ? [o.country] : [], false, true, judged),
    pickFrom('languages', 'account.org.languages', 'language', o.languages ?? [], true, true),
    pickFrom('sectors', 'org.sectors', 'sector', o.sectors ?? [], true, false),
    field({ label: t('account.org.description'), path: `${p}description` }, (id, d) =>
      h(
        'textarea',
        { id, name: 'description', rows: 4, maxlength: 5000, 'aria-describedby': d },
        o.description ?? '',
      ),
    ),
    h(
      'fieldset',
      { class: 'group', 'data-path': `${p}contact` },
      h('legend', null, t('account.org.contact')),
      field({ label: t('account.org.contactEmail'), path: `${p}contact.email`, required: true }, (id, d) =>
        h('input', {
          id,
          name: 'contactEmail',
          type: 'email',
          value: o.contact?.email ?? '',
          autocomplete: 'email',
          required: true,
          'aria-describedby': d,
        }),
      ),
      field({ label: t('account.org.contactPhone'), path: `${p}contact.phone` }, (id, d) =>
        h('input', {
          id,
          name: 'contactPhone',
          type: 'tel',
          value: o.contact?.phone ?? '',
          autocomplete: 'tel',
          'aria-describedby': d,
        }),
      ),
      h('p', { class: 'field-error', hidden: true }),
    ),
  ];
}

/**
 * The fields as the form holds them, in the API's shape (absent optionals left out).
 * @param {HTMLElement} form
 * @returns {OrgFields & { name: string, kind: string, country: string, languages: string[], sectors: string[], description: string, contact: { email: string, phone?: string } }}
 */
export function organisationValues(form) {
  /** @param {string} name */
  const val = (name) =>
    String(
      /** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${name}"]`))?.value ?? '',
    ).trim();
  const kind = val('kind');
  const entity = kind === 'sse-entity';
  const phone = val('contactPhone');
  const informal = /** @type {HTMLInputElement | null} */ (form.querySelector('[name=informal]'))?.checked;
  return {
    name: val('name'),
    kind,
    ...(entity && val('sseForm') ? { sseForm: val('sseForm') } : {}),
    ...(entity && informal ? { informal: true } : {}),
    country: picked(form, 'country')[0] ?? '',
    languages: picked(form, 'languages'),
    sectors: picked(form, 'sectors'),
    description: val('description'),
    contact: { email: val('contactEmail'), ...(phone ? { phone } : {}) },
  };
}
