/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/** In-page checks: accessibility basics and the bytes a page transfers. */
import type { CDPSession, Page } from 'playwright-core';

export interface A11yProblem {
  rule: string;
  where: string;
}

/**
 * A small accessibility checker run in the page (axe-core is not available offline): document
 * language, one h1 and no skipped heading level, landmarks, a label for every form control, an
 * accessible name for every button and link, alt on images, and WCAG contrast of visible text.
 */
export function checkA11y(page: Page): Promise<A11yProblem[]> {
  return page.evaluate(() => {
    const problems: { rule: string; where: string }[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    const visible = (el: Element) => {
      const r = (el as HTMLElement).getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    if (!document.documentElement.lang) problems.push({ rule: 'html-lang', where: 'html' });
    if (!document.title) problems.push({ rule: 'document-title', where: 'head' });
    // Navigation exists once signed in; the sign-in page has none to offer.
    const landmarks = document.getElementById('signout') ? ['main', 'header', 'nav'] : ['main', 'header'];
    for (const sel of landmarks)
      if (!document.querySelector(sel)) problems.push({ rule: 'landmark', where: sel });
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
    if (headings.filter((x) => x.tagName === 'H1').length !== 1)
      problems.push({ rule: 'one-h1', where: 'document' });
    let last = 0;
    for (const x of headings) {
      const level = Number(x.tagName[1]);
      if (level > last + 1) problems.push({ rule: 'heading-order', where: describe(x) });
      last = level;
    }
    const named = (el: Element) =>
      Boolean(
        el.getAttribute('aria-label')?.trim() ||
          (el.getAttribute('aria-labelledby') &&
            document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent?.trim()),
      );
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if ((el as HTMLInputElement).type === 'hidden' || !visible(el)) continue;
      const labels = (el as HTMLInputElement).labels;
      if (!(labels && labels.length > 0 && [...labels].some((l) => l.textContent?.trim())) && !named(el))
        problems.push({ rule: 'label', where: describe(el) });
    }
    for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
      if (!visible(el)) continue;
      const text =
        (el.textContent ?? '').trim() ||
        [...el.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt')).join('');
      if (!text && !named(el)) problems.push({ rule: 'accessible-name', where: describe(el) });
    }
    for (const img of document.querySelectorAll('img'))
      if (!img.hasAttribute('alt')) problems.push({ rule: 'img-alt', where: img.src });

    // Contrast of text against the first opaque background behind it (WCAG 2.x relative luminance).
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r = 0, g = 0, b = 0] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c[3] ?? 0) > 0.9) return c;
      }
      return [255, 255, 255];
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    const textOf = (el: Element) =>
      el instanceof HTMLSelectElement ? el.selectedOptions[0]?.textContent : el.textContent;
    // A select shows its chosen option's text, which is no text node of the page.
    const selects = [...document.querySelectorAll('select')].filter(visible);
    const elements: Element[] = [...selects];
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (n.parentElement && n.textContent?.trim()) elements.push(n.parentElement);
    for (const el of elements) {
      if (seen.has(el) || !textOf(el)?.trim() || !visible(el)) continue;
      if (el.closest('.sr-only, option')) continue;
      seen.add(el);
      const s = getComputedStyle(el);
      const fg = lum(rgb(s.color));
      const bg = lum(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const size = Number.parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        problems.push({ rule: 'contrast', where: `${describe(el)} ${ratio.toFixed(2)}:1` });
    }
    return problems;
  });
}

/**
 * Every focusable control shows a visible focus indicator when reached with the keyboard.
 * Tabs through the page; returns the controls that showed none.
 */
export async function checkFocusVisible(page: Page, maxTabs = 40): Promise<string[]> {
  const missing: string[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      // Tabbing through a date field moves between its parts (day, month, year, calendar button)
      // inside the browser's own shadow tree, which highlights the part in focus itself.
      if (el instanceof HTMLInputElement && el.type === 'date') return null;
      // Not a tab stop: the app moves focus to <main tabindex="-1"> when a page has rendered, so
      // that screen readers start at its heading; under load that can land between two Tabs.
      if (el.getAttribute('tabindex') === '-1') return null;
      const s = getComputedStyle(el);
      const shows =
        (s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      return {
        shows,
        what: el.outerHTML.slice(0, 160),
      };
    });
    if (r && !r.shows) missing.push(r.what);
  }
  return missing;
}

/** Sums the bytes that crossed the network (encoded: compressed bodies plus headers) while `load` runs. */
export async function transferredBytes(
  page: Page,
  load: () => Promise<void>,
): Promise<{ total: number; byUrl: Map<string, number> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map<string, string>();
  const byUrl = new Map<string, number>();
  let total = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    total += e.encodedDataLength;
    const url = urls.get(e.requestId) ?? e.requestId;
    byUrl.set(url, (byUrl.get(url) ?? 0) + e.encodedDataLength);
  });
  await load();
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return { total, byUrl };
}

/**
 * Keyboard only: Tab from the top of the page visits the controls in document order (no positive
 * tabindex reorders them), and leaves the page after the last one instead of being held anywhere
 * (a trap). Returns the problems found.
 */
export async function checkTabOrder(page: Page, maxTabs = 200): Promise<string[]> {
  const problems: string[] = [];
  const positive = await page.evaluate(() =>
    [...document.querySelectorAll('[tabindex]')]
      .filter((el) => Number(el.getAttribute('tabindex')) > 0)
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  for (const p of positive) problems.push(`positive tabindex: ${p}`);
  // From the top: the first control of the document (the skip link), wherever focus was.
  let previous = await page.evaluate(() => {
    const first = document.querySelector<HTMLElement>(
      'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])',
    );
    first?.focus();
    return first ? [...document.querySelectorAll('*')].indexOf(first) : -1;
  });
  const top = previous;
  let repeats = 0;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body || el === document.documentElement) return null;
      // Position in document order, and whether the browser moves within the element itself (the
      // parts of a date field).
      const all = [...document.querySelectorAll('*')];
      return {
        index: all.indexOf(el),
        inner: el instanceof HTMLInputElement && el.type === 'date',
        what: el.outerHTML.slice(0, 120),
      };
    });
    // Focus left the page after its last control (or came round to its first again): the whole
    // page was reachable and nothing held it.
    if (at === null || at.index === top) return problems;
    if (at.index === previous) {
      repeats++;
      if (!at.inner || repeats > 6) {
        problems.push(`focus stays on ${at.what}`);
        return problems;
      }
      continue;
    }
    repeats = 0;
    if (at.index < previous) problems.push(`focus goes back up the page to ${at.what}`);
    previous = at.index;
  }
  problems.push(`focus never leaves the page after ${maxTabs} presses of Tab`);
  return problems;
}

/**
 * The visible text of the page (text nodes, and the names and hints in attributes) with the
 * language each is marked in, for comparing against the dictionaries.
 */
export function visibleTexts(page: Page): Promise<{ text: string; lang: string }[]> {
  return page.evaluate(() => {
    const out: { text: string; lang: string }[] = [];
    const langOf = (el: Element) => el.closest('[lang]')?.getAttribute('lang') ?? '';
    const shown = (el: Element) => {
      if (el.closest('.sr-only')) return true;
      const r = (el as HTMLElement).getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      if (!el || !text || el.closest('script, style, noscript')) continue;
      // A select's options show only in its list; the chosen one is what the field shows.
      if (el.closest('option') ? !el.closest('select') : !shown(el)) continue;
      out.push({ text, lang: langOf(el) });
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]'))
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const text = el.getAttribute(a)?.trim();
        if (text) out.push({ text, lang: langOf(el) });
      }
    out.push({ text: document.title, lang: document.documentElement.lang });
    return out;
  });
}
