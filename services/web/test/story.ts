/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/**
 * The user story as reusable steps. Each step drives the browser only through what a user sees
 * and names that do not change with the language (field names, `data-action`), so the same steps
 * run in English and Portuguese.
 *
 * The real system is eventually consistent (matching proposes a fraction of a second after both
 * postings exist; a partner's contact is disclosed once profiles hears of the agreement), so the
 * steps that wait for another service reload their page until what they look for shows.
 */
import type { Locator, Page } from 'playwright-core';

export type Lang = 'en' | 'fr' | 'es' | 'pt';

/** Goes to a page of the app; reloads when already there, so the page shows fresh data. */
export async function open(page: Page, hash: string): Promise<void> {
  const target = new URL(`/${hash}`, page.url()).toString();
  if (page.url() === target) await page.reload();
  else await page.goto(target);
  await page.locator('main h1').waitFor();
}

/**
 * Opens `hash` and reloads it until `find(page)` matches something, for at most `timeoutMs`;
 * returns that locator's first match.
 */
export async function openUntil(
  page: Page,
  hash: string,
  find: (page: Page) => Locator,
  what: string,
  timeoutMs = 20_000,
): Promise<Locator> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await open(page, hash);
    const found = find(page).first();
    try {
      await found.waitFor({ timeout: Math.min(2_000, Math.max(1, deadline - Date.now())) });
      return found;
    } catch (err) {
      if (Date.now() >= deadline) throw new Error(`${what}: not on ${hash} after ${timeoutMs} ms (${err})`);
    }
    await page.waitForTimeout(250);
  }
}

/** Opens the app at `baseUrl` (first call) and signs in. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/signin`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('main form button[type=submit]').click();
  await page.locator('#signout').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.locator('#signout').click();
  await page.locator('input[name=email]').waitFor();
}

export async function setLanguage(page: Page, lang: Lang): Promise<void> {
  await page.locator('#lang').selectOption(lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Types into a picker and chooses the first option that contains `choose` (in the UI language). */
export async function pick(
  page: Page,
  name: string,
  typed: string,
  choose: string | RegExp = typed,
): Promise<void> {
  const input = page.locator(`.picker[data-name="${name}"] input[role=combobox]`);
  await input.fill(typed);
  await page.locator(`.picker[data-name="${name}"] [role=option]`, { hasText: choose }).first().click();
  await input.press('Escape');
}

export interface NeedInput {
  type: string;
  title: string;
  description?: string;
  /** Typed into the sector picker, e.g. 'solar'. */
  sector?: { typed: string; choose?: string | RegExp };
  sdg?: string;
  workingLanguage?: { typed: string; choose?: string | RegExp };
}

export async function postNeed(page: Page, need: NeedInput): Promise<void> {
  await open(page, '#/needs/new');
  await page.locator('select[name=type]').selectOption(need.type);
  await page.locator('input[name=title]').fill(need.title);
  await page.locator('textarea[name=description]').fill(need.description ?? '');
  if (need.sector) await pick(page, 'sectors', need.sector.typed, need.sector.choose);
  if (need.sdg) await pick(page, 'sdgs', need.sdg, new RegExp(`^${need.sdg}\\.`));
  if (need.workingLanguage)
    await pick(page, 'workingLanguages', need.workingLanguage.typed, need.workingLanguage.choose);
  await publish(page, need.title);
}

/**
 * Sends the posting form until the posting shows on `#/postings`. The exchange learns that an
 * organisation was verified from profiles' event, a moment after the coordinator's click: a
 * publication in that moment is refused (the form says so, `data-refusal=not-verified`), and
 * the person publishes again, as the message asks.
 */
async function publish(page: Page, title: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const form = page.locator('form.posting-form');
  const posted = page.locator('[data-posting] h3', { hasText: title });
  for (;;) {
    await form.locator('button[type=submit]').click();
    const refused = page.locator('form.posting-form[data-refusal=not-verified]');
    await posted.or(refused).first().waitFor();
    if (await posted.isVisible()) return;
    if (Date.now() > deadline)
      throw new Error(`“${title}”: still refused as not verified after ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

export interface OfferInput {
  types: string[];
  instrument: string;
  title: string;
  description?: string;
  capacity?: number;
  sector?: { typed: string; choose?: string | RegExp };
}

export async function postOffer(page: Page, offer: OfferInput): Promise<void> {
  await open(page, '#/offers/new');
  for (const type of offer.types) await page.locator(`input[name=types][value="${type}"]`).check();
  await page.locator('select[name=instrument]').selectOption(offer.instrument);
  await page.locator('input[name=title]').fill(offer.title);
  await page.locator('textarea[name=description]').fill(offer.description ?? '');
  if (offer.sector) await pick(page, 'sectors', offer.sector.typed, offer.sector.choose);
  await page.locator('input[name=capacity]').fill(String(offer.capacity ?? 2));
  await publish(page, offer.title);
}

/** The coordinator approves the first queued proposal whose text mentions `mentioning`. */
export async function reviewApprove(page: Page, mentioning: string): Promise<void> {
  const card = await openUntil(
    page,
    '#/review',
    (p) => p.locator('[data-proposal]', { hasText: mentioning }),
    `a proposal mentioning “${mentioning}” in the review queue`,
  );
  await card.locator('[data-action=approve]').click();
  await card.locator('.result.st-approved').waitFor();
}

/** A party accepts the first approved proposal mentioning `mentioning`. */
export async function acceptProposal(page: Page, mentioning: string): Promise<void> {
  const card = await openUntil(
    page,
    '#/proposals',
    (p) =>
      p
        .locator('[data-proposal]', { hasText: mentioning })
        .filter({ has: p.locator('[data-action=accept]') }),
    `an approved proposal mentioning “${mentioning}” to accept`,
  );
  await card.locator('[data-action=accept]').click();
  await card.locator('[data-action=accept]').waitFor({ state: 'detached' });
}

/** The partner's contact shows once the proposal is agreed; returns the contact block's text. */
export async function partnerContact(page: Page, mentioning: string): Promise<string> {
  const card = await openUntil(
    page,
    '#/proposals',
    (p) =>
      p
        .locator('[data-proposal]', { hasText: mentioning })
        .filter({ has: p.locator('.contacts a[href^="mailto:"]') }),
    `the partner's contact on the proposal mentioning “${mentioning}”`,
  );
  return ((await card.locator('.contacts').textContent()) ?? '').trim();
}
