/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so this file sees the DOM types.
/**
 * The admin pages of issue 15 (part 6) in headless Chromium against the real system, through the
 * UI only; the test reads nothing but the mails, from the run's Mailpit. The organisations waiting
 * in the verification queues are registered through the API beforehand (as in `cast.ts`).
 *
 * - The admin invites a coordinator for Western Africa in French; the coordinator accepts from the
 *   mail and sees that region's verification queue, not another's; the admin widens the regions and
 *   the coordinator then sees both; a second coordinator is removed.
 * - A member of an organisation (every member manages it) invites a member and another address in
 *   Spanish at 360 px, withdraws the second invitation; the first link joins, the withdrawn one
 *   refuses and says why.
 * - Both pages pass the accessibility checks at 360 and 1280 px, in the four languages.
 */
import { Mailpit, type RunningSystem, startSystem, testEnv, toQuery } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, PASSWORD } from './cast';
import { checkA11y, checkFocusVisible } from './checks';
import { launch } from './harness';
import { type Lang, open, pick, setLanguage, signIn, signOut } from './story';

const env = testEnv();
const mailpit = new Mailpit(env.mailpitUrl);
let browser: Browser;
let sys: RunningSystem;
beforeAll(async () => {
  [browser, sys] = await Promise.all([launch(), startSystem(env)]);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

async function newPage(width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return page;
}

/** An address of this run's own, so that its mails are found among every file's. */
const address = (label: string) => `${env.unique(label)}@admin.example`.toLowerCase();

/** The invitation link of the newest mail to `email`, as the mail carries it (token in the fragment). */
async function invitationLink(email: string): Promise<{ subject: string; token: string }> {
  const [summary] = await mailpit.waitFor(toQuery(email));
  if (!summary) throw new Error(`no mail to ${email}`);
  const mail = await mailpit.message(summary.ID);
  const token = /#\/invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.Text)?.[1];
  if (!token) throw new Error(`no invitation link in the mail to ${email}: ${mail.Text}`);
  return { subject: mail.Subject, token };
}

/** An organisation registered with its first member and left waiting for verification. */
async function registerPending(name: string, country: string, member: string): Promise<string> {
  const res = await call<{ organisation: { id: string } }>(
    sys.webUrl,
    'POST',
    '/api/profiles/organisations/register',
    undefined,
    {
      organisation: {
        name,
        kind: 'sse-entity',
        sseForm: 'cooperative',
        country,
        languages: ['fr', 'en'],
        sectors: ['23231'],
        description: 'Solar kiosks run by their members.',
        contact: { email: `contact-${member}` },
      },
      member: { name: `Member of ${name}`, email: member, password: PASSWORD },
    },
  );
  return res.organisation.id;
}

/** Accepts an invitation from its link with a name and a password; returns the page's answer state. */
async function accept(page: Page, token: string, name: string): Promise<void> {
  await page.goto(`${sys.webUrl}/#/invitation?token=${token}`);
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('main form button[type=submit]').click();
}

const coordinatorCard = (page: Page, email: string) =>
  page.locator(`[data-coordinator][data-email="${email}"]`);

describe('coordinators and their regions', () => {
  it('the admin invites a coordinator for Western Africa in French, who accepts from the mail and sees that region’s queue', async () => {
    const label = env.unique('fr');
    const inWestAfrica = `Coopérative Bissau ${label}`;
    const inSouthAmerica = `Cooperativa Quito ${label}`;
    await Promise.all([
      registerPending(inWestAfrica, 'GW', address('gw')),
      registerPending(inSouthAmerica, 'EC', address('ec')),
    ]);
    const coordinator = address('coordinator');
    const leaving = address('leaving');
    const admin = await newPage(1280);
    const other = await newPage(1280);
    try {
      await signIn(admin, sys.webUrl, sys.admin.email, sys.admin.password);
      await setLanguage(admin, 'fr');
      await admin.locator('nav a[href="#/coordinators"]').click();
      await admin.locator('main h1').getByText('Coordinateurs et leurs régions').waitFor();

      // Invite: a field left empty is named, nothing is sent.
      const form = admin.locator('form[data-form=new-coordinator]');
      await form.locator('input[name=name]').fill('Awa Diallo');
      await form.locator('input[name=email]').fill(coordinator);
      await form.locator('[data-action=invite]').click();
      await form.locator('[data-path=regions] .field-error').waitFor();
      expect(
        await form.locator('[data-path=regions] input[role=combobox]').getAttribute('aria-invalid'),
      ).toBe('true');
      await pick(admin, 'regions', 'afrique de l', 'Afrique de l’Ouest');
      expect(await form.locator('select[name=language]').inputValue()).toBe('fr');
      await form.locator('[data-action=invite]').click();
      await admin
        .locator('main [role=status]')
        .getByText(`Une invitation a été envoyée à ${coordinator}.`)
        .waitFor();
      const card = coordinatorCard(admin, coordinator);
      expect(await card.locator('.tag').textContent()).toBe('Invitation envoyée');
      expect(await card.locator('[data-regions]').textContent()).toContain('Afrique de l’Ouest');

      // The coordinator, in another browser, from the mail (written in French).
      const mail = await invitationLink(coordinator);
      expect(mail.subject).toMatch(/Invitation à coordonner/);
      await other.goto(`${sys.webUrl}/#/signin`);
      await setLanguage(other, 'fr');
      await accept(other, mail.token, 'Awa Diallo');
      await other.locator('[data-state=done]').waitFor();
      await signIn(other, sys.webUrl, coordinator, PASSWORD);
      await open(other, '#/verification');
      await other.locator('[data-organisation]', { hasText: inWestAfrica }).waitFor();
      expect(await other.locator('[data-organisation]', { hasText: inSouthAmerica }).count()).toBe(0);

      // The admin sees the invitation accepted, and widens the regions.
      await open(admin, '#/coordinators');
      expect(await card.locator('.tag').textContent()).toBe('Actif');
      await card.locator('[data-action=edit-regions]').click();
      await pick(admin, 'edit-regions', 'amérique du s', 'Amérique du Sud');
      await card.locator('[data-action=save-regions]').click();
      await card.locator('[data-regions]').getByText('Amérique du Sud', { exact: false }).waitFor();
      // The coordinator's next sign-in carries both regions.
      await signOut(other);
      await signIn(other, sys.webUrl, coordinator, PASSWORD);
      await open(other, '#/verification');
      await other.locator('[data-organisation]', { hasText: inSouthAmerica }).waitFor();
      await other.locator('[data-organisation]', { hasText: inWestAfrica }).waitFor();

      // A second coordinator, removed: gone from the list, after a reload too.
      const form2 = admin.locator('form[data-form=new-coordinator]');
      await form2.locator('input[name=name]').fill('Kofi Mensah');
      await form2.locator('input[name=email]').fill(leaving);
      await pick(admin, 'regions', 'afrique de l', 'Afrique de l’Ouest');
      await form2.locator('[data-action=invite]').click();
      const leavingCard = coordinatorCard(admin, leaving);
      await leavingCard.locator('[data-action=remove]').click();
      // Nothing happens before it is confirmed; cancelling keeps the coordinator.
      await leavingCard.locator('[data-action=cancel]').click();
      await leavingCard.locator('[data-action=remove]').click();
      await leavingCard.locator('[data-action=confirm-remove]').click();
      await leavingCard.getByText('Kofi Mensah n’est plus coordinateur.').waitFor();
      await open(admin, '#/coordinators');
      await card.waitFor();
      expect(await coordinatorCard(admin, leaving).count()).toBe(0);
    } finally {
      await admin.context().close();
      await other.context().close();
    }
  });
});

describe('members and invitations of an organisation', () => {
  it('a member invites two addresses in Spanish at 360 px, withdraws one: the first link joins, the withdrawn one refuses', async () => {
    const owner = address('owner');
    await registerPending(`Cooperativa Manager ${env.unique('es')}`, 'GW', owner);
    const [joining, withdrawn] = [address('joining'), address('withdrawn')];
    const page = await newPage(360);
    const invitee = await newPage(360);
    try {
      await signIn(page, sys.webUrl, owner, PASSWORD);
      await setLanguage(page, 'es');
      await page.locator('nav a[href="#/members"]').click();
      await page.locator('main h1').getByText('Miembros de', { exact: false }).waitFor();
      await page.locator(`#members [data-email="${owner}"]`).waitFor();
      expect(await page.locator('#invitations').textContent()).toContain('No hay invitaciones pendientes.');

      const form = page.locator('form[data-form=invite]');
      // A wrong address is named at its field and nothing is sent.
      await form.locator('input[name=email]').fill('not an address');
      await form.locator('[data-action=invite]').click();
      await form.locator('[data-path=email] .field-error').waitFor();
      expect(await page.locator('#invitations [data-invitation]').count()).toBe(0);
      for (const email of [joining, withdrawn]) {
        await form.locator('input[name=email]').fill(email);
        await form.locator('[data-action=invite]').click();
        await page.locator(`#invitations [data-email="${email}"]`).waitFor();
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.locator(`#invitations [data-email="${withdrawn}"] [data-action=revoke]`).click();
      await page
        .locator('#invitations')
        .getByText(`Se anuló la invitación a ${withdrawn}: su enlace ya no funciona.`)
        .waitFor();
      await open(page, '#/members');
      await page.locator(`#invitations [data-email="${joining}"]`).waitFor();
      expect(await page.locator(`#invitations [data-email="${withdrawn}"]`).count()).toBe(0);

      // The withdrawn link refuses and says why; the other joins.
      await invitee.goto(`${sys.webUrl}/#/signin`);
      await setLanguage(invitee, 'es');
      const gone = await invitationLink(withdrawn);
      await accept(invitee, gone.token, 'Nadie');
      await invitee
        .locator('main .form-error')
        .getByText('Esta invitación fue anulada. Pida una nueva a la persona que le invitó.')
        .waitFor();
      const welcome = await invitationLink(joining);
      await accept(invitee, welcome.token, 'Lucía');
      await invitee.locator('[data-state=done]').waitFor();
      await open(page, '#/members');
      await page.locator(`#members [data-email="${joining}"]`).waitFor();
      expect(await page.locator(`#invitations [data-email="${joining}"]`).count()).toBe(0);

      // The newcomer is removed; the owner, then the last member, cannot be.
      const newcomer = page.locator(`#members [data-email="${joining}"]`);
      await newcomer.locator('[data-action=remove]').click();
      await newcomer.locator('[data-action=confirm-remove]').click();
      await expect.poll(() => page.locator(`#members [data-email="${joining}"]`).count()).toBe(0);
      const self = page.locator(`#members [data-email="${owner}"]`);
      await self.locator('[data-action=remove]').click();
      await self.locator('[data-action=confirm-remove]').click();
      await self
        .locator('.error')
        .getByText(/last member/)
        .waitFor();
      await open(page, '#/members');
      await page.locator(`#members [data-email="${owner}"]`).waitFor();
    } finally {
      await page.context().close();
      await invitee.context().close();
    }
  });
});

describe('the admin pages pass the accessibility checks', () => {
  const CASES: [Lang, number][] = [
    ['en', 1280],
    ['fr', 360],
    ['es', 1280],
    ['pt', 360],
  ];
  it.each(CASES)(
    'in %s at %i px: coordinators, an organisation’s members, the admin’s choice of organisation',
    async (lang, width) => {
      const owner = address(`a11y-${lang}`);
      const orgId = await registerPending(`Cooperativa A11y ${env.unique(lang)}`, 'GW', owner);
      const page = await newPage(width);
      try {
        await signIn(page, sys.webUrl, sys.admin.email, sys.admin.password);
        await setLanguage(page, lang);
        for (const hash of ['#/coordinators', `#/members?org=${orgId}`, '#/members']) {
          await open(page, hash);
          await page.locator('main .cards').first().waitFor();
          await page.waitForLoadState('networkidle');
          expect(await checkA11y(page), hash).toEqual([]);
          expect(await checkFocusVisible(page, 25), hash).toEqual([]);
          expect(await page.evaluate(() => document.documentElement.scrollWidth), hash).toBeLessThanOrEqual(
            width,
          );
        }
        await signOut(page);
        await signIn(page, sys.webUrl, owner, PASSWORD);
        await open(page, '#/members');
        await page.locator('#members [data-member]').waitFor();
        await page.waitForLoadState('networkidle');
        expect(await checkA11y(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      } finally {
        await page.context().close();
      }
    },
  );
});
