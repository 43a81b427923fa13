/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so these files see the DOM types.
/**
 * The web app in headless Chromium against the real system: profiles, exchange, matching and web
 * started as `npm start` starts them (`startSystem`), on this file's own databases and topics.
 * The people of each story are set up through the HTTP APIs (`cast.ts`); the story itself (post,
 * review, accept, see the contact) goes through the browser with the steps of `story.ts`.
 */
import { AccessEventSchemas, Topics, topicName } from '@mutirao/contracts';
import { consume, createKafka, type RunningConsumer } from '@mutirao/messaging';
import { createLogger } from '@mutirao/telemetry';
import { eventually, type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cast,
  call,
  inbox,
  PASSWORD,
  seedCast,
  seedNotifications,
  seedProposals,
  signInApi,
} from './cast';
import { checkA11y, checkFocusVisible, transferredBytes } from './checks';
import { launch } from './harness';
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
    // Each story has people of its own; their postings work in the UI's language (the form's
    // default), so the other story's postings never match them.
    const cast = await seedCast(sys, `${lang}-story`);
    const page = await newPage(lang === 'pt' ? 360 : 1280);
    const url = sys.webUrl;
    try {
      const w = WORDS[lang];
      await signIn(page, url, cast.entity.email, PASSWORD);
      await setLanguage(page, lang);
      await postNeed(page, {
        type: 'technology',
        title: w.need,
        description: 'Solar kiosks run by cooperative members',
        sector: { typed: w.sector[0], choose: w.sector[1] },
        sdg: '7',
      });
      await signOut(page);

      await signIn(page, url, cast.partner.email, PASSWORD);
      await postOffer(page, {
        types: ['technology'],
        instrument: 'technical-assistance',
        title: w.offer,
        capacity: 2,
      });
      await signOut(page);

      await signIn(page, url, cast.coordinator, PASSWORD);
      await reviewApprove(page, w.offer);
      await signOut(page);

      await signIn(page, url, cast.entity.email, PASSWORD);
      await acceptProposal(page, w.offer);
      await signOut(page);

      await signIn(page, url, cast.partner.email, PASSWORD);
      await acceptProposal(page, w.offer);
      expect(await partnerContact(page, w.offer)).toContain(cast.entity.contact);
      await signOut(page);

      await signIn(page, url, cast.entity.email, PASSWORD);
      expect(await partnerContact(page, w.offer)).toContain(cast.partner.contact);
      // The interface stayed in the chosen language throughout (it is remembered).
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});

describe('the interface', () => {
  let cast: Cast;
  beforeAll(async () => {
    // Pages with something on them: one proposal waiting for review, one approved for the parties.
    cast = await seedCast(sys, 'ui');
    await seedProposals(sys, cast);
  });

  it('changes every string and vocabulary label with the language', async () => {
    const page = await newPage();
    await signIn(page, sys.webUrl, cast.coordinator, PASSWORD);
    await page.goto(`${sys.webUrl}/#/review`);
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
    await signIn(page, sys.webUrl, cast.entity.email, PASSWORD);
    await setLanguage(page, 'pt');
    await page.goto(`${sys.webUrl}/#/needs/new`);
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
    await signIn(page, sys.webUrl, cast.entity.email, PASSWORD);
    await page.goto(`${sys.webUrl}/#/needs/new`);
    // The form starts with the organisation's working languages: take every one away.
    const chips = page.locator('.picker[data-name="workingLanguages"] .chip-x');
    await chips.first().waitFor();
    while ((await chips.count()) > 0) await chips.first().click();
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
    await signIn(page, sys.webUrl, cast.coordinator, PASSWORD);
    // sessionStorage (the token) outlives navigation within the tab: leave the app, then come back.
    await page.goto('about:blank');
    const { total, byUrl } = await transferredBytes(page, async () => {
      await page.goto(`${sys.webUrl}/#/review`);
      await page.locator('[data-proposal], .queue').first().waitFor({ state: 'attached' });
      await page.locator('h1').waitFor();
    });
    console.log(`review page: ${total} bytes transferred over ${byUrl.size} responses`);
    expect(byUrl.size).toBeGreaterThan(5);
    expect(total).toBeLessThanOrEqual(200 * 1024);
    await page.context().close();
  });

  const PAGES: [string, '' | 'coordinator' | 'entity' | 'partner', string][] = [
    ['sign-in', '', '#/signin'],
    ['forgotten password', '', '#/forgot-password'],
    ['new password', '', `#/reset-password?token=${'x'.repeat(43)}`],
    ['invitation', '', `#/invitation?token=${'x'.repeat(43)}`],
    ['review', 'coordinator', '#/review'],
    ['verification', 'coordinator', '#/verification'],
    ['dashboard', 'coordinator', '#/dashboard'],
    ['postings', 'entity', '#/postings'],
    ['need form', 'entity', '#/needs/new'],
    ['offer form', 'partner', '#/offers/new'],
    ['proposals', 'entity', '#/proposals'],
    ['organisation', 'entity', '#/organisation'],
  ];
  it.each(PAGES)('%s passes the accessibility checks at 360 px', async (_name, who, hash) => {
    const page = await newPage(360);
    if (who)
      await signIn(page, sys.webUrl, who === 'coordinator' ? cast.coordinator : cast[who].email, PASSWORD);
    else await page.goto(`${sys.webUrl}/`);
    await page.goto(`${sys.webUrl}/${hash}`);
    await page.locator('main h1').waitFor();
    // The pages that list proposals are checked with one on them (seeded above).
    if (hash === '#/review' || hash === '#/proposals')
      await page.locator('[data-proposal]').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(await checkA11y(page)).toEqual([]);
    expect(await checkFocusVisible(page, 25)).toEqual([]);
    // Usable at 360 px: nothing forces a horizontal scroll.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.context().close();
  });
});

describe('the links the mails carry', () => {
  // The mails themselves are the notifications service's (issue 14): the test reads the tokens
  // where that service will, on the access topic of this system.
  const mailed: { email: string; token: string }[] = [];
  let reader: RunningConsumer;
  beforeAll(async () => {
    reader = await consume({
      kafka: createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('mail-reader') }),
      groupId: env.unique('mail-reader'),
      topics: [topicName(Topics.access, env.topicPrefix)],
      schemas: AccessEventSchemas,
      logger: createLogger('mail-reader', 'silent'),
      handler: async (e) => {
        const d = e.data as { reset?: { email: string; token: string } };
        if (d.reset) mailed.push({ email: d.reset.email, token: d.reset.token });
      },
    });
  });
  afterAll(async () => {
    await reader?.stop();
  });

  it('a member who forgot the password asks for a link at 360 px, sets a new password with it, and signs in', async () => {
    const cast = await seedCast(sys, 'forgot');
    const email = cast.entity.email;
    const page = await newPage(360);
    try {
      await page.goto(`${sys.webUrl}/#/signin`);
      await setLanguage(page, 'fr');
      await page.locator('#forgot').click();
      await page.locator('main h1').getByText('Réinitialiser votre mot de passe').waitFor();
      await page.locator('input[name=email]').fill(email);
      await page.locator('main form button[type=submit]').click();
      await page.locator('[data-state=sent]').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      const { token } = await eventually(() => mailed.find((m) => m.email === email), {
        what: `the reset mail of ${email}`,
      });
      // The link as the mail carries it.
      await page.goto(`${sys.webUrl}/#/reset-password?token=${token}`);
      await page.locator('input[name=password]').fill('a new and long password');
      await page.locator('input[name=confirm]').fill('not the same password');
      await page.locator('main form button[type=submit]').click();
      expect(await page.locator('[data-path=confirm] .field-error').textContent()).toBe(
        'Les deux mots de passe ne sont pas identiques.',
      );
      await page.locator('input[name=confirm]').fill('a new and long password');
      await page.locator('main form button[type=submit]').click();
      await page.locator('[data-state=done]').waitFor();
      expect(await checkA11y(page)).toEqual([]);
      await page.locator('main a[href^="#/signin"]').click();
      expect(await page.locator('input[name=email]').inputValue()).toBe(email);
      await page.locator('input[name=password]').fill('a new and long password');
      await page.locator('main form button[type=submit]').click();
      await page.locator('#signout').waitFor();

      // The link works once.
      await signOut(page);
      await page.goto(`${sys.webUrl}/#/reset-password?token=${token}`);
      await page.locator('input[name=password]').fill('yet another long password');
      await page.locator('input[name=confirm]').fill('yet another long password');
      await page.locator('main form button[type=submit]').click();
      await expect.poll(() => page.locator('.form-error').textContent()).toMatch(/ne fonctionne plus/);
      await page.locator('main a[href="#/forgot-password"]').waitFor();
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('an invited colleague joins from the invitation link in the page’s language', async () => {
    const cast = await seedCast(sys, 'invite');
    const member = await signInApi(sys.webUrl, cast.entity.email, PASSWORD);
    const email = `colleague-${Date.now().toString(36)}@invite.test`;
    const inv = await call<{ token: string }>(
      sys.webUrl,
      'POST',
      `/api/profiles/organisations/${cast.entity.organisationId}/invitations`,
      member,
      { email },
    );
    const page = await newPage(360);
    try {
      await page.goto(`${sys.webUrl}/#/signin`);
      await setLanguage(page, 'es');
      await page.goto(`${sys.webUrl}/#/invitation?token=${inv.token}`);
      await page.locator('input[name=name]').fill('Bela');
      await page.locator('input[name=password]').fill('short');
      await page.locator('main form button[type=submit]').click();
      await page.locator('[data-path=password] .field-error').waitFor();
      await page.locator('input[name=password]').fill('a long enough password');
      await page.locator('main form button[type=submit]').click();
      await page.locator('[data-state=done]').waitFor();
      await page.locator('main a[href^="#/signin"]').click();
      await page.locator('input[name=password]').fill('a long enough password');
      await page.locator('main form button[type=submit]').click();
      await page.locator('#signout').waitFor();
      const me = await call<{ email: string; language: string }>(
        sys.webUrl,
        'GET',
        '/api/profiles/me',
        await signInApi(sys.webUrl, email, 'a long enough password'),
      );
      expect(me).toMatchObject({ email, language: 'es' });
    } finally {
      await page.context().close();
    }
  }, 60_000);
});

describe('the notifications', () => {
  let cast: Cast;
  let member: string;
  beforeAll(async () => {
    // A member with more notifications than one page holds (20), all made by the real system: the
    // admin revokes and verifies the organisation again eleven times, then a coordinator approves
    // a proposal for it.
    cast = await seedCast(sys, 'bell');
    await seedNotifications(sys, cast, 11);
    await seedProposals(sys, cast);
    member = await signInApi(sys.webUrl, cast.entity.email, PASSWORD);
    await eventually(
      async () => (await inbox(sys.webUrl, member)).items.some((i) => i.kind === 'proposal-approved'),
      {
        what: 'the approval in the member’s notifications',
      },
    );
  }, 120_000);

  // Before the story below marks them read: the list is checked with a page of unread items on it
  // and more to show.
  const VIEWS: [string, string, number][] = [
    ['list', '#/notifications', 360],
    ['list', '#/notifications', 1280],
    ['settings', '#/notifications?tab=preferences', 360],
    ['settings', '#/notifications?tab=preferences', 1280],
  ];
  it.each(VIEWS)('the %s (%s) passes the accessibility checks at %s px', async (_name, hash, width) => {
    const page = await newPage(width);
    try {
      await signIn(page, sys.webUrl, cast.entity.email, PASSWORD);
      await page.goto(`${sys.webUrl}/${hash}`);
      await page.locator('main h1').waitFor();
      if (hash === '#/notifications') await page.locator('[data-notification]').first().waitFor();
      else await page.locator('fieldset[data-kind]').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await checkA11y(page)).toEqual([]);
      expect(await checkFocusVisible(page, 25)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    } finally {
      await page.context().close();
    }
  });

  it('a member sees the count on the bell, reads the list in Portuguese at 360 px, opens one, marks all read and keeps a changed setting', async () => {
    const before = await inbox(sys.webUrl, member);
    const n = before.unreadCount;
    expect(before.items.length).toBeGreaterThan(20);
    expect(n).toBe(before.items.length);
    const page = await newPage(360);
    try {
      await signIn(page, sys.webUrl, cast.entity.email, PASSWORD);
      await setLanguage(page, 'pt');
      const bell = page.locator('#bell');
      await expect.poll(() => bell.getAttribute('aria-label')).toBe(`Notificações, ${n} não lidas`);
      expect(await bell.locator('.badge').textContent()).toBe(String(n));

      // Keyboard only: the bell is a link, Enter follows it.
      await bell.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#\/notifications$/);
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Notificações');
      const items = page.locator('[data-notification]');
      await expect.poll(() => items.count()).toBe(20);
      expect(await page.locator('.unread-summary').textContent()).toBe(`${n} não lidas`);
      // Unread in words as well as in colour.
      expect(await page.locator('.notice-item.unread .unread-tag').count()).toBe(20);
      expect(await page.locator('.notice-item.unread .unread-tag').first().textContent()).toBe('Não lida');
      // Dates in the UI's language.
      const first = before.items[0];
      const shown = await items.first().locator('time').textContent();
      expect(shown).toBe(
        await page.evaluate(
          (iso) =>
            new Intl.DateTimeFormat('pt', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
          first?.createdAt ?? '',
        ),
      );

      // The next page, with the cursor.
      await page.locator('[data-action=more]').click();
      await expect.poll(() => items.count()).toBe(before.items.length);
      expect(await page.locator('[data-action=more]').isHidden()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      expect(await checkA11y(page)).toEqual([]);

      // Opening the approval leads to the proposal, marks it read, and the bell counts one less.
      const approval = page.locator('[data-kind="proposal-approved"]').first();
      const id = await approval.getAttribute('data-notification');
      await approval.locator('a[data-action=open]').click();
      await page.waitForURL(/#\/proposals\?id=/);
      await page.locator('[data-proposal].wanted').waitFor();
      await expect.poll(() => bell.getAttribute('aria-label')).toBe(`Notificações, ${n - 1} não lidas`);
      expect((await inbox(sys.webUrl, member)).items.find((i) => i.id === id)?.read).toBe(true);
      await page.goBack();
      await page.waitForURL(/#\/notifications$/);
      const again = page.locator(`[data-notification="${id}"]`);
      await again.waitFor();
      expect(await again.getAttribute('class')).not.toContain('unread');
      expect(await page.locator('.unread-summary').textContent()).toBe(`${n - 1} não lidas`);

      // Mark all as read: nothing unread is left, and it is said.
      await page.locator('[data-action=read-all]').click();
      await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notificações, 0 não lida');
      expect(await bell.locator('.badge').isHidden()).toBe(true);
      expect(await page.locator('.notice-item.unread').count()).toBe(0);
      await expect
        .poll(() => page.locator('#live').textContent())
        .toBe('Todas as notificações foram marcadas como lidas.');
      expect((await inbox(sys.webUrl, member)).unreadCount).toBe(0);

      // The settings, by keyboard: reminders of proposals to the daily digest, saved, kept.
      await page.locator('[data-tab=preferences]').focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/tab=preferences$/);
      const reminders = page.locator('fieldset[data-kind="proposal-reminder"]');
      expect(await reminders.locator('legend').textContent()).toBe(
        'Lembretes de propostas que aguardam a sua resposta',
      );
      await reminders.locator('input:checked').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await reminders.locator('input:checked').getAttribute('value')).toBe('digest');
      await page.locator('[data-action=save]').focus();
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('.saved-status').textContent())
        .toBe('Suas escolhas foram salvas.');
      expect(await page.locator('.saved-status').getAttribute('role')).toBe('status');
      await page.reload();
      await expect
        .poll(() =>
          page.locator('fieldset[data-kind="proposal-reminder"] input:checked').getAttribute('value'),
        )
        .toBe('digest');
      expect(
        await page.locator('fieldset[data-kind="proposal-approved"] input:checked').getAttribute('value'),
      ).toBe('mail');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const prefs = await call<{ kinds: Record<string, string> }>(
        sys.webUrl,
        'GET',
        '/api/notifications/preferences',
        member,
      );
      expect(prefs.kinds['proposal-reminder']).toBe('digest');
    } finally {
      await page.context().close();
    }
  }, 90_000);

  it('shows the bell to staff too', async () => {
    const page = await newPage();
    try {
      await signIn(page, sys.webUrl, cast.coordinator, PASSWORD);
      await expect
        .poll(() => page.locator('#bell').getAttribute('aria-label'))
        .toMatch(/^Notifications, \d+ unread$/);
      await page.locator('#bell').click();
      await page.locator('main h1').getByText('Notifications').waitFor();
      // Nothing has happened in the coordinator's region yet: the empty state, with the way to the settings.
      await page.locator('main .empty').waitFor();
      // A coordinator chooses for the kinds told to coordinators.
      await page.locator('[data-tab=preferences]').click();
      await page.locator('fieldset[data-kind="need-unanswered"]').waitFor();
      expect(await page.locator('fieldset[data-kind="proposal-approved"]').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('asks for the count every 45 s while the tab is visible, never while it is hidden, and at once when it shows again', async () => {
    const page = await newPage();
    try {
      // The page's timers run on a clock the test moves.
      await page.clock.install();
      let asked = 0;
      page.on('request', (r) => {
        if (r.url().includes('/api/notifications/notifications?limit=1')) asked++;
      });
      await signIn(page, sys.webUrl, cast.partner.email, PASSWORD);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.locator('#bell').getAttribute('data-unread')).toMatch(/^\d+$/);
      const start = asked;
      await page.clock.runFor(46_000);
      await expect.poll(() => asked).toBe(start + 1);
      const visibility = (state: 'hidden' | 'visible') =>
        page.evaluate((s) => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
          document.dispatchEvent(new Event('visibilitychange'));
        }, state);
      await visibility('hidden');
      await page.clock.runFor(5 * 60_000);
      await page.waitForTimeout(500);
      expect(asked).toBe(start + 1);
      await visibility('visible');
      await expect.poll(() => asked).toBe(start + 2);
      await page.clock.runFor(46_000);
      await expect.poll(() => asked).toBe(start + 3);
    } finally {
      await page.context().close();
    }
  });
});
