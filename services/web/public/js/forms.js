/**
 * Form fields with their label, hint and error slot. API errors (`errors: [{ path, message }]`)
 * are shown next to the field whose `data-path` is the longest prefix of the error's path, and
 * the first such field gets focus; what no field claims goes to the form's summary.
 */
import { ApiError } from './api.js';
import { announce, h, uid } from './h.js';
import { plural, t } from './i18n.js';

/**
 * @param {{ label: string, path: string, hint?: string, required?: boolean }} spec
 * @param {(id: string, describedBy: string) => HTMLElement} control builds the control with this id
 */
export function field(spec, control) {
  const id = uid('f');
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const described = [spec.hint ? hintId : '', errId].filter(Boolean).join(' ');
  return h(
    'div',
    { class: 'field', 'data-path': spec.path },
    h(
      'label',
      { for: id },
      spec.label,
      spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null,
    ),
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    control(id, described),
    h('p', { class: 'field-error', id: errId, hidden: true }),
  );
}

/**
 * A group of checkboxes in a fieldset.
 * @param {{ legend: string, path: string, name: string, options: { code: string, label: string }[], selected: string[] }} spec
 */
export function checkboxes(spec) {
  const errId = uid('e');
  return h(
    'fieldset',
    { class: 'field checks', 'data-path': spec.path, 'aria-describedby': errId },
    h('legend', null, spec.legend),
    spec.options.map((o) => {
      const id = uid('c');
      return h(
        'div',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          id,
          name: spec.name,
          value: o.code,
          checked: spec.selected.includes(o.code),
        }),
        h('label', { for: id }, o.label),
      );
    }),
    h('p', { class: 'field-error', id: errId, hidden: true }),
  );
}

/** @param {HTMLElement} form @param {string} name */
export const checked = (form, name) =>
  [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(
    (i) => /** @type {HTMLInputElement} */ (i).value,
  );

/** @param {HTMLElement} form */
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) {
    el.textContent = '';
    el.setAttribute('hidden', '');
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-error');
  if (summary) {
    summary.textContent = '';
    summary.setAttribute('hidden', '');
  }
}

/**
 * @param {HTMLElement} form
 * @param {unknown} err
 */
export function showErrors(form, err) {
  clearErrors(form);
  const fields = [...form.querySelectorAll('[data-path]')];
  /** @type {string[]} */
  const unclaimed = [];
  /** @type {HTMLElement | null} */
  let first = null;
  const problems = err instanceof ApiError ? err.errors : [];
  for (const p of problems) {
    const target = fields
      .filter((f) => {
        const path = f.getAttribute('data-path') ?? '';
        return p.path === path || p.path.startsWith(`${path}.`);
      })
      .sort(
        (a, b) => (b.getAttribute('data-path') ?? '').length - (a.getAttribute('data-path') ?? '').length,
      )[0];
    const slot = target?.querySelector('.field-error');
    if (!target || !slot) {
      unclaimed.push(`${p.path}: ${p.message}`);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent}; ${p.message}` : p.message;
    slot.removeAttribute('hidden');
    const input = target.querySelector('input, select, textarea');
    input?.setAttribute('aria-invalid', 'true');
    first ??= /** @type {HTMLElement | null} */ (input);
  }
  const summary = form.querySelector('.form-error');
  const message =
    problems.length === 0
      ? errorText(err)
      : unclaimed.length
        ? unclaimed.join('; ')
        : plural('form.fix', problems.length);
  if (summary) {
    summary.textContent = message;
    summary.removeAttribute('hidden');
  }
  announce(message);
  first?.focus();
}

/** A sentence for an error that is not about one field. @param {unknown} err */
export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.offline');
    if (err.status === 502) return t('error.unavailable');
    return err.message;
  }
  return String(err);
}

/** The summary slot of a form; `role="alert"` so it is read when it appears. */
export const formError = () => h('p', { class: 'form-error', role: 'alert', hidden: true });
