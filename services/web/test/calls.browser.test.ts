/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/**
 * A call, from the offer form to the batch review, against the real system (`startSystem`): the
 * partner posts a call of 3 places through the offer form, five needs of the cooperative wait for
 * it, the call is closed (by the admin, as a coordinator of its region would), and the coordinator
 * of the needs' region reviews the round as a batch, reading why each need was chosen or left out,
 * in English and in Portuguese.
 */
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD, seedCast, signInApi } from './cast';
import { checkA11y } from './checks';
import { launch } from './harness';
import { open, openUntil, setLanguage, signIn, signOut } from './story';

const env = testEnv();
let browser: Browser;
let sys: RunningSystem;
beforeAll(async () => {
  [browser, sys] = await Promise.all([launch(), startSystem(env)]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** Five needs of one cooperative, from a close fit for the call to a loose one. */
const NEEDS = [
  {
    title: 'Solar kiosks for the islands',
    sdgs: [7, 5, 13],
    description: 'Solar mini-grids and kiosks run by the members.',
  },
  { title: 'Solar dryers for cashew', sdgs: [7, 13], description: 'Solar drying of cashew by the members.' },
  { title: 'Solar pumps for rice fields', sdgs: [7], description: 'Solar pumps for irrigation.' },
  { title: 'Lighting for the market', sdgs: [11], description: 'Street lights at the market.' },
  { title: 'Cold room for fish', sdgs: [2], description: 'A cold room at the landing site.' },
];

describe('a call reviewed as a batch', () => {
  it('closes with the best three needs, explained; the coordinator approves the round at once', async () => {
    const cast = await seedCast(sys, 'calls');
    const url = sys.webUrl;
    const entity = await signInApi(url, cast.entity.email, PASSWORD);
    const expiresAt = new Date(Date.now() + 60 * 864e5).toISOString().slice(0, 10);
    for (const n of NEEDS)
      await call(url, 'POST', '/api/exchange/needs', entity, {
        ...n,
        type: 'technology',
        language: 'en',
        workingLanguages: ['en', 'fr'],
        sectors: ['23231'],
        expiresAt,
      });

    // The partner posts the call through the offer form.
    const page = await newPage(1280);
    const title = 'Solar call for cooperatives';
    let offerId = '';
    try {
      await signIn(page, url, cast.partner.email, PASSWORD);
      await open(page, '#/offers/new');
      await page.locator('input[name=types][value=technology]').check();
      await page.locator('select[name=instrument]').selectOption('technical-assistance');
      await page.locator('input[name=title]').fill(title);
      await page
        .locator('textarea[name=description]')
        .fill('Solar mini-grids for cooperatives, three places.');
      await page.locator('input[name=capacity]').fill('3');
      expect(await page.locator('#call-terms').isHidden()).toBe(true);
      await page.locator('input[name=isCall]').check();
      // A call needs places or a budget: refused under its field, nothing stored.
      await page.locator('form.posting-form button[type=submit]').click();
      const placesError = page.locator('[data-path="call.places"] .field-error');
      await placesError.waitFor();
      expect(await placesError.textContent()).toContain('places');
      await page.locator('input[name="call.places"]').fill('3');
      await page.locator('form.posting-form button[type=submit]').click();
      await page.locator('[data-posting] h3', { hasText: title }).waitFor();
      offerId = String(await page.locator('[data-posting]', { hasText: title }).getAttribute('data-posting'));
      await signOut(page);

      // The call closes: the admin asks once matching knows the call and the needs.
      const admin = await signInApi(url, sys.admin.email, sys.admin.password);
      const deadline = Date.now() + 30_000;
      let round: { eligible: number; chosen: unknown[]; leftOut: unknown[] } | undefined;
      while (!round) {
        const progress = await call<{ caughtUp: boolean }>(url, 'GET', '/api/matching/progress', admin);
        if (progress.caughtUp) {
          try {
            round = await call(url, 'POST', `/api/matching/calls/${offerId}/solve`, admin);
          } catch (err) {
            if (!String(err).includes(' 404 ')) throw err;
          }
        }
        if (!round && Date.now() > deadline) throw new Error('matching never took the call in');
        if (!round) await new Promise((r) => setTimeout(r, 250));
      }
      expect(round).toMatchObject({ eligible: 5 });
      expect(round.chosen).toHaveLength(3);
      expect(round.leftOut).toHaveLength(2);

      // The coordinator of the needs' region reviews the round as one batch.
      await signIn(page, url, cast.coordinator, PASSWORD);
      const batch = await openUntil(
        page,
        '#/review',
        (p) => p.locator('[data-round][aria-busy=false]'),
        'the round',
      );
      const cards = batch.locator('[data-proposal]');
      expect(await cards.count()).toBe(3);
      const chosenReasons = await batch.locator('[data-proposal] [data-call-reason]').allTextContents();
      expect(chosenReasons).toHaveLength(3);
      for (const r of chosenReasons)
        expect(r).toMatch(
          /^Chosen: the call \(3 places\) took the 3 highest-scored of 5 eligible needs; this need ranked [123]\.$/,
        );
      await batch.locator('details.left-out summary').click();
      const leftOut = batch.locator('.left-out-list li');
      expect(await leftOut.count()).toBe(2);
      expect(await batch.locator('details.left-out summary').textContent()).toBe(
        '2 eligible needs left out, and why',
      );
      const leftTexts = await leftOut.allTextContents();
      // The best three by the engine's score are the three about solar power.
      expect(leftTexts.join(' ')).toContain('Lighting for the market');
      expect(leftTexts.join(' ')).toContain('Cold room for fish');
      for (const r of await leftOut.locator('[data-call-reason]').allTextContents())
        expect(r).toMatch(
          /^Left out: the call's 3 places went to higher-scored needs \(the lowest chosen ranked 3\); this need ranked [45]\.$/,
        );

      // In Portuguese, at 360 px: the same reasons in the reader's language, nothing left in English.
      await page.setViewportSize({ width: 360, height: 800 });
      await setLanguage(page, 'pt');
      const pt = await openUntil(
        page,
        '#/review',
        (p) => p.locator('[data-round][aria-busy=false]'),
        'the round',
      );
      for (const r of await pt.locator('[data-proposal] [data-call-reason]').allTextContents())
        expect(r).toMatch(
          /^Escolhida: a chamada \(3 vagas\) ficou com as 3 de melhor pontuação entre 5 necessidades elegíveis; esta necessidade ficou na posição [123]\.$/,
        );
      await pt.locator('details.left-out summary').click();
      for (const r of await pt.locator('.left-out-list [data-call-reason]').allTextContents())
        expect(r).toMatch(/^De fora: as 3 vagas da chamada foram para necessidades com melhor pontuação/);
      expect(await pt.locator('[data-call-reason][lang=en]').count()).toBe(0);
      expect(await checkA11y(page)).toEqual([]);

      // Approve all: each of the round's proposals is approved, through the usual review.
      await pt.locator('[data-action=approve-all]').click();
      await pt.locator('.result', { hasText: '3 propostas aprovadas' }).waitFor();
      expect(await pt.locator('[data-proposal] .result.st-approved').count()).toBe(3);
      expect(await pt.locator('[data-action=approve-all]').isDisabled()).toBe(true);
      const coordinator = await signInApi(url, cast.coordinator, PASSWORD);
      const approved = await call<{ items: { status: string; round?: { offerId: string } }[] }>(
        url,
        'GET',
        '/api/matching/proposals?status=approved',
        coordinator,
      );
      expect(approved.items.filter((p) => p.round?.offerId === offerId)).toHaveLength(3);
    } finally {
      await page.context().close();
    }
  }, 180_000);
});
