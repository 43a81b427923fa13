/**
 * Screenshots of the main pages at 360 px and 1280 px, into docs/screenshots/ (or SCREENSHOTS_DIR).
 * Run from the repository root, with Kafka, FerretDB and Mailpit running (`corepack pnpm infra:up`,
 * or KAFKA_BROKERS, MONGO_URL and SMTP_HOST): `npx tsx services/web/test/screenshots.ts`.
 * Starts the real system on free ports with databases and topics of its own, sets up its people
 * through the APIs (`cast.ts`) and seeds the postings through the same story steps as the tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually, startSystem, type TestEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { call, inbox, PASSWORD, seedCast, signInApi } from './cast';
import { launch } from './harness';
import { open, openUntil, postNeed, postOffer, reviewApprove, setLanguage, signIn, signOut } from './story';

const OUT = process.env.SCREENSHOTS_DIR
  ? `${process.env.SCREENSHOTS_DIR.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const WIDTHS = [360, 1280];

/** Names of this run's own, like `testEnv()` gives a test file (which needs vitest to run). */
function screenshotEnv(): TestEnv {
  const id = randomBytes(4).toString('hex');
  return {
    kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    mongoUrl: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    smtp: { host: process.env.SMTP_HOST ?? '127.0.0.1', port: Number(process.env.SMTP_PORT ?? 1025) },
    mailpitUrl: process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025',
    dbName: `shots_${id}`,
    topicPrefix: `shots${id}`,
    unique: (label) => `${label}-${id}-${randomBytes(3).toString('hex')}`,
  };
}

/** Who is signed in: an address with the cast's password, or an address and its password. */
type Who = string | [email: string, password: string] | null;

async function shoot(browser: Browser, url: string, name: string, who: Who, hash: string, lang = 'en') {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
    const page: Page = await context.newPage();
    if (typeof who === 'string') await signIn(page, url, who, PASSWORD);
    else if (who) await signIn(page, url, ...who);
    else await page.goto(`${url}/`);
    if (lang !== 'en') await setLanguage(page, lang as 'pt');
    await open(page, hash);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${OUT}${name}-${width}.png`, fullPage: true });
    await context.close();
  }
  console.log(`${OUT}${name}-{${WIDTHS.join(',')}}.png`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const [system, browser] = await Promise.all([startSystem(screenshotEnv()), launch()]);
  const url = system.webUrl;
  try {
    const cast = await seedCast(system, 'shots');
    // Seed through the interface: a need and two offers, so the queue has proposals to review.
    const seedPage = await (await browser.newContext()).newPage();
    await signIn(seedPage, url, cast.entity.email, PASSWORD);
    await postNeed(seedPage, {
      type: 'technology',
      title: 'Solar kiosks for 40 villages',
      description: 'Our members run solar charging kiosks and want to add micro-grids.',
      sector: { typed: 'solar', choose: /Solar energy/ },
      sdg: '7',
    });
    await signOut(seedPage);
    await signIn(seedPage, url, cast.partner.email, PASSWORD);
    await postOffer(seedPage, {
      types: ['technology'],
      instrument: 'technical-assistance',
      title: 'Solar micro-grid know-how',
      capacity: 3,
    });
    await postOffer(seedPage, {
      types: ['technology', 'capacity-building'],
      instrument: 'training',
      title: 'Training for solar technicians',
      capacity: 5,
    });
    await signOut(seedPage);

    // Wait for matching to propose both pairings before the review page is shot.
    await signIn(seedPage, url, cast.coordinator, PASSWORD);
    await reviewProposalsShown(seedPage, ['Solar micro-grid know-how', 'Training for solar technicians']);
    await signOut(seedPage);

    // An organisation waiting for verification, asked a question by the coordinator.
    const pending = 'member-shots@baobab.example';
    const registered = await call<{ organisation: { id: string } }>(
      url,
      'POST',
      '/api/profiles/organisations/register',
      undefined,
      {
        organisation: {
          name: 'Mutuelle de santé Baobab',
          kind: 'sse-entity',
          sseForm: 'mutual',
          country: 'SN',
          languages: ['fr', 'wo'],
          sectors: ['12220'],
          description: 'A health mutual of 600 market women in Thiès.',
          contact: { email: 'contact@baobab.example', phone: '+221 33 000 00 00' },
        },
        member: { name: 'Awa Sow', email: pending, password: PASSWORD },
      },
    );
    await call(
      url,
      'POST',
      `/api/profiles/organisations/${registered.organisation.id}/verification/questions`,
      await signInApi(url, cast.coordinator, PASSWORD),
      { question: 'Please send the minutes of your last general assembly.' },
    );

    await shoot(browser, url, 'sign-in', null, '#/signin');
    await shoot(browser, url, 'register-pt', null, '#/register', 'pt');
    await shoot(browser, url, 'organisation-pending', pending, '#/organisation');
    await shoot(browser, url, 'coordinators', [system.admin.email, system.admin.password], '#/coordinators');
    await shoot(browser, url, 'review', cast.coordinator, '#/review');
    await shoot(browser, url, 'review-pt', cast.coordinator, '#/review', 'pt');
    await shoot(browser, url, 'verification', cast.coordinator, '#/verification');
    await shoot(browser, url, 'dashboard', cast.coordinator, '#/dashboard');
    await shoot(browser, url, 'postings', cast.entity.email, '#/postings');
    await shoot(browser, url, 'need-form', cast.entity.email, '#/needs/new');
    await shoot(browser, url, 'offer-form', cast.partner.email, '#/offers/new');

    await signIn(seedPage, url, cast.coordinator, PASSWORD);
    await reviewApprove(seedPage, 'Solar micro-grid know-how');
    // A question on the other proposal, answered by the cooperative: back in the queue beside it.
    await askAndAnswer(seedPage, url, cast.entity.email, 'Training for solar technicians');
    await seedPage.context().close();
    await shoot(browser, url, 'review-question', cast.coordinator, '#/review?status=info-provided');
    await shoot(browser, url, 'proposals', cast.entity.email, '#/proposals');
    await shoot(browser, url, 'organisation', cast.entity.email, '#/organisation');

    // The approval reaches the entity's notifications a moment later.
    const member = await signInApi(url, cast.entity.email, PASSWORD);
    await eventually(
      async () => (await inbox(url, member)).items.some((i) => i.kind === 'proposal-approved'),
      {
        what: 'the approval in the notifications',
      },
    );
    await shoot(browser, url, 'notifications-pt', cast.entity.email, '#/notifications', 'pt');
    await shoot(browser, url, 'notification-settings', cast.entity.email, '#/notifications?tab=preferences');
  } finally {
    await browser.close();
    await system.stop();
  }
}

/** The coordinator (signed in on `page`) asks the need's organisation about a proposal; its member answers. */
async function askAndAnswer(page: Page, url: string, member: string, offer: string) {
  const card = await openUntil(
    page,
    '#/review',
    (p) =>
      p.locator('[data-proposal]', { hasText: offer }).filter({ has: p.locator('[data-action=ask-info]') }),
    offer,
  );
  const held = page.locator(`[data-proposal="${await card.getAttribute('data-proposal')}"]`);
  await held.locator('[data-action=ask-info]').click();
  await held
    .locator('form[data-form=ask] textarea[name=note]')
    .fill('How many technicians would you send, and could they travel to Kigali?');
  await held.locator('[data-action=send-question]').click();
  await held.locator('.result.st-info-requested').waitFor();
  await signOut(page);
  await signIn(page, url, member, PASSWORD);
  const asked = await openUntil(
    page,
    '#/proposals',
    (p) => p.locator('[data-proposal]').filter({ has: p.locator('textarea[name=text]') }),
    'the question to answer',
  );
  // Held by its id: once answered, it has no answer form.
  const mine = page.locator(`[data-proposal="${await asked.getAttribute('data-proposal')}"]`);
  await mine
    .locator('textarea[name=text]')
    .fill('Four technicians, two of them women; yes, in the dry season.');
  await mine.locator('[data-action=send-answer]').click();
  await mine.locator('[data-answer]').waitFor();
  await signOut(page);
}

async function reviewProposalsShown(page: Page, titles: string[]) {
  for (const title of titles)
    await openUntil(page, '#/review', (p) => p.locator('[data-proposal]', { hasText: title }), title);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
