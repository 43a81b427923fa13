/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/**
 * Asking for information and revoking a verification, through the web app only, against the real
 * system (`startSystem`): the people are set up through the APIs (`cast.ts`), everything they do
 * goes through the browser.
 */
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD, seedCast } from './cast';
import { checkA11y } from './checks';
import { launch } from './harness';
import { open, openUntil, postNeed, postOffer, setLanguage, signIn, signOut } from './story';

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

describe('asking for information on a proposal', () => {
  it('the coordinator asks, the party answers in the app, the coordinator reads the answer beside the question', async () => {
    const cast = await seedCast(sys, 'ask');
    const url = sys.webUrl;
    const need = 'Solar dryers for the cashew harvest';
    const offer = 'Solar dryer design and training';
    const question = 'How many members would use the dryers, and from when?';
    const answer = 'Around 120 members, from the next harvest in March.';
    const page = await newPage(1280);
    try {
      await signIn(page, url, cast.entity.email, PASSWORD);
      await postNeed(page, { type: 'technology', title: need, description: 'Cashew drying by members' });
      await signOut(page);
      await signIn(page, url, cast.partner.email, PASSWORD);
      await postOffer(page, { types: ['technology'], instrument: 'technical-assistance', title: offer });
      await signOut(page);

      // The coordinator asks the need's organisation (the default party) a question.
      await signIn(page, url, cast.coordinator, PASSWORD);
      const found = await openUntil(
        page,
        '#/review',
        (p) =>
          p
            .locator('[data-proposal]', { hasText: offer })
            .filter({ has: p.locator('[data-action=ask-info]') }),
        'the proposal in the review queue',
      );
      // Found by what it offers; held by its id, since its buttons go once it is decided.
      const card = page.locator(`[data-proposal="${await found.getAttribute('data-proposal')}"]`);
      await card.locator('[data-action=ask-info]').click();
      const ask = card.locator('form[data-form=ask]');
      expect(await ask.locator('select[name=to]').inputValue()).toBe(cast.entity.organisationId);
      await ask.locator('textarea[name=note]').fill(question);
      await card.locator('[data-action=send-question]').click();
      await card.locator('.result.st-info-requested').waitFor();
      await signOut(page);

      // The party sees the question on its proposals page, in French at 360 px, and answers it.
      await page.setViewportSize({ width: 360, height: 800 });
      await signIn(page, url, cast.entity.email, PASSWORD);
      await setLanguage(page, 'fr');
      const mine = await openUntil(
        page,
        '#/proposals',
        (p) =>
          p.locator('[data-proposal]').filter({ has: p.locator('[data-question]', { hasText: question }) }),
        'the question on the party’s proposals page',
      );
      expect(await mine.locator('.qa-waiting').textContent()).toBe('En attente de la réponse.');
      expect(await checkA11y(page)).toEqual([]);
      await mine.locator('textarea[name=text]').fill(answer);
      await mine.locator('[data-action=send-answer]').click();
      await mine.locator('[data-answer]', { hasText: answer }).waitFor();
      // Answered: no second answer to give.
      expect(await mine.locator('[data-action=send-answer]').count()).toBe(0);
      await signOut(page);

      // Back in the coordinator's queue, the answer beside its question, ready to be decided.
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, url, cast.coordinator, PASSWORD);
      await setLanguage(page, 'en');
      const back = await openUntil(
        page,
        '#/review',
        (p) => p.locator('[data-proposal]').filter({ has: p.locator('[data-answer]', { hasText: answer }) }),
        'the answered proposal back in the review queue',
      );
      const item = back.locator('.qa-item');
      expect(await item.count()).toBe(1);
      expect(await item.locator('[data-question]').textContent()).toBe(question);
      expect(await item.locator('[data-answer]').textContent()).toBe(answer);
      // Beside: at this width the answer sits to the right of the question, on the same row.
      const [q, a] = await Promise.all([
        item.locator('.qa-question').boundingBox(),
        item.locator('.qa-answer').boundingBox(),
      ]);
      expect(a && q && a.x > q.x && Math.abs(a.y - q.y) < 5).toBe(true);
      expect(await back.locator('[data-action=approve]').count()).toBe(1);
      expect(await checkA11y(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 150_000);
});

describe('revoking a verification', () => {
  it('the coordinator revokes with a reason; the organisation’s postings show as closed, with why', async () => {
    const cast = await seedCast(sys, 'revoke');
    const url = sys.webUrl;
    const need = 'Cold storage for the fish market';
    const reason = 'The general assembly has not met for three years.';
    const page = await newPage(360);
    try {
      await signIn(page, url, cast.entity.email, PASSWORD);
      await postNeed(page, { type: 'technology', title: need, description: 'Fish spoils before it is sold' });
      await signOut(page);

      await signIn(page, url, cast.coordinator, PASSWORD);
      await setLanguage(page, 'pt');
      await open(page, '#/verification');
      const org = page.locator('.revocations [data-organisation]', { hasText: 'Cooperativa Bolama revoke' });
      await org.locator('[data-action=revoke]').click();
      expect(await org.locator('[data-action=revoke]').getAttribute('aria-expanded')).toBe('true');
      // A reason is required: the form does not go without one.
      await org.locator('[data-action=confirm-revoke]').click();
      expect(
        await org
          .locator('textarea[name=note]')
          .evaluate((e) => (e as HTMLTextAreaElement).validity.valueMissing),
      ).toBe(true);
      expect(await checkA11y(page)).toEqual([]);
      await org.locator('textarea[name=note]').fill(reason);
      await org.locator('[data-action=confirm-revoke]').click();
      await org.locator('.vs-revoked').waitFor();
      expect(await org.locator('.vs-revoked').textContent()).toBe('Revogada');
      expect(await org.locator('.note').textContent()).toContain(reason);
      await signOut(page);

      // The organisation's members see the need closed (the exchange closed it) and why.
      await signIn(page, url, cast.entity.email, PASSWORD);
      const closed = await openUntil(
        page,
        '#/postings',
        (p) =>
          p
            .locator('[data-posting]', { hasText: need })
            .filter({ has: p.locator('[data-closed-by=revocation]') }),
        'the need closed after the revocation',
      );
      expect(await closed.locator('.st-closed').count()).toBe(1);
      expect(await closed.locator('[data-action=withdraw]').count()).toBe(0);
      await open(page, '#/organisation');
      expect(await page.locator('[data-decision-note]').textContent()).toContain(reason);
      expect(await page.locator('.vs-revoked').count()).toBe(1);
    } finally {
      await page.context().close();
    }
  }, 150_000);
});

describe('asking for information on a verification', () => {
  it('the coordinator asks an organisation under review, a member answers on its page, the coordinator reads it', async () => {
    const cast = await seedCast(sys, 'askorg');
    const url = sys.webUrl;
    // An organisation waiting for verification, registered as anyone may.
    const email = 'member-askorg@baobab.example';
    const name = 'Mutuelle Baobab askorg';
    await call(url, 'POST', '/api/profiles/organisations/register', undefined, {
      organisation: {
        name,
        kind: 'sse-entity',
        sseForm: 'mutual',
        country: 'SN',
        languages: ['fr'],
        sectors: ['23231'],
        description: 'A health mutual of market women.',
        contact: { email: 'contact-askorg@baobab.example' },
      },
      member: { name: 'Awa', email, password: PASSWORD },
    });
    const question = 'Please send the minutes of your last general assembly.';
    const answer = 'They are in our shared folder: assembly of 12 May, 48 members present.';
    const page = await newPage(1280);
    try {
      await signIn(page, url, cast.coordinator, PASSWORD);
      await open(page, '#/verification');
      const card = page.locator('.queue [data-organisation]', { hasText: name });
      await card.locator('[data-action=ask-organisation]').click();
      await card.locator('form[data-form=ask-organisation] textarea[name=question]').fill(question);
      await card.locator('[data-action=send-org-question]').click();
      await card.locator('[data-question]', { hasText: question }).waitFor();
      expect(await card.locator('.qa-waiting').count()).toBe(1);
      await signOut(page);

      await page.setViewportSize({ width: 360, height: 800 });
      await signIn(page, url, email, PASSWORD);
      await setLanguage(page, 'es');
      await open(page, '#/organisation');
      expect(await page.locator('[data-question]').textContent()).toBe(question);
      expect(await checkA11y(page)).toEqual([]);
      await page.locator('textarea[name=text]').fill(answer);
      await page.locator('[data-action=send-answer]').click();
      await page.locator('[data-answer]', { hasText: answer }).waitFor();
      expect(await page.locator('[data-action=send-answer]').count()).toBe(0);
      await signOut(page);

      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, url, cast.coordinator, PASSWORD);
      await setLanguage(page, 'en');
      await open(page, '#/verification');
      const back = page.locator('.queue [data-organisation]', { hasText: name });
      const item = back.locator('.qa-item');
      await item.locator('[data-answer]').waitFor();
      expect(await item.locator('[data-question]').textContent()).toBe(question);
      expect(await item.locator('[data-answer]').textContent()).toBe(answer);
      expect(await back.locator('.st-info-provided').textContent()).toBe('Answer received');
    } finally {
      await page.context().close();
    }
  }, 150_000);
});
