/// <reference lib="dom" />
/**
 * Accounts through the web app only (issue 15), against the real system (`startSystem`, this
 * file's own databases and topics): a cooperative registers in Portuguese at 360 px and sees its
 * request waiting in its region's queue; a coordinator of that region finds it there and verifies
 * it, in French; a member changes the password and signs in with the new one; an edit of what the
 * verification judged sends the organisation back to the queue, an edit of its description does
 * not. The one call outside the browser creates the coordinator, as the admin does before anything
 * else (there is no page for it in this part).
 */
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD, signInApi } from './cast';
import { checkA11y, checkFocusVisible } from './checks';
import { launch } from './harness';
import { open, pick, setLanguage, signIn, signOut } from './story';

const env = testEnv();
let browser: Browser;
let sys: RunningSystem;
const coordinator = 'coordinator-accounts@network.example';
beforeAll(async () => {
  [browser, sys] = await Promise.all([launch(), startSystem(env)]);
  const admin = await signInApi(sys.webUrl, sys.admin.email, sys.admin.password);
  await call(sys.webUrl, 'POST', '/api/profiles/coordinators', admin, {
    name: 'Coordenadora da África Ocidental',
    email: coordinator,
    password: PASSWORD,
    regions: ['Western Africa'],
  });
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

/** The checks every page passes: accessibility, visible focus, no horizontal scroll. */
async function usable(page: Page, width: number): Promise<void> {
  await page.waitForLoadState('networkidle');
  expect(await checkA11y(page)).toEqual([]);
  expect(await checkFocusVisible(page, 25)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

const member = { name: 'Aminata Baldé', email: 'aminata@bolama-nova.example' };
const ORG = 'Cooperativa Bolama Nova';
const NEW_PASSWORD = 'mangroves and oysters 2027';

/** The coordinator's card of the organisation named `name` in the verification queue, once there. */
const queued = (page: Page, name: string) =>
  page.locator('[data-organisation]', { has: page.locator('h2', { hasText: name }) });

describe('an organisation’s account, through the web app only', () => {
  it('a cooperative registers in Portuguese at 360 px and sees its request waiting for its region’s coordinators', async () => {
    const page = await newPage(360);
    try {
      await page.goto(`${sys.webUrl}/#/signin`);
      await setLanguage(page, 'pt');
      await page.locator('#register').click();
      await page.waitForURL(/#\/register$/);
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Cadastrar sua organização');
      await usable(page, 360);

      await page.locator('input[name=name]').fill(ORG);
      await page.locator('select[name=sseForm]').selectOption('cooperative');
      await page.locator('input[name=informal]').check();
      await pick(page, 'country', 'bissau', 'Guiné-Bissau');
      await pick(page, 'languages', 'frances', 'francês');
      await pick(page, 'sectors', 'solar', /solar/i);
      await page.locator('textarea[name=description]').fill('Quiosques solares geridos pelas sócias.');
      await page.locator('input[name=contactEmail]').fill('geral@bolama-nova.example');
      await page.locator('input[name=memberName]').fill(member.name);
      await page.locator('input[name=memberEmail]').fill(member.email);
      // A password the service refuses: the error shows under that field, which gets focus.
      await page.locator('input[name=password]').fill('curta');
      await page.locator('input[name=confirm]').fill('curta');
      await page.locator('main form button[type=submit]').click();
      const error = page.locator('[data-path="member.password"] .field-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('at least 10 characters');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('password');

      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('input[name=confirm]').fill(PASSWORD);
      await page.locator('main form button[type=submit]').click();
      // Signed in, on the organisation's page: pending, in the queue of Western Africa's coordinators.
      await page.waitForURL(/#\/organisation\?registered=1$/);
      const status = page.locator('[data-status=pending]');
      await status.waitFor();
      expect(await page.locator('main h1').textContent()).toBe(ORG);
      expect(await status.textContent()).toContain(
        'O pedido aguarda na fila de verificação dos coordenadores de África Ocidental, África Subsaariana ou África.',
      );
      expect(await page.locator('main dl').textContent()).toContain('Guiné-Bissau');
      await usable(page, 360);
    } finally {
      await page.context().close();
    }
  }, 120_000);

  it('its region’s coordinator finds it in the verification queue and verifies it, in French', async () => {
    const page = await newPage(1280);
    try {
      await signIn(page, sys.webUrl, coordinator, PASSWORD);
      await setLanguage(page, 'fr');
      await open(page, '#/verification');
      const card = queued(page, ORG);
      await card.waitFor();
      // The card is drawn again once its review arrives: act on that one.
      await page.waitForLoadState('networkidle');
      for (const criterion of [
        'social-or-public-purpose',
        'voluntary-cooperation',
        'democratic-governance',
        'autonomy-independence',
        'people-over-capital',
      ]) {
        const form = card.locator(`form[data-criterion="${criterion}"]`);
        await form.locator('input[name=met][value=yes]').check();
        await form.locator('input[name=note]').fill('Statuts et procès-verbal de l’assemblée générale.');
        await form.locator('button[type=submit]').click();
        await card.locator(`li.ok form[data-criterion="${criterion}"]`).waitFor();
      }
      await card.locator('.decision button.primary').click();
      await card.locator('.vs-verified').waitFor();
      await open(page, '#/verification');
      expect(await queued(page, ORG).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('a member changes the password from the header, then signs in with the new one only', async () => {
    const page = await newPage(360);
    try {
      await signIn(page, sys.webUrl, member.email, PASSWORD);
      await setLanguage(page, 'pt');
      await page.locator('nav a[href="#/password"]').click();
      await page.waitForURL(/#\/password$/);
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Trocar sua senha');
      await usable(page, 360);

      // A wrong current password: said under that field, nothing changed.
      await page.locator('input[name=current]').fill('not my password');
      await page.locator('input[name=new]').fill(NEW_PASSWORD);
      await page.locator('input[name=confirm]').fill(NEW_PASSWORD);
      await page.locator('main form button[type=submit]').click();
      const wrong = page.locator('[data-path=current] .field-error');
      await wrong.waitFor();
      expect(await wrong.textContent()).toBe('Esta não é sua senha atual.');

      await page.locator('input[name=current]').fill(PASSWORD);
      await page.locator('input[name=new]').fill(NEW_PASSWORD);
      await page.locator('input[name=confirm]').fill(NEW_PASSWORD);
      await page.locator('main form button[type=submit]').click();
      await page.locator('[data-state=done]').waitFor();
      await signOut(page);

      // The old password no longer signs in; the new one does.
      await page.locator('input[name=email]').fill(member.email);
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('main form button[type=submit]').click();
      await page.locator('main .form-error:not([hidden])').waitFor();
      expect(await page.locator('#signout').count()).toBe(0);
      await page.locator('input[name=password]').fill(NEW_PASSWORD);
      await page.locator('main form button[type=submit]').click();
      await page.locator('#signout').waitFor();
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('editing the description keeps the verification; editing the name sends it back to the coordinator’s queue', async () => {
    const page = await newPage(360);
    const staff = await newPage(1280);
    try {
      await signIn(page, sys.webUrl, member.email, NEW_PASSWORD);
      await setLanguage(page, 'pt');
      await open(page, '#/organisation');
      await page.locator('[data-status=verified]').waitFor();

      await page.locator('[data-action=edit]').click();
      await page.locator('textarea[name=description]').waitFor();
      await usable(page, 360);
      await page.locator('textarea[name=description]').fill('Agora com 40 sócias e dois quiosques.');
      await page.locator('input[name=contactPhone]').fill('+245 955 000 000');
      await page.locator('main form button[type=submit]').click();
      await page.waitForURL(/#\/organisation\?saved=1$/);
      await page.locator('[data-status=verified]').waitFor();
      expect(await page.locator('main').textContent()).toContain('Agora com 40 sócias');

      await signIn(staff, sys.webUrl, coordinator, PASSWORD);
      await open(staff, '#/verification');
      expect(await queued(staff, ORG).count()).toBe(0);

      await page.locator('[data-action=edit]').click();
      await page.locator('input[name=name]').fill(`${ORG} de Bubaque`);
      await page.locator('main form button[type=submit]').click();
      await page.waitForURL(/#\/organisation\?saved=reopened$/);
      const status = page.locator('[data-status=pending]');
      await status.waitFor();
      expect(await status.locator('[data-reopened]').textContent()).toBe(
        'De volta à revisão: você alterou o nome, que a verificação tinha avaliado.',
      );
      await usable(page, 360);

      // Back in the queue of Western Africa's coordinator, under its new name, to be judged again.
      await open(staff, '#/verification');
      const card = queued(staff, `${ORG} de Bubaque`);
      await card.waitFor();
      await staff.waitForLoadState('networkidle');
      expect(await card.locator('li.ok').count()).toBe(0);
    } finally {
      await page.context().close();
      await staff.context().close();
    }
  }, 90_000);

  it('the registration, password and profile pages pass the checks at 1280 px, in Spanish', async () => {
    const page = await newPage(1280);
    try {
      await page.goto(`${sys.webUrl}/#/register`);
      await setLanguage(page, 'es');
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Registrar su organización');
      await usable(page, 1280);
      await signIn(page, sys.webUrl, member.email, NEW_PASSWORD);
      for (const [hash, selector] of [
        ['#/password', 'input[name=current]'],
        ['#/organisation', '[data-status]'],
        ['#/organisation/edit', 'input[name=name]'],
      ] as const) {
        await open(page, hash);
        await page.locator(selector).waitFor();
        await usable(page, 1280);
      }
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
