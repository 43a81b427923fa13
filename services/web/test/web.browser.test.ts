/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/**
 * The web app in headless Chromium. Until the three services run together, the upstreams are the
 * in-memory stubs of `stubs.ts` (set WEB_E2E_URL to a running system to skip them: the story
 * steps in `story.ts` are the same).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, checkFocusVisible, transferredBytes } from './checks';
import { launch, startWeb } from './harness';
import {
  acceptProposal,
  type Lang,
  partnerContact,
  postNeed,
  postOffer,
  reviewApprove,
  setLanguage,
  signIn,
  signOut,
} from './story';
import { PASSWORD, startStubs } from './stubs';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh web server over fresh stubs, so each story starts from the same seed. */
async function system() {
  const stubs = await startStubs();
  const web = await startWeb(stubs.urls);
  const stop = async () => {
    await web.stop();
    await stubs.stop();
  };
  return { url: web.url, stop };
}

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

const WORDS: Record<Lang, { sector: [string, RegExp]; need: string; offer: string }> = {
  en: {
    sector: ['solar', /Solar energy/],
    need: 'Solar kiosks for 40 villages',
    offer: 'Solar micro-grid know-how',
  },
  pt: {
    sector: ['solar', /solar/i],
    need: 'Quiosques solares para 40 aldeias',
    offer: 'Saber-fazer em microrredes solares',
  },
  fr: { sector: ['solaire', /solaire/i], need: 'Kiosques solaires', offer: 'Savoir-faire en micro-réseaux' },
  es: { sector: ['solar', /solar/i], need: 'Quioscos solares', offer: 'Microrredes solares' },
};

describe.each(['en', 'pt'] as const)('the whole story in %s', (lang) => {
  it('an entity posts a need, a partner an offer, the coordinator approves, both accept and see each other', async () => {
    const sys = await system();
    const page = await newPage(lang === 'pt' ? 360 : 1280);
    try {
      const w = WORDS[lang];
      await signIn(page, sys.url, 'entity@example.org', PASSWORD);
      await setLanguage(page, lang);
      await postNeed(page, {
        type: 'technology',
        title: w.need,
        description: 'Solar kiosks run by cooperative members',
        sector: { typed: w.sector[0], choose: w.sector[1] },
        sdg: '7',
      });
      await signOut(page);

      await signIn(page, sys.url, 'partner@example.org', PASSWORD);
      await postOffer(page, {
        types: ['technology'],
        instrument: 'technical-assistance',
        title: w.offer,
        capacity: 3,
      });
      await signOut(page);

      await signIn(page, sys.url, 'coordinator@example.org', PASSWORD);
      await reviewApprove(page, w.offer);
      await signOut(page);

      await signIn(page, sys.url, 'entity@example.org', PASSWORD);
      await acceptProposal(page, w.offer);
      await signOut(page);

      await signIn(page, sys.url, 'partner@example.org', PASSWORD);
      await acceptProposal(page, w.offer);
      expect(await partnerContact(page, w.offer)).toContain('contact@ingufu.example');
      await signOut(page);

      await signIn(page, sys.url, 'entity@example.org', PASSWORD);
      expect(await partnerContact(page, w.offer)).toContain('hello@juakali.example');
      // The interface stayed in the chosen language throughout (it is remembered).
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    } finally {
      await page.context().close();
      await sys.stop();
    }
  });
});

describe('the interface', () => {
  let sys: Awaited<ReturnType<typeof system>>;
  beforeAll(async () => {
    sys = await system();
  });
  afterAll(async () => {
    await sys.stop();
  });

  it('changes every string and vocabulary label with the language', async () => {
    const page = await newPage();
    await signIn(page, sys.url, 'coordinator@example.org', PASSWORD);
    await page.goto(`${sys.url}/#/review`);
    await setLanguage(page, 'pt');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Fila de revisão');
    expect(await page.locator('select[name=type] option[value=financing]').textContent()).toBe(
      'Financiamento',
    );
    expect(await page.locator('select[name=region] option[value="Eastern Africa"]').textContent()).toBe(
      'África Oriental',
    );
    await setLanguage(page, 'fr');
    await expect.poll(() => page.locator('#signout').textContent()).toBe('Se déconnecter');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('File de revue');
    await page.context().close();
  });

  it('pickers search as you type in the chosen language, ignoring accents', async () => {
    const page = await newPage();
    await signIn(page, sys.url, 'entity@example.org', PASSWORD);
    await setLanguage(page, 'pt');
    await page.goto(`${sys.url}/#/needs/new`);
    const input = page.locator('.picker[data-name="countriesOfInterest"] input');
    await input.fill('mocam');
    await expect
      .poll(() =>
        page.locator('.picker[data-name="countriesOfInterest"] [role=option]').first().textContent(),
      )
      .toContain('Moçambique');
    await input.press('Enter');
    expect(await page.locator('.picker[data-name="countriesOfInterest"] .chips').textContent()).toContain(
      'Moçambique',
    );
    await page.context().close();
  });

  it('shows API errors next to the field they concern', async () => {
    const page = await newPage();
    await signIn(page, sys.url, 'entity@example.org', PASSWORD);
    await page.goto(`${sys.url}/#/needs/new`);
    await page.locator('.picker[data-name="workingLanguages"] .chip-x').first().click();
    await page.locator('form.posting-form button[type=submit]').click();
    const title = page.locator('[data-path=title] .field-error');
    await title.waitFor();
    expect(await title.textContent()).toBe('must not be empty');
    expect(await page.locator('[data-path=workingLanguages] .field-error').textContent()).toContain(
      'at least one',
    );
    expect(await page.locator('input[name=title]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title');
    await page.context().close();
  });

  it('loads the review page in at most 200 KB transferred on a first visit', async () => {
    const page = await newPage();
    await signIn(page, sys.url, 'coordinator@example.org', PASSWORD);
    // sessionStorage (the token) outlives navigation within the tab: leave the app, then come back.
    await page.goto('about:blank');
    const { total, byUrl } = await transferredBytes(page, async () => {
      await page.goto(`${sys.url}/#/review`);
      await page.locator('[data-proposal], .queue').first().waitFor({ state: 'attached' });
      await page.locator('h1').waitFor();
    });
    console.log(`review page: ${total} bytes transferred over ${byUrl.size} responses`);
    expect(byUrl.size).toBeGreaterThan(5);
    expect(total).toBeLessThanOrEqual(200 * 1024);
    await page.context().close();
  });

  const PAGES: [string, string, string][] = [
    ['sign-in', '', '#/signin'],
    ['review', 'coordinator@example.org', '#/review'],
    ['verification', 'coordinator@example.org', '#/verification'],
    ['dashboard', 'coordinator@example.org', '#/dashboard'],
    ['postings', 'entity@example.org', '#/postings'],
    ['need form', 'entity@example.org', '#/needs/new'],
    ['offer form', 'partner@example.org', '#/offers/new'],
    ['proposals', 'entity@example.org', '#/proposals'],
    ['organisation', 'entity@example.org', '#/organisation'],
  ];
  it.each(PAGES)('%s passes the accessibility checks at 360 px', async (_name, who, hash) => {
    const page = await newPage(360);
    if (who) await signIn(page, sys.url, who, PASSWORD);
    else await page.goto(`${sys.url}/`);
    await page.goto(`${sys.url}/${hash}`);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await checkA11y(page)).toEqual([]);
    expect(await checkFocusVisible(page, 25)).toEqual([]);
    // Usable at 360 px: nothing forces a horizontal scroll.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});
