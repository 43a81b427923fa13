/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so this file sees the DOM types.
/**
 * The whole story of issue 15 on the real system (`startSystem`: this file's own databases and
 * topics), through the web app only. Nothing is set up through the APIs: the test reads the admin's
 * credentials as every browser test does (the system's start writes them) and reads the mails from
 * the run's Mailpit; every other step is a person in a browser.
 *
 * 1. The admin invites a coordinator for Western Africa on `#/coordinators`; the coordinator
 *    accepts from the mail and signs in.
 * 2. A cooperative registers in Portuguese at 360 px; a technology provider registers in English.
 * 3. The coordinator, in French, verifies both.
 * 4. The cooperative posts a need, the provider a matching offer; matching proposes the pairing.
 * 5. The coordinator asks the cooperative for information; it answers on `#/proposals`; the
 *    coordinator reads the answer beside the question and approves.
 * 6. Both accept on `#/proposals`; each then sees the other's contact.
 * 7. The cooperative's member forgets the password: `#/forgot-password`, the mail's link,
 *    `#/reset-password`, then signs in with the new one (the old one refused).
 * 8. The coordinator revokes the provider's verification with a reason; its offer shows closed.
 *
 * The steps share their browser tabs (one per person, each signed in once) and run in order.
 */
import { Mailpit, type RunningSystem, startSystem, testEnv, toQuery } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD } from './cast';
import { launch } from './harness';
import {
  acceptProposal,
  open,
  openUntil,
  partnerContact,
  pick,
  postNeed,
  postOffer,
  setLanguage,
  signIn,
  signOut,
} from './story';

const env = testEnv();
const mailpit = new Mailpit(env.mailpitUrl);
let browser: Browser;
let sys: RunningSystem;

/** One tab per person, kept signed in from step to step. */
const tabs: Partial<Record<'admin' | 'coordinator' | 'cooperative' | 'provider', Page>> = {};
const tab = (who: keyof typeof tabs): Page => {
  const page = tabs[who];
  if (!page) throw new Error(`${who} has no tab yet: an earlier step failed`);
  return page;
};

beforeAll(async () => {
  [browser, sys] = await Promise.all([launch(), startSystem(env)]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

/**
 * Each step needs the ones before: after a failure the rest are skipped, and the failure says
 * where each person was and what their page showed.
 */
let broken = false;
beforeEach((ctx) => {
  if (broken) ctx.skip();
});
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  broken = true;
  for (const [who, page] of Object.entries(tabs)) {
    const shown = await page
      .evaluate(() => {
        const errors = [...document.querySelectorAll('main .field-error:not([hidden]), main [role=alert]')]
          .map((e) => (e.textContent ?? '').trim())
          .filter(Boolean);
        const text = (document.querySelector('main')?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 600);
        return `${text}${errors.length ? ` (errors: ${errors.join(' | ')})` : ''}`;
      })
      .catch((err: unknown) => String(err));
    console.error(`${who} at ${page.url()}: ${shown}`);
  }
});

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** Addresses of this run's own, so that its mails are found among every test file's. */
const address = (label: string) => `${env.unique(label)}@journey.example`.toLowerCase();
const people = {
  coordinator: { name: 'Awa Diallo', email: address('coordinator') },
  cooperative: { name: 'Aminata Baldé', email: address('aminata'), contact: address('geral') },
  provider: { name: 'Moussa Ndiaye', email: address('moussa'), contact: address('hello') },
};
const label = env.unique('j');
const COOPERATIVE = `Cooperativa Bolama Nova ${label}`;
const PROVIDER = `Sahel Solaire ${label}`;
const NEED = `Quiosques solares para 12 ilhas ${label}`;
const OFFER = `Solar kiosk design and training ${label}`;
const QUESTION = 'Quantas sócias vão gerir os quiosques, e a partir de quando?';
const ANSWER = 'Quarenta sócias, a partir da próxima estação seca.';
const REASON = 'The provider’s registration at the chamber of commerce was struck off.';
const NEW_PASSWORD = 'mangroves and oysters 2027';

/**
 * The link a mail to `email` carries to `route` (`#/invitation`, `#/reset-password`), newest
 * first, as an address of this system: the fragment is what the app reads.
 */
async function linkInMail(email: string, route: string): Promise<string> {
  const pattern = new RegExp(`#/${route}\\?token=[A-Za-z0-9_%-]+`);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await mailpit.waitFor(toQuery(email), { timeoutMs: Math.max(1, deadline - Date.now()) });
    for (const summary of found) {
      const fragment = pattern.exec((await mailpit.message(summary.ID)).Text)?.[0];
      if (fragment) return `${sys.webUrl}/${fragment}`;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${email} links to #/${route}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Fills the registration form (`#/register`) the way a person does, and sends it. */
async function register(
  page: Page,
  org: { name: string; kind?: string; country: [string, string]; language: [string, string] },
  member: { name: string; email: string; contact: string },
  description: string,
): Promise<void> {
  await page.locator('#register').click();
  await page.locator('input[name=name]').waitFor();
  await page.locator('input[name=name]').fill(org.name);
  if (org.kind) await page.locator('select[name=kind]').selectOption(org.kind);
  else await page.locator('select[name=sseForm]').selectOption('cooperative');
  await pick(page, 'country', ...org.country);
  await pick(page, 'languages', ...org.language);
  await pick(page, 'sectors', 'solar', /solar/i);
  await page.locator('textarea[name=description]').fill(description);
  await page.locator('input[name=contactEmail]').fill(member.contact);
  await page.locator('input[name=memberName]').fill(member.name);
  await page.locator('input[name=memberEmail]').fill(member.email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('input[name=confirm]').fill(PASSWORD);
  await page.locator('main form button[type=submit]').click();
  await page.waitForURL(/#\/organisation\?registered=1$/);
  await page.locator('[data-status=pending]').waitFor();
}

/** The verification queue's card of the organisation named `name`. */
const queued = (page: Page, name: string) =>
  page.locator('.queue [data-organisation]', { has: page.locator('h2', { hasText: name }) });

describe('the whole story through the web app only', () => {
  it('the admin invites a coordinator for Western Africa, who accepts from the mail and signs in', async () => {
    const admin = await newPage(1280);
    tabs.admin = admin;
    await signIn(admin, sys.webUrl, sys.admin.email, sys.admin.password);
    await admin.locator('nav a[href="#/coordinators"]').click();
    const form = admin.locator('form[data-form=new-coordinator]');
    await form.locator('input[name=name]').fill(people.coordinator.name);
    await form.locator('input[name=email]').fill(people.coordinator.email);
    await form.locator('select[name=language]').selectOption('fr');
    await pick(admin, 'regions', 'western afr', 'Western Africa');
    await form.locator('[data-action=invite]').click();
    const card = admin.locator(`[data-coordinator][data-email="${people.coordinator.email}"]`);
    await card.waitFor();
    expect(await card.locator('[data-regions]').textContent()).toContain('Western Africa');

    // The coordinator follows the mail's link in a browser of their own, shown in French.
    const link = await linkInMail(people.coordinator.email, 'invitation');
    const coordinator = await newPage(1280);
    tabs.coordinator = coordinator;
    await coordinator.goto(`${sys.webUrl}/#/signin`);
    await setLanguage(coordinator, 'fr');
    await coordinator.goto(link);
    await coordinator.locator('input[name=name]').fill(people.coordinator.name);
    await coordinator.locator('input[name=password]').fill(PASSWORD);
    await coordinator.locator('main form button[type=submit]').click();
    await coordinator.locator('[data-state=done]').waitFor();
    // The page's link leads to the sign-in page with the address filled in.
    await coordinator.locator('main a[href^="#/signin"]').click();
    await expect
      .poll(() => coordinator.locator('input[name=email]').inputValue())
      .toBe(people.coordinator.email);
    await coordinator.locator('input[name=password]').fill(PASSWORD);
    await coordinator.locator('main form button[type=submit]').click();
    await coordinator.locator('nav a[href="#/verification"]').waitFor();
    await open(admin, '#/coordinators');
    await card.locator('.tag', { hasText: 'Active' }).waitFor();
  }, 60_000);

  it('a cooperative registers in Portuguese at 360 px, a technology provider in English', async () => {
    const cooperative = await newPage(360);
    const provider = await newPage(1280);
    tabs.cooperative = cooperative;
    tabs.provider = provider;
    await cooperative.goto(`${sys.webUrl}/#/signin`);
    await setLanguage(cooperative, 'pt');
    await provider.goto(`${sys.webUrl}/#/signin`);
    await Promise.all([
      register(
        cooperative,
        { name: COOPERATIVE, country: ['bissau', 'Guiné-Bissau'], language: ['frances', 'francês'] },
        people.cooperative,
        'Quiosques solares geridos pelas sócias.',
      ),
      register(
        provider,
        {
          name: PROVIDER,
          kind: 'technology-provider',
          country: ['senegal', 'Senegal'],
          language: ['french', 'French'],
        },
        people.provider,
        'Solar kiosks designed and maintained with the villages.',
      ),
    ]);
    expect(await cooperative.locator('[data-status=pending]').textContent()).toContain('África Ocidental');
    expect(await cooperative.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Not verified yet: publishing is refused, in Portuguese, saying what to do meanwhile.
    await open(cooperative, '#/needs/new');
    await cooperative.locator('input[name=title]').fill(NEED);
    await cooperative.locator('form.posting-form button[type=submit]').click();
    await cooperative
      .locator('form.posting-form[data-refusal=not-verified] .form-error')
      .getByText('Só uma organização verificada pode publicar.', { exact: false })
      .waitFor();
  }, 60_000);

  it('the coordinator verifies both in French', async () => {
    const page = tab('coordinator');
    await open(page, '#/verification');
    const coop = queued(page, COOPERATIVE);
    await coop.waitFor();
    // Each card is drawn again once its review arrives: act on that one.
    await page.waitForLoadState('networkidle');
    // Verifying before the criteria are recorded is refused, in French, naming what is missing.
    await coop.locator('.decision button.primary').click();
    await coop
      .locator('.decision .form-error')
      .getByText(/^Une entité de l’ESS est vérifiée quand .*Coopération volontaire/)
      .waitFor();
    for (const criterion of [
      'social-or-public-purpose',
      'voluntary-cooperation',
      'democratic-governance',
      'autonomy-independence',
      'people-over-capital',
    ]) {
      const form = coop.locator(`form[data-criterion="${criterion}"]`);
      await form.locator('input[name=met][value=yes]').check();
      await form.locator('input[name=note]').fill('Statuts et procès-verbal de l’assemblée générale.');
      await form.locator('button[type=submit]').click();
      await coop.locator(`li.ok form[data-criterion="${criterion}"]`).waitFor();
    }
    await coop.locator('.decision button.primary').click();
    await coop.locator('.vs-verified').getByText('Vérifiée').waitFor();
    // A partner is verified on a note saying why it is a real one, not on the SSE criteria.
    const provider = queued(page, PROVIDER);
    expect(await provider.locator('form[data-criterion]').count()).toBe(0);
    await provider.locator('.decision button.primary').click();
    await provider
      .locator('.decision [data-path=note] .field-error')
      .getByText('Dites pourquoi c’est un vrai partenaire avant de le vérifier.')
      .waitFor();
    await provider
      .locator('.decision textarea[name=note]')
      .fill('Installe des kiosques solaires avec le réseau régional depuis 2019.');
    await provider.locator('.decision button.primary').click();
    await provider.locator('.vs-verified').waitFor();

    // The cooperative's page says so, in Portuguese.
    const cooperative = tab('cooperative');
    await open(cooperative, '#/organisation');
    await cooperative.locator('[data-status=verified]').waitFor();
  }, 60_000);

  it('the cooperative posts a need, the provider a matching offer, and matching proposes the pairing', async () => {
    // The need form starts with the languages the cooperative registered (Portuguese and French),
    // not only the page's: the provider works in English and French, so they share one.
    const cooperative = tab('cooperative');
    await open(cooperative, '#/needs/new');
    await expect
      .poll(() => cooperative.locator('.picker[data-name="workingLanguages"] .chips').textContent())
      .toMatch(/português.*francês/);
    await Promise.all([
      postNeed(cooperative, {
        type: 'technology',
        title: NEED,
        description: 'As sócias gerem quiosques de carregamento solar e querem mais doze.',
        sector: { typed: 'solar', choose: /solar/i },
        sdg: '7',
      }),
      postOffer(tab('provider'), {
        types: ['technology'],
        instrument: 'technical-assistance',
        title: OFFER,
        description: 'Design of solar kiosks and training of the members who run them.',
        sector: { typed: 'solar', choose: /solar/i },
        capacity: 2,
      }),
    ]);
    await openUntil(
      tab('coordinator'),
      '#/review',
      // The summary names the offer and the two organisations.
      (p) => p.locator('[data-proposal]', { hasText: OFFER }).filter({ hasText: COOPERATIVE }),
      'the proposal in the review queue',
    );
  }, 60_000);

  it('the coordinator asks the cooperative, which answers in the app; the coordinator approves', async () => {
    const page = tab('coordinator');
    const found = page.locator('[data-proposal]', { hasText: OFFER });
    // Held by its id: its text changes as it is decided.
    const id = await found.getAttribute('data-proposal');
    const card = page.locator(`[data-proposal="${id}"]`);
    await card.locator('[data-action=ask-info]').click();
    const ask = card.locator('form[data-form=ask]');
    // The need's organisation is the party asked by default.
    await expect.poll(() => ask.locator('select[name=to] option:checked').textContent()).toBe(COOPERATIVE);
    await ask.locator('textarea[name=note]').fill(QUESTION);
    await card.locator('[data-action=send-question]').click();
    await card.locator('.result.st-info-requested').waitFor();

    const cooperative = tab('cooperative');
    const mine = await openUntil(
      cooperative,
      '#/proposals',
      (p) => p.locator(`[data-proposal="${id}"]`).filter({ has: p.locator('[data-question]') }),
      'the question on the cooperative’s proposals page',
    );
    expect(await mine.locator('[data-question]').textContent()).toBe(QUESTION);
    await mine.locator('textarea[name=text]').fill(ANSWER);
    await mine.locator('[data-action=send-answer]').click();
    await mine.locator('[data-answer]', { hasText: ANSWER }).waitFor();

    const back = await openUntil(
      page,
      '#/review',
      (p) => p.locator(`[data-proposal="${id}"]`).filter({ has: p.locator('[data-answer]') }),
      'the answered proposal back in the review queue',
    );
    expect(await back.locator('.qa-item [data-question]').textContent()).toBe(QUESTION);
    expect(await back.locator('.qa-item [data-answer]').textContent()).toBe(ANSWER);
    // At 1280 px the answer sits beside its question, on the same row.
    const [q, a] = await Promise.all([
      back.locator('.qa-item .qa-question').boundingBox(),
      back.locator('.qa-item .qa-answer').boundingBox(),
    ]);
    expect(a && q && a.x > q.x && Math.abs(a.y - q.y) < 5).toBe(true);
    await back.locator('[data-action=approve]').click();
    await back.locator('.result.st-approved').waitFor();
  }, 60_000);

  it('both parties accept on #/proposals, and each sees the other’s contact', async () => {
    const cooperative = tab('cooperative');
    const provider = tab('provider');
    await acceptProposal(cooperative, OFFER);
    await acceptProposal(provider, OFFER);
    const [seenByCooperative, seenByProvider] = await Promise.all([
      partnerContact(cooperative, OFFER),
      partnerContact(provider, OFFER),
    ]);
    expect(seenByCooperative).toContain(people.provider.contact);
    expect(seenByCooperative).toContain(PROVIDER);
    expect(seenByProvider).toContain(people.cooperative.contact);
    expect(seenByProvider).toContain(COOPERATIVE);
  }, 60_000);

  it('the cooperative’s member resets a forgotten password from the mail', async () => {
    const page = tab('cooperative');
    await signOut(page);
    await page.locator('#forgot').click();
    await page.locator('main h1').getByText('Redefinir a senha').waitFor();
    await page.locator('input[name=email]').fill(people.cooperative.email);
    await page.locator('main form button[type=submit]').click();
    await page.locator('[data-state=sent]').waitFor();

    await page.goto(await linkInMail(people.cooperative.email, 'reset-password'));
    await page.locator('input[name=password]').fill(NEW_PASSWORD);
    await page.locator('input[name=confirm]').fill(NEW_PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.locator('[data-state=done]').waitFor();
    await page.locator('main a[href^="#/signin"]').click();
    await expect.poll(() => page.locator('input[name=email]').inputValue()).toBe(people.cooperative.email);
    // The old password no longer opens the account; the new one does.
    await page.locator('input[name=password]').fill(PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.locator('main .form-error:not([hidden])').waitFor();
    await page.locator('input[name=password]').fill(NEW_PASSWORD);
    await page.locator('main form button[type=submit]').click();
    await page.locator('#signout').waitFor();
  }, 60_000);

  it('the coordinator revokes the provider with a reason, and its offer shows closed', async () => {
    const page = tab('coordinator');
    await open(page, '#/verification');
    const org = page.locator('.revocations [data-organisation]', { hasText: PROVIDER });
    await org.locator('[data-action=revoke]').click();
    await org.locator('textarea[name=note]').fill(REASON);
    await org.locator('[data-action=confirm-revoke]').click();
    await org.locator('.vs-revoked').getByText('Révoquée').waitFor();

    const provider = tab('provider');
    const closed = await openUntil(
      provider,
      '#/postings',
      (p) =>
        p
          .locator('[data-posting]', { hasText: OFFER })
          .filter({ has: p.locator('[data-closed-by=revocation]') }),
      'the offer closed after the revocation',
    );
    expect(await closed.locator('.st-closed').count()).toBe(1);
    await open(provider, '#/organisation');
    expect(await provider.locator('[data-decision-note]').textContent()).toContain(REASON);
  }, 60_000);
});
