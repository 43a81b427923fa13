/**
 * Screenshots of the main pages at 360 px and 1280 px, into docs/screenshots/.
 * Run from the repository root: `npx tsx services/web/test/screenshots.ts`.
 * Uses the upstream stubs, seeded through the same story steps as the browser tests.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launch, startWeb } from './harness';
import { open, postNeed, postOffer, reviewApprove, setLanguage, signIn, signOut } from './story';
import { PASSWORD, startStubs } from './stubs';

const OUT = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const WIDTHS = [360, 1280];

async function shoot(
  browser: Browser,
  url: string,
  name: string,
  who: string | null,
  hash: string,
  lang = 'en',
) {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
    const page: Page = await context.newPage();
    if (who) await signIn(page, url, who, PASSWORD);
    else await page.goto(`${url}/`);
    if (lang !== 'en') await setLanguage(page, lang as 'pt');
    await open(page, hash);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${OUT}${name}-${width}.png`, fullPage: true });
    await context.close();
  }
  console.log(`docs/screenshots/${name}-{${WIDTHS.join(',')}}.png`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const stubs = await startStubs();
  const web = await startWeb(stubs.urls);
  const browser = await launch();
  try {
    // Seed through the interface: a need and two offers, so the queue has a proposal to review.
    const seedPage = await (await browser.newContext()).newPage();
    await signIn(seedPage, web.url, 'entity@example.org', PASSWORD);
    await postNeed(seedPage, {
      type: 'technology',
      title: 'Solar kiosks for 40 villages',
      description: 'Our members run solar charging kiosks and want to add micro-grids.',
      sector: { typed: 'solar', choose: /Solar energy/ },
      sdg: '7',
    });
    await signOut(seedPage);
    await signIn(seedPage, web.url, 'partner@example.org', PASSWORD);
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

    await shoot(browser, web.url, 'sign-in', null, '#/signin');
    await shoot(browser, web.url, 'review', 'coordinator@example.org', '#/review');
    await shoot(browser, web.url, 'review-pt', 'coordinator@example.org', '#/review', 'pt');
    await shoot(browser, web.url, 'verification', 'coordinator@example.org', '#/verification');
    await shoot(browser, web.url, 'dashboard', 'coordinator@example.org', '#/dashboard');
    await shoot(browser, web.url, 'postings', 'entity@example.org', '#/postings');
    await shoot(browser, web.url, 'need-form', 'entity@example.org', '#/needs/new');
    await shoot(browser, web.url, 'offer-form', 'partner@example.org', '#/offers/new');

    await signIn(seedPage, web.url, 'coordinator@example.org', PASSWORD);
    await reviewApprove(seedPage, 'Solar micro-grid know-how');
    await seedPage.context().close();
    await shoot(browser, web.url, 'proposals', 'entity@example.org', '#/proposals');
    await shoot(browser, web.url, 'organisation', 'entity@example.org', '#/organisation');
  } finally {
    await browser.close();
    await web.stop();
    await stubs.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
