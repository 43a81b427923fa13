/**
 * A tiny rendering layer: `h('button', { onclick, class: 'x' }, 'text')` builds real DOM nodes.
 * Pages rebuild their part of the document when their data or the language changes; the pages are
 * small enough that this is simpler than diffing.
 */

/** @typedef {Node | string | number | null | undefined | false | Child[]} Child */

/**
 * @param {string} tag
 * @param {Record<string, unknown> | null} [props]
 * @param {...Child} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const el = tag.startsWith('svg:')
    ? /** @type {HTMLElement} */ (
        /** @type {unknown} */ (document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4)))
      )
    : document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function')
      el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    // Styles as an object through the CSSOM: the page's CSP refuses style attributes.
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k === 'value' && 'value' in el) /** @type {HTMLInputElement} */ (el).value = String(v);
    else if (k === 'checked' && 'checked' in el) /** @type {HTMLInputElement} */ (el).checked = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/**
 * @param {Node} el
 * @param {Child[]} children
 */
function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replaces an element's children.
 * @param {Element} el
 * @param {...Child} children
 */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A fresh element id, for label/aria wiring. @param {string} [prefix] */
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

/** Tells screen readers what just happened. @param {string} message */
export function announce(message) {
  const live = document.getElementById('live');
  if (!live) return;
  live.textContent = '';
  setTimeout(() => {
    live.textContent = message;
  }, 30);
}
