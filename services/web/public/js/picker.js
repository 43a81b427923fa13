/**
 * A search-as-you-type picker over a vocabulary (ARIA 1.2 combobox with a listbox popup).
 * Matches ignore case and accents, on the label in the UI language and on the code
 * ("moç", "moc" and "MZ" all find Moçambique). Multiple choices show as removable chips.
 */
import { h, uid } from './h.js';
import { t } from './i18n.js';

/** @param {string} s */
const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * @param {{ id: string, describedBy?: string, options: { code: string, label: string, hint?: string }[], value: string[], multiple?: boolean, name: string }} spec
 * @returns {HTMLElement & { value?: unknown }}
 */
export function picker(spec) {
  const multiple = spec.multiple ?? true;
  const listId = uid('lb');
  const byCode = new Map(spec.options.map((o) => [o.code, o]));
  const folded = spec.options.map((o) => ({ o, key: fold(`${o.label} ${o.code}`) }));
  /** @type {string[]} */
  let value = spec.value.filter((c) => byCode.has(c));
  let active = -1;
  /** @type {{ code: string, label: string, hint?: string }[]} */
  let shown = [];

  const input = /** @type {HTMLInputElement} */ (
    h('input', {
      id: spec.id,
      type: 'text',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      'aria-describedby': spec.describedBy,
      autocomplete: 'off',
      placeholder: t('picker.placeholder'),
    })
  );
  const list = h('ul', {
    id: listId,
    role: 'listbox',
    class: 'listbox',
    hidden: true,
    'aria-multiselectable': multiple ? 'true' : null,
  });
  const chips = h('ul', { class: 'chips', 'aria-label': t('picker.chosen') });
  const root = /** @type {HTMLElement & { value?: unknown }} */ (
    h('div', { class: 'picker', 'data-name': spec.name }, chips, input, list)
  );

  function renderChips() {
    chips.replaceChildren(
      ...value.map((code) =>
        h(
          'li',
          null,
          h('span', null, byCode.get(code)?.label ?? code),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-x',
              'aria-label': t('picker.remove', { x: byCode.get(code)?.label ?? code }),
              onclick: () => {
                value = value.filter((c) => c !== code);
                renderChips();
                input.focus();
              },
            },
            '×',
          ),
        ),
      ),
    );
    if (!multiple) input.value = '';
    chips.hidden = value.length === 0;
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function search() {
    const q = fold(input.value.trim());
    shown = (q ? folded.filter((f) => f.key.includes(q)).map((f) => f.o) : spec.options).slice(0, 30);
    active = shown.length ? 0 : -1;
    renderList();
  }

  function renderList() {
    list.replaceChildren(
      ...(shown.length
        ? shown.map((o, i) =>
            h(
              'li',
              {
                id: `${listId}-${i}`,
                role: 'option',
                'aria-selected': value.includes(o.code) ? 'true' : 'false',
                class: i === active ? 'active' : null,
                onmousedown: (/** @type {Event} */ e) => e.preventDefault(),
                onclick: () => choose(o.code),
              },
              o.label,
              o.hint && o.hint !== o.label ? h('span', { class: 'muted' }, ` ${o.hint}`) : null,
            ),
          )
        : [
            h(
              'li',
              { class: 'none', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' },
              t('picker.none'),
            ),
          ]),
    );
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', `${listId}-${active}`);
      document.getElementById(`${listId}-${active}`)?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  }

  /** @param {string} code */
  function choose(code) {
    if (multiple) value = value.includes(code) ? value.filter((c) => c !== code) : [...value, code];
    else value = [code];
    input.value = '';
    renderChips();
    if (multiple) search();
    else close();
  }

  input.addEventListener('input', search);
  input.addEventListener('focus', () => {
    if (input.value) search();
  });
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (list.hidden) return search();
      if (!shown.length) return;
      active = (active + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
      renderList();
    } else if (e.key === 'Enter') {
      if (!list.hidden && active >= 0 && shown[active]) {
        e.preventDefault();
        choose(shown[active].code);
      }
    } else if (e.key === 'Escape') {
      if (!list.hidden) {
        e.preventDefault();
        close();
      }
    } else if (e.key === 'Backspace' && input.value === '' && value.length) {
      value = value.slice(0, -1);
      renderChips();
    }
  });
  Object.defineProperty(root, 'value', { get: () => [...value] });
  renderChips();
  return root;
}

/**
 * The chosen codes of the picker named `name` inside `form`.
 * @param {HTMLElement} form
 * @param {string} name
 * @returns {string[]}
 */
export function picked(form, name) {
  const el = /** @type {any} */ (form.querySelector(`.picker[data-name="${name}"]`));
  return el ? el.value : [];
}
