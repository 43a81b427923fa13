/// <reference lib="dom" />
// Code passed to page.evaluate runs in the browser, so this file sees the DOM types.
/**
 * The partnerships page (`#/partnerships`, services/followup) in headless Chromium against the real
 * system. The cast's cooperative and its partner agree a proposal (approved by the coordinator,
 * accepted by both through the API, as in `cast.ts`), and the follow-up records the partnership.
 * A second partnership of the same parties, agreed a year ago, reaches the follow-up the way every
 * agreement does (matching's `proposal.agreed` event on the run's topic), so its reports are late.
 *
 * - The cooperative's member, in French at 360 px, files the 3-month report with a negative count:
 *   the API's error shows under that field and nothing is stored; fixed, the report is filed.
 * - The coordinator sees the late reports in the queue, reads the report and comments on it.
 * - The member sees the comment under the report.
 * - Both pages pass the accessibility checks at 360 px, in French and Portuguese.
 */
import { Topics, topicName } from '@mutirao/contracts';
import { createKafka, ensureTopics, makeEvent, publish } from '@mutirao/messaging';
import { eventually, type RunningSystem, startSystem, testEnv } from '@mutirao/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPairing } from '../../followup/test/factories';
import { type Cast, call, PASSWORD, seedCast, seedProposals, signInApi } from './cast';
import { checkA11y } from './checks';
import { launch } from './harness';
import { open, openUntil, pick, setLanguage, signIn } from './story';

interface Partnership {
  id: string;
  parties: { organisationId: string }[];
  reports: { organisationId: string; period: number; indicators: Record<string, unknown> }[];
  comments: { text: string; about?: { organisationId: string; period: number } }[];
}

const env = testEnv();
let browser: Browser;
let sys: RunningSystem;
let cast: Cast;
/** The partnership agreed during the run, and the one agreed a year ago. */
let current: string;
let earlier: string;
let member: string;
let coordinator: string;

beforeAll(async () => {
  [browser, sys] = await Promise.all([launch(), startSystem(env)]);
  cast = await seedCast(sys, 'follow');
  await seedProposals(sys, cast);
  const url = sys.webUrl;
  [member, coordinator] = await Promise.all([
    signInApi(url, cast.entity.email, PASSWORD),
    signInApi(url, cast.coordinator, PASSWORD),
  ]);
  const partner = await signInApi(url, cast.partner.email, PASSWORD);
  const mine = await call<{ items: { id: string; status: string; needId: string; offerIds: string[] }[] }>(
    url,
    'GET',
    '/api/matching/proposals/mine',
    member,
  );
  const approved = mine.items.find((p) => p.status === 'approved');
  if (!approved) throw new Error('no approved proposal for the cooperative');
  current = approved.id;
  for (const token of [member, partner])
    await call(url, 'POST', `/api/matching/proposals/${current}/accept`, token);

  // The earlier agreement, 400 days old (every period and its grace days past): matching's event as the follow-up reads it.
  earlier = `${current}-earlier`;
  const kafka = createKafka({ brokers: env.kafkaBrokers, clientId: env.unique('partnerships-test') });
  const topic = topicName(Topics.proposal, env.topicPrefix);
  await ensureTopics(kafka, [topic], 2);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const yearAgo = new Date(Date.now() - 400 * 864e5).toISOString();
  await publish(producer, [
    {
      topic,
      envelope: makeEvent({
        type: 'org.mutirao.matching.proposal.agreed',
        source: 'partnerships.browser.test',
        subject: earlier,
        data: {
          proposal: aPairing({
            id: earlier,
            updatedAt: yearAgo,
            needId: approved.needId,
            offerIds: approved.offerIds,
            needOrganisationId: cast.entity.organisationId,
            offerOrganisationIds: [cast.partner.organisationId],
            needCountry: 'GW',
            consents: { [cast.entity.organisationId]: 'accepted', [cast.partner.organisationId]: 'accepted' },
          }),
        },
      }),
    },
  ]);
  await producer.disconnect();
  for (const id of [current, earlier])
    await eventually(
      async () => {
        const r = await fetch(`${url}/api/followup/partnerships/${id}`, {
          headers: { authorization: `Bearer ${member}` },
        });
        return r.ok;
      },
      { what: `partnership ${id}`, timeoutMs: 30_000 },
    );
}, 240_000);
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

const partnership = (token: string, id: string) =>
  call<Partnership>(sys.webUrl, 'GET', `/api/followup/partnerships/${id}`, token);

describe('the partnerships page', () => {
  it('a member files a report, the coordinator comments on it and sees the late ones, the member reads the comment', async () => {
    const org = cast.entity.organisationId;
    const story = 'Twelve members learnt to maintain the solar kiosks; the market stays lit after dark.';

    // The member, in French at 360 px.
    const mp = await newPage(360);
    await signIn(mp, sys.webUrl, cast.entity.email, PASSWORD);
    await setLanguage(mp, 'fr');
    await open(mp, `#/partnerships?id=${current}`);
    const card = mp.locator(`[data-partnership="${current}"]`);
    await card.waitFor();
    await card.locator('[data-action=report][data-period="3"]').click();
    const form = card.locator('form.report-form');
    for (const [name, value] of <[string, string][]>[
      ['peopleTrained', '12'],
      ['membersReached', '140'],
      ['jobsCreated', '-3'],
      ['marketsGained', '1'],
      ['technologiesAdopted', '2'],
    ])
      await form.locator(`input[name="${name}"]`).fill(value);
    await form.locator('textarea[name=story]').fill(story);
    await pick(mp, 'sdgTargets', '7.1', /^7\.1 /);
    await form.locator('button[type=submit]').click();
    const jobs = form.locator('[data-path="indicators.jobsCreated"]');
    await expect.poll(() => jobs.locator('.field-error').textContent()).toMatch(/negative/);
    expect(await jobs.locator('input').getAttribute('aria-invalid')).toBe('true');
    expect(await mp.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('jobsCreated');
    // Only that field is named.
    expect(await form.locator('.field-error:not([hidden])').count()).toBe(1);
    expect((await partnership(member, current)).reports).toEqual([]);
    expect(await checkA11y(mp)).toEqual([]);
    expect(await mp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await form.locator('input[name=jobsCreated]').fill('3');
    await form.locator('button[type=submit]').click();
    await card.locator(`[data-report="${org}:3"]`).waitFor();
    const filed = (await partnership(member, current)).reports;
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({
      organisationId: org,
      period: 3,
      indicators: { peopleTrained: 12, membersReached: 140, jobsCreated: 3 },
      story,
      sdgTargets: ['7.1'],
    });
    expect(await card.locator(`[data-period="3"] [data-org="${org}"]`).getAttribute('data-state')).toBe(
      'filed',
    );

    // The coordinator, in Portuguese at 360 px: the late reports, then the report and a comment.
    const cp = await newPage(360);
    await signIn(cp, sys.webUrl, cast.coordinator, PASSWORD);
    await setLanguage(cp, 'pt');
    await open(cp, '#/partnerships');
    const late = (
      await call<{ items: { partnershipId: string; organisationId: string; period: number }[] }>(
        sys.webUrl,
        'GET',
        '/api/followup/partnerships/late',
        coordinator,
      )
    ).items;
    expect(late.filter((l) => l.partnershipId === earlier)).toHaveLength(6);
    expect(late.filter((l) => l.partnershipId === current)).toEqual([]);
    await cp.locator('[data-late]').first().waitFor();
    const shown = await cp
      .locator('[data-late]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-late')));
    expect(shown).toEqual(late.map((l) => `${l.partnershipId}:${l.organisationId}:${l.period}`));
    expect(shown).toContain(`${earlier}:${org}:12`);
    expect(await checkA11y(cp)).toEqual([]);
    expect(await cp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const ccard = cp.locator(`[data-partnership="${current}"]`);
    const report = ccard.locator(`[data-report="${org}:3"]`);
    await report.locator('summary').click();
    expect(await report.locator('.story').textContent()).toBe(story);
    const comment = 'Good work: please say in the next report how many kiosks run every day.';
    await ccard.locator('select[name=about]').selectOption(`${org}|3`);
    await ccard.locator('textarea[name=text]').fill(comment);
    await ccard.locator('[data-action=comment]').click();
    await ccard.locator(`[data-report="${org}:3"] [data-comment]`).waitFor({ state: 'attached' });
    expect((await partnership(coordinator, current)).comments).toEqual([
      expect.objectContaining({ text: comment, about: { organisationId: org, period: 3 } }),
    ]);

    // The member reads it under the report.
    const mine = await openUntil(
      mp,
      `#/partnerships?id=${current}`,
      (p) => p.locator(`[data-partnership="${current}"] [data-report="${org}:3"] [data-comment]`),
      'the coordinator’s comment under the report',
    );
    expect(await mine.locator('.qa-text').textContent()).toBe(comment);
    expect(await checkA11y(mp)).toEqual([]);

    // The late queue's link opens the earlier partnership, where its periods say they are late.
    await cp.locator(`[data-late="${earlier}:${org}:12"] a`).click();
    const ecard = cp.locator(`[data-partnership="${earlier}"].wanted`);
    await ecard.waitFor();
    await expect
      .poll(() =>
        cp.evaluate(() =>
          document.activeElement?.closest('[data-partnership]')?.getAttribute('data-partnership'),
        ),
      )
      .toBe(earlier);
    expect(await ecard.locator(`[data-period="12"] [data-org="${org}"]`).getAttribute('data-state')).toBe(
      'late',
    );
    await mp.context().close();
    await cp.context().close();
  }, 120_000);

  it('the member changes the partnership’s status by keyboard', async () => {
    const mp = await newPage(1280);
    await signIn(mp, sys.webUrl, cast.entity.email, PASSWORD);
    await open(mp, `#/partnerships?id=${earlier}`);
    const card = mp.locator(`[data-partnership="${earlier}"]`);
    await card.locator('select[name=status]').selectOption('ended-early');
    await card.locator('select[name=status]').focus();
    await mp.keyboard.press('Tab');
    await mp.keyboard.press('Enter');
    await card.locator('[data-status="ended-early"]').waitFor();
    expect(
      (await call<{ status: string }>(sys.webUrl, 'GET', `/api/followup/partnerships/${earlier}`, member))
        .status,
    ).toBe('ended-early');
    await mp.context().close();
  }, 60_000);
});
