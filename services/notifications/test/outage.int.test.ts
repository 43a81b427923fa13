import { eventually } from '@mutirao/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrganisation, aPerson } from './fixtures';
import { type Harness, startNotifications } from './harness';

/**
 * An SMTP server away for half an hour, with the service's own back-off settings (5 s doubling up
 * to 10 min, 12 attempts): once it is back, mails flow within seconds, not when the back-off each
 * mail would have grown by failing on its own ends. The half hour passes by the service's clock.
 */
let h: Harness;
const org = anOrganisation({
  id: 'org-out',
  name: 'Cooperativa do Lobito',
  country: 'AO',
  languages: ['pt'],
});
const people = ['ana', 'bia', 'caio'].map((name) =>
  aPerson({ id: name, email: `${name}@lobito.example`, name, organisationId: org.id }),
);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startNotifications({ retryBaseMs: 5_000, retryMaxMs: 600_000, maxAttempts: 12 });
  await h.organisation(org);
  for (const p of people) await h.person(p);
  await h.known(
    people.map((p) => p.id),
    [org.id],
  );
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('an SMTP server down for half an hour', () => {
  it('is probed alone meanwhile, and the mails that waited for it leave within seconds of its return', async () => {
    const deliveries = h.service.repos.deliveries.c;
    await h.mailpit.stop();
    await h.organisation(
      { ...org, revision: 2, verification: 'verified' },
      'org.mutirao.profiles.organisation.verified',
    );
    await eventually(async () => (await deliveries.countDocuments({ attempts: { $gte: 1 } })) >= 1, {
      what: 'a mail that failed to reach the server',
    });
    expect(await deliveries.countDocuments({ kind: 'organisation-verified' })).toBe(people.length);
    // Thirty minutes by the service's clock, one at a time, the sender free to work at each.
    for (let minute = 0; minute < 30; minute++) {
      h.advance(60_000);
      await sleep(150);
    }
    const tries = await deliveries
      .find({ kind: 'organisation-verified' }, { projection: { attempts: 1, status: 1 } })
      .toArray();

    const back = Date.now();
    await h.mailpit.start();
    await eventually(
      async () => {
        const got = await Promise.all(people.map((p) => h.mailpit.to(p.email)));
        return got.every((m) => m.length >= 1);
      },
      { what: 'every mail, once the server is back', timeoutMs: 20_000, intervalMs: 200 },
    );
    const waited = Date.now() - back;
    console.log(`mails flowed ${waited} ms after the SMTP server came back from a 30 min outage`);
    // The server is probed at least every 5 s; a few more for a loaded machine.
    expect(waited).toBeLessThan(15_000);
    for (const p of people) expect(await h.mailpit.to(p.email)).toHaveLength(1);
    // While the server was away the mails did not each back off: at most one try each.
    expect(tries.map((d) => d.status)).toEqual(people.map(() => 'pending'));
    expect(Math.max(...tries.map((d) => d.attempts))).toBeLessThanOrEqual(1);
    await eventually(async () => (await deliveries.countDocuments({ status: 'sent' })) === people.length, {
      what: 'every delivery marked sent',
    });
  });
});
