import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv, MailEnv } from '@mutirao/http';
import {
  defaultOptions,
  down,
  type InfraOptions,
  logFile,
  mailpitUrlOf,
  smtpUrlOf,
  status,
  up,
} from '@mutirao/infra';
import { freePort, Mailpit, testEnv, toQuery } from '@mutirao/testing';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Mail sent over real SMTP to the run's Mailpit (the embedded one unless SMTP_HOST names another),
 * and read back through its API as the tests of the system will; and the embedded Mailpit as
 * `infra:up`, `infra:status` and `infra:down` run it, on a data folder and ports of this file's own.
 */
const env = testEnv();
const mailpit = new Mailpit(env.mailpitUrl);

/** The way a service will send: MailEnv (SMTP_HOST, SMTP_PORT, SMTP_USER, …) into nodemailer. */
function transport(extra: NodeJS.ProcessEnv = {}) {
  const settings = loadEnv(MailEnv, {
    ...process.env,
    SMTP_HOST: env.smtp.host,
    SMTP_PORT: String(env.smtp.port),
    MAIL_FROM: 'Mutirão <no-reply@mutirao.localhost>',
    ...extra,
  });
  return {
    from: settings.from,
    smtp: nodemailer.createTransport({ ...settings, connectionTimeout: 5_000, greetingTimeout: 5_000 }),
  };
}

describe("the run's SMTP server and Mailpit's API", () => {
  it('gives back subject, recipients, text and HTML parts and List-Unsubscribe of a mail sent without credentials', async () => {
    const to = `${env.unique('cooperativa')}@example.org`;
    const subject = 'Proposta aprovada — ação';
    const unsubscribe =
      '<mailto:sair@mutirao.localhost?subject=sair>, <https://mutirao.localhost/sair?t=abc123>';
    const { from, smtp } = transport({ SMTP_USER: '' });
    const sent = await smtp.sendMail({
      from,
      to: { name: 'Cooperativa Sol Nascente', address: to },
      subject,
      text: 'Olá! A proposta de cooperação foi aprovada: ação conjunta em São Tomé.',
      html: '<p>Olá! A proposta de cooperação foi <strong>aprovada</strong>: ação conjunta em São Tomé.</p>',
      // One header with both ways out, and RFC 8058's one-click POST.
      headers: { 'List-Unsubscribe': unsubscribe, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    smtp.close();
    expect(sent.rejected).toEqual([]);

    const [summary, ...more] = await mailpit.waitFor(toQuery(to));
    expect(more).toEqual([]);
    if (!summary) throw new Error('no mail');
    expect(summary.Subject).toBe(subject);
    expect(summary.To).toEqual([{ Name: 'Cooperativa Sol Nascente', Address: to }]);
    expect(summary.Username).toBe('');
    expect(`<${summary.MessageID}>`).toBe(sent.messageId);

    const message = await mailpit.message(summary.ID);
    expect(message.Subject).toBe(subject);
    expect(message.From?.Address).toBe('no-reply@mutirao.localhost');
    expect(message.From?.Name).toBe('Mutirão');
    expect(message.Text.trim()).toBe(
      'Olá! A proposta de cooperação foi aprovada: ação conjunta em São Tomé.',
    );
    expect(message.HTML).toContain('<strong>aprovada</strong>: ação conjunta em São Tomé');
    expect(message.ListUnsubscribe).toEqual({
      Header: unsubscribe,
      HeaderPost: 'List-Unsubscribe=One-Click',
      Links: ['mailto:sair@mutirao.localhost?subject=sair', 'https://mutirao.localhost/sair?t=abc123'],
      Errors: '',
    });

    const headers = await mailpit.headers(summary.ID);
    expect(headers['List-Unsubscribe']).toEqual([unsubscribe]);
    // The subject went over the wire as RFC 2047 encoded words, not raw UTF-8; the API decodes it.
    expect(headers.Subject?.[0]).toMatch(/^=\?UTF-8\?[QB]\?/i);
    expect(headers.Subject?.[0]).toMatch(/^[\x20-\x7e]+$/);
    expect(headers['Content-Type']?.[0]).toMatch(/^multipart\/alternative/);
    await mailpit.delete([summary.ID]);
  });

  it('takes a mail from a client that logs in, and finds it by search', async () => {
    const to = `${env.unique('financiador')}@example.org`;
    const { from, smtp } = transport({ SMTP_USER: 'mutirao', SMTP_PASSWORD: 'qualquer' });
    await smtp.sendMail({ from, to, subject: 'Necessidade publicada', text: 'Uma nova necessidade.' });
    await smtp.sendMail({ from, to, subject: 'Oferta publicada', text: 'Uma nova oferta.' });
    smtp.close();

    const found = await mailpit.waitFor(toQuery(to), { count: 2 });
    expect(found.map((m) => m.Subject).sort()).toEqual(['Necessidade publicada', 'Oferta publicada']);
    expect(found.every((m) => m.Username === 'mutirao')).toBe(true);
    const bySubject = await mailpit.search(`${toQuery(to)} subject:oferta`);
    expect(bySubject.messages.map((m) => m.Subject)).toEqual(['Oferta publicada']);
    expect(bySubject.messages_count).toBe(1);

    await mailpit.delete(found.map((m) => m.ID));
    expect((await mailpit.search(toQuery(to))).messages).toEqual([]);
  });
});

describe('the embedded Mailpit, brought up and down by the infra scripts', () => {
  let o: InfraOptions;
  let started: string[] = [];

  beforeAll(async () => {
    const [smtpPort, mailpitPort] = await Promise.all([freePort(), freePort()]);
    o = {
      ...defaultOptions(),
      smtpPort,
      mailpitPort,
      dataDir: mkdtempSync(join(tmpdir(), 'mutirao-mailpit-')),
      log: () => undefined,
    };
    started = (await up(o, ['mailpit'])).started;
  });

  afterAll(async () => {
    if (started.length > 0) await down(o, ['mailpit']).catch(() => undefined);
    rmSync(o.dataDir, { recursive: true, force: true });
  });

  it('starts on loopback with its database in the data folder, and shows in the status', async () => {
    expect(started).toEqual(['mailpit']);
    expect(smtpUrlOf(o)).toBe(`smtp://127.0.0.1:${o.smtpPort}`);
    expect(existsSync(join(o.dataDir, 'mailpit', 'mailpit.db'))).toBe(true);
    expect(existsSync(logFile(o, 'mailpit'))).toBe(true);
    const row = (await status(o)).find((r) => r.server === 'mailpit');
    expect(row).toMatchObject({ answers: true, address: `${smtpUrlOf(o)} + ${mailpitUrlOf(o)}` });
    expect(row?.pid).toBeGreaterThan(0);
    expect(row?.rssMiB).toBeGreaterThan(0);
    const info = (await (await fetch(`${mailpitUrlOf(o)}/api/v1/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ Version: 'v1.33.1', Database: join(o.dataDir, 'mailpit', 'mailpit.db') });
  });

  it('serves its web UI, bundled at build time', async () => {
    const page = await fetch(`${mailpitUrlOf(o)}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('dist/app.js');
    for (const asset of ['dist/app.js', 'dist/app.css']) {
      const res = await fetch(`${mailpitUrlOf(o)}/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(10_000);
    }
  });

  it('empties its mailbox on deleteAll', async () => {
    const own = new Mailpit(mailpitUrlOf(o));
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: o.smtpPort, secure: false });
    for (const n of [1, 2, 3])
      await smtp.sendMail({ from: 'a@example.org', to: `b${n}@example.org`, subject: `n${n}`, text: '.' });
    smtp.close();
    await own.waitFor('subject:n', { count: 3 });
    expect((await own.list()).total).toBe(3);
    await own.deleteAll();
    expect(await own.list()).toMatchObject({ total: 0, messages_count: 0, messages: [] });
  });

  it('stops on down, and answers no more', async () => {
    const pid = (await status(o)).find((r) => r.server === 'mailpit')?.pid;
    await down(o, ['mailpit']);
    started = [];
    expect(pid && existsSync(`/proc/${pid}`)).toBeFalsy();
    expect((await status(o)).find((r) => r.server === 'mailpit')).toMatchObject({ answers: false });
  });
});
