/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so this file sees the DOM types.
/**
 * The impact page in headless Chromium against the running system with the demo's partnerships
 * and reports (`mutirao outcomes`, as `npm start -- --demo` makes them), then the page's figures,
 * in each language and at 360 and 1280 px, checked against the API's JSON and CSV.
 */
import { demoOutcomes, type OutcomeSummary } from '@mutirao/cli';
import { type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y } from '../../web/test/checks';
import { launch } from '../../web/test/harness';
import { SystemSteps } from './system-steps';

const env = testEnv();
let browser: Browser;
let system: RunningSystem;
let steps: SystemSteps;
let demo: OutcomeSummary;

type Figures = Record<string, number> & { key: string };
interface Impact {
  totals: Figures;
  byRegion: Figures[];
  byResourceType: Figures[];
  bySdg: Figures[];
  byModality: Figures[];
  byQuarter: Figures[];
}

beforeAll(async () => {
  [browser, system] = await Promise.all([launch(), startSystem(env)]);
  steps = new SystemSteps(system, env);
  // The demo's own generator, on the public sample: top-ranked proposals agreed by a member of
  // every party, then every party's reports filed.
  await steps.sampleProposals();
  demo = await demoOutcomes(steps.admin, { count: 6 });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

async function openImpact(lang: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addInitScript((l) => localStorage.setItem('mutirao.lang', l), lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  await page.goto(`${system.webUrl}/#/impact`);
  await page.locator('[data-figure="partnerships"]').waitFor();
  return page;
}

/** The digits of a number as the page formats it in its language ("1 234", "1.234", "1,234"). */
const digits = (s: string | null | undefined) => Number((s ?? '').replace(/\D/g, ''));

describe('the impact page', () => {
  it.each([
    ['en', 1280],
    ['fr', 360],
    ['es', 360],
    ['pt', 1280],
  ] as const)('shows the API’s figures, in %s at %i px, to anyone', async (lang, width) => {
    const figures = (await steps.call<Impact>('GET', '/api/followup/impact')).body;
    expect(demo.agreed).toBeGreaterThanOrEqual(3);
    expect(figures.totals.partnerships).toBe(demo.agreed);
    expect(figures.totals.reports).toBe(demo.reports);
    const page = await openImpact(lang, width);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    for (const m of ['partnerships', 'triads', 'reports', 'peopleTrained', 'membersReached', 'jobsCreated']) {
      const shown = await page.locator(`[data-figure="${m}"]`).textContent();
      expect(digits(shown), `${lang}: ${m}`).toBe(figures.totals[m]);
    }
    const cells = async (dimension: string) =>
      page.$$eval(`table[data-dimension="${dimension}"] [data-key]`, (els) =>
        els.map((e) => [e.getAttribute('data-key'), e.textContent ?? '']),
      );
    for (const dim of ['byRegion', 'byResourceType', 'bySdg', 'byModality', 'byQuarter'] as const)
      expect(
        (await cells(dim)).map(([k, v]) => [k, digits(v)]),
        `${lang}: ${dim}`,
      ).toEqual(figures[dim].map((f) => [f.key, f.partnerships]));
    // Another measure: the bars and numbers follow it.
    await page.locator('.measure select').selectOption('peopleTrained');
    await page.locator('[data-measure="peopleTrained"]').first().waitFor();
    expect((await cells('byModality')).map(([k, v]) => [k, digits(v)])).toEqual(
      figures.byModality.map((f) => [f.key, f.peopleTrained]),
    );
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await checkA11y(page)).toEqual([]);
    await page.context().close();
  });

  it('offers the same figures as CSV', async () => {
    const figures = (await steps.call<Impact>('GET', '/api/followup/impact')).body;
    const res = await fetch(`${system.webUrl}/api/followup/impact.csv`);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (await res.text()).trim().split('\r\n');
    const header = (rows[0] ?? '').split(',');
    const totals = (rows.find((r) => r.startsWith('totals,')) ?? '').split(',');
    for (const [i, column] of header.entries())
      if (i > 1) expect(Number(totals[i]), column).toBe(figures.totals[column as string]);
    expect(rows.filter((r) => r.startsWith('byRegion,')).map((r) => r.split(',')[1])).toEqual(
      figures.byRegion.map((f) => f.key),
    );
  });
});
