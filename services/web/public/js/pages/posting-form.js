/** Post or edit a need or an offer; pickers search the vocabularies in the UI language. */
import { ApiError, api, organisation, session } from '../api.js';
import { checkboxes, checked, field, formError, showErrors } from '../forms.js';
import { announce, h, mount } from '../h.js';
import { options, t } from '../i18n.js';
import { picked, picker } from '../picker.js';

/** @param {number} days */
const inDays = (days) => new Date(Date.now() + days * 864e5).toISOString().slice(0, 10);

/** @param {import('../app.js').PageCtx} ctx */
export default async function postingForm({ main, params, go }) {
  const kind = params.kind === 'offers' ? 'offer' : 'need';
  const isNew = params.id === 'new';
  /** @type {any} */
  const p = isNew ? {} : await api(`/api/exchange/${params.kind}/${encodeURIComponent(params.id ?? '')}`);
  const lang = document.documentElement.lang;
  // A new posting works in the organisation's working languages (those it registered), not only
  // in the one the page is shown in: matching pairs postings that share one.
  const org = isNew && session()?.me.org ? await organisation(session()?.me.org ?? '') : null;
  /** @type {string[]} */
  const workingLanguages = p.workingLanguages ?? (org?.languages?.length ? org.languages : [lang]);

  // Picker names map to vocabularies explicitly: clearer than deriving them.
  /** @param {string} path @param {string} labelKey @param {string} vocab @param {string} name @param {string[]} value @param {boolean} [multiple] @param {boolean} [required] */
  const pickFrom = (path, labelKey, vocab, name, value, multiple = true, required = false) =>
    field({ label: t(labelKey), path, hint: t('picker.hint'), required }, (id, describedBy) =>
      picker({ id, describedBy, name, options: options(vocab), value, multiple }),
    );

  /** @param {string} path @param {string} labelKey @param {Record<string, unknown>} attrs @param {boolean} [required] */
  const input = (path, labelKey, attrs, required = false) =>
    field({ label: t(labelKey), path, required }, (id, describedBy) =>
      h('input', { id, name: path, 'aria-describedby': describedBy, required, ...attrs }),
    );

  const common = [
    input('title', 'posting.title', { value: p.title ?? '', maxlength: 200 }, true),
    field({ label: t('posting.description'), path: 'description' }, (id, d) =>
      h(
        'textarea',
        { id, name: 'description', rows: 5, 'aria-describedby': d, maxlength: 10000 },
        p.description ?? '',
      ),
    ),
    pickFrom('language', 'posting.language', 'language', 'language', [p.language ?? lang], false, true),
    pickFrom(
      'workingLanguages',
      'posting.workingLanguages',
      'language',
      'workingLanguages',
      workingLanguages,
      true,
      true,
    ),
    pickFrom('sectors', 'posting.sectors', 'sector', 'sectors', p.sectors ?? []),
    pickFrom('sdgs', 'posting.sdgs', 'sdg', 'sdgs', (p.sdgs ?? []).map(String)),
  ];

  const needFields = () => [
    field({ label: t('posting.type'), path: 'type', required: true }, (id, d) =>
      h(
        'select',
        { id, name: 'type', 'aria-describedby': d },
        options('needType').map((o) => h('option', { value: o.code, selected: o.code === p.type }, o.label)),
      ),
    ),
    ...common,
    pickFrom(
      'countriesOfInterest',
      'posting.countriesOfInterest',
      'country',
      'countriesOfInterest',
      p.countriesOfInterest ?? [],
    ),
    h(
      'fieldset',
      { class: 'row' },
      h('legend', null, t('posting.amount')),
      input('amount.value', 'posting.amountValue', {
        type: 'number',
        min: 0,
        step: 'any',
        inputmode: 'decimal',
        value: p.amount?.value ?? '',
      }),
      pickFrom(
        'amount.currency',
        'posting.currency',
        'currency',
        'currency',
        p.amount?.currency ? [p.amount.currency] : [],
        false,
      ),
    ),
    h(
      'div',
      { class: 'field check', 'data-path': 'fundingRequired' },
      h('input', {
        type: 'checkbox',
        id: 'fundingRequired',
        name: 'fundingRequired',
        checked: p.fundingRequired,
      }),
      h('label', { for: 'fundingRequired' }, t('posting.fundingRequired')),
      h('p', { class: 'field-error', hidden: true }),
    ),
  ];

  const offerFields = () => [
    checkboxes({
      legend: t('posting.types'),
      path: 'types',
      name: 'types',
      options: options('needType'),
      selected: p.types ?? [],
    }),
    field({ label: t('posting.instrument'), path: 'instrument', required: true }, (id, d) =>
      h(
        'select',
        { id, name: 'instrument', 'aria-describedby': d },
        options('instrument').map((o) =>
          h('option', { value: o.code, selected: o.code === p.instrument }, o.label),
        ),
      ),
    ),
    ...common,
    checkboxes({
      legend: t('posting.modalities'),
      path: 'modalities',
      name: 'modalities',
      options: options('modality'),
      selected: p.modalities ?? ['south-south', 'triangular'],
    }),
    input(
      'capacity',
      'posting.capacity',
      { type: 'number', min: 0, step: 1, inputmode: 'numeric', value: p.capacity ?? 1 },
      true,
    ),
    h(
      'fieldset',
      { class: 'row' },
      h('legend', null, t('posting.amountRange')),
      input('amount.min', 'posting.min', { type: 'number', min: 0, step: 'any', value: p.amount?.min ?? '' }),
      input('amount.max', 'posting.max', { type: 'number', min: 0, step: 'any', value: p.amount?.max ?? '' }),
      pickFrom(
        'amount.currency',
        'posting.currency',
        'currency',
        'currency',
        p.amount?.currency ? [p.amount.currency] : [],
        false,
      ),
    ),
    h(
      'fieldset',
      { class: 'group', 'data-path': 'eligibility' },
      h('legend', null, t('posting.eligibility')),
      pickFrom(
        'eligibility.countries',
        'posting.eligCountries',
        'country',
        'eligCountries',
        p.eligibility?.countries ?? [],
      ),
      pickFrom(
        'eligibility.regions',
        'posting.eligRegions',
        'region',
        'eligRegions',
        p.eligibility?.regions ?? [],
      ),
      checkboxes({
        legend: t('posting.eligForms'),
        path: 'eligibility.sseForms',
        name: 'sseForms',
        options: options('sseForm'),
        selected: p.eligibility?.sseForms ?? [],
      }),
      h(
        'div',
        { class: 'field check', 'data-path': 'eligibility.developingOnly' },
        h('input', {
          type: 'checkbox',
          id: 'developingOnly',
          name: 'developingOnly',
          checked: p.eligibility?.developingOnly,
        }),
        h('label', { for: 'developingOnly' }, t('posting.developingOnly')),
        h('p', { class: 'field-error', hidden: true }),
      ),
      h('p', { class: 'field-error', hidden: true }),
    ),
    checkboxes({
      legend: t('posting.priorities'),
      path: 'priorities',
      name: 'priorities',
      options: ['ldc', 'lldc', 'sids'].map((c) => ({ code: c, label: t(`priority.${c}`) })),
      selected: p.priorities ?? [],
    }),
    callFields(),
  ];

  /**
   * A call: places and/or a budget, assigned all at once when it closes. The terms show once the
   * box is ticked; unticked, the offer is (or becomes) an ordinary one.
   */
  function callFields() {
    const c = p.call ?? {};
    const terms = h(
      'div',
      { id: 'call-terms', hidden: !p.call },
      h('p', { class: 'hint' }, t('call.form.hint')),
      input('call.places', 'call.form.places', {
        type: 'number',
        min: 1,
        step: 1,
        inputmode: 'numeric',
        value: c.places ?? '',
      }),
      h(
        'fieldset',
        { class: 'row' },
        h('legend', null, t('call.form.budget')),
        input('call.budget.value', 'posting.amountValue', {
          type: 'number',
          min: 0,
          step: 'any',
          inputmode: 'decimal',
          value: c.budget?.value ?? '',
        }),
        pickFrom(
          'call.budget.currency',
          'posting.currency',
          'currency',
          'callCurrency',
          c.budget?.currency ? [c.budget.currency] : [],
          false,
        ),
      ),
      h(
        'div',
        { class: 'row' },
        input('call.opensAt', 'call.form.opensAt', {
          type: 'date',
          value: c.opensAt ? c.opensAt.slice(0, 10) : inDays(0),
        }),
        input('call.closesAt', 'call.form.closesAt', {
          type: 'date',
          value: c.closesAt ? c.closesAt.slice(0, 10) : inDays(30),
          min: inDays(0),
        }),
      ),
      h(
        'div',
        { class: 'field check', 'data-path': 'call.fairness.lowestFirst' },
        h('input', {
          type: 'checkbox',
          id: 'callLowestFirst',
          name: 'callLowestFirst',
          checked: c.fairness?.lowestFirst,
        }),
        h('label', { for: 'callLowestFirst' }, t('call.form.lowestFirst')),
        h('p', { class: 'field-error', hidden: true }),
      ),
      input('call.fairness.countryCap', 'call.form.countryCap', {
        type: 'number',
        min: 1,
        step: 1,
        inputmode: 'numeric',
        value: c.fairness?.countryCap ?? '',
      }),
      h('p', { class: 'field-error', hidden: true }),
    );
    return h(
      'fieldset',
      { class: 'group', 'data-path': 'call' },
      h('legend', null, t('call.form.legend')),
      h(
        'div',
        { class: 'field check' },
        h('input', {
          type: 'checkbox',
          id: 'isCall',
          name: 'isCall',
          checked: Boolean(p.call),
          'aria-controls': 'call-terms',
          onchange: (/** @type {Event} */ e) => {
            terms.hidden = !(/** @type {HTMLInputElement} */ (e.target).checked);
          },
        }),
        h('label', { for: 'isCall' }, t('call.form.isCall')),
      ),
      terms,
    );
  }

  const form = h(
    'form',
    {
      class: 'card posting-form',
      novalidate: true,
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        submit();
      },
    },
    kind === 'need' ? needFields() : offerFields(),
    input(
      'expiresAt',
      'posting.expiresAt',
      { type: 'date', value: p.expiresAt ? p.expiresAt.slice(0, 10) : inDays(90), min: inDays(1) },
      true,
    ),
    field(
      { label: t('posting.confidential'), path: 'confidentialNotes', hint: t('posting.confidentialHint') },
      (id, d) =>
        h(
          'textarea',
          { id, name: 'confidentialNotes', rows: 3, 'aria-describedby': d },
          p.confidentialNotes ?? '',
        ),
    ),
    isNew
      ? h(
          'div',
          { class: 'field check', 'data-path': 'status' },
          h('input', { type: 'checkbox', id: 'asDraft', name: 'asDraft' }),
          h('label', { for: 'asDraft' }, t('posting.asDraft')),
        )
      : null,
    formError(),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary' }, t(isNew ? 'posting.publish' : 'posting.save')),
      h('a', { href: '#/postings', class: 'button' }, t('posting.cancel')),
    ),
  );

  /** @param {string} name */
  const val = (name) =>
    String(
      /** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${name}"]`))?.value ?? '',
    ).trim();
  /** @param {string} name */
  const isChecked = (name) =>
    Boolean(/** @type {HTMLInputElement | null} */ (form.querySelector(`[name="${name}"]`))?.checked);
  /** A number when the field holds one; the raw text otherwise, so the API names the problem. @param {string} name */
  const number = (name) =>
    val(name) === '' ? undefined : Number.isNaN(Number(val(name))) ? val(name) : Number(val(name));

  function body() {
    /** @type {Record<string, unknown>} */
    const b = {
      title: val('title'),
      description: val('description'),
      language: picked(form, 'language')[0] ?? '',
      workingLanguages: picked(form, 'workingLanguages'),
      sectors: picked(form, 'sectors'),
      sdgs: picked(form, 'sdgs').map(Number),
      expiresAt: val('expiresAt'),
    };
    const notes = val('confidentialNotes');
    if (notes || !isNew) b.confidentialNotes = notes || (isNew ? undefined : null);
    const currency = picked(form, 'currency')[0];
    if (kind === 'need') {
      b.type = val('type');
      b.countriesOfInterest = picked(form, 'countriesOfInterest');
      b.fundingRequired = isChecked('fundingRequired');
      const value = number('amount.value');
      if (value !== undefined || currency) b.amount = { value, currency };
      else if (!isNew) b.amount = null;
    } else {
      b.types = checked(form, 'types');
      b.instrument = val('instrument');
      b.modalities = checked(form, 'modalities');
      b.capacity = number('capacity');
      b.priorities = checked(form, 'priorities');
      const min = number('amount.min');
      const max = number('amount.max');
      if (min !== undefined || max !== undefined || currency) b.amount = { min, max, currency };
      else if (!isNew) b.amount = null;
      /** @type {Record<string, unknown>} */
      const e = {};
      const countries = picked(form, 'eligCountries');
      const regions = picked(form, 'eligRegions');
      const forms = checked(form, 'sseForms');
      if (countries.length) e.countries = countries;
      if (regions.length) e.regions = regions;
      if (forms.length) e.sseForms = forms;
      if (isChecked('developingOnly')) e.developingOnly = true;
      b.eligibility = e;
      if (isChecked('isCall')) {
        /** @type {Record<string, unknown>} */
        const call = { opensAt: val('call.opensAt'), closesAt: val('call.closesAt') };
        const places = number('call.places');
        if (places !== undefined) call.places = places;
        const budget = number('call.budget.value');
        const budgetCurrency = picked(form, 'callCurrency')[0];
        if (budget !== undefined || budgetCurrency) call.budget = { value: budget, currency: budgetCurrency };
        /** @type {Record<string, unknown>} */
        const fairness = {};
        if (isChecked('callLowestFirst')) fairness.lowestFirst = true;
        const cap = number('call.fairness.countryCap');
        if (cap !== undefined) fairness.countryCap = cap;
        if (Object.keys(fairness).length) call.fairness = fairness;
        b.call = call;
      } else if (!isNew && p.call) b.call = null;
    }
    if (isNew) b.status = isChecked('asDraft') ? 'draft' : 'open';
    return b;
  }

  async function submit() {
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    delete form.dataset.refusal;
    try {
      const saved = await api(
        isNew ? `/api/exchange/${params.kind}` : `/api/exchange/${params.kind}/${encodeURIComponent(p.id)}`,
        {
          method: isNew ? 'POST' : 'PATCH',
          body: body(),
        },
      );
      announce(t('posting.saved'));
      go(`#/postings?saved=${encodeURIComponent(saved.id)}`);
    } catch (err) {
      // Publishing before the exchange knows the organisation is verified (not yet, or a moment
      // after a coordinator verified it): said in the page's language, with what to do.
      const notVerified = err instanceof ApiError && err.status === 403 && session()?.me.org;
      if (notVerified) form.dataset.refusal = 'not-verified';
      showErrors(form, notVerified ? new ApiError(403, { detail: t('posting.notVerified') }) : err);
    } finally {
      button.disabled = false;
    }
  }

  mount(
    main,
    h('p', null, h('a', { href: '#/postings' }, '← ', t('nav.postings'))),
    h('h1', null, t(`posting.${isNew ? 'new' : 'edit'}.${kind}`)),
    session()?.me.org ? null : h('p', { class: 'error' }, t('forbidden.text')),
    h('p', { class: 'lead' }, t(`posting.lead.${kind}`)),
    form,
  );
}
