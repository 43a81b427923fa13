import { describe, expect, it } from 'vitest';
import { domainOf, loadConfig } from './config';

describe('the notifications settings', () => {
  it('read mail as every service does (MailEnv): the embedded Mailpit by default, the same From', () => {
    const c = loadConfig({});
    expect(c.mail).toEqual({
      host: '127.0.0.1',
      port: 1025,
      secure: false,
      from: 'Mutirão <no-reply@mutirao.localhost>',
    });
    expect(domainOf(c.mail.from)).toBe('mutirao.localhost');
    expect(c.PORT).toBe(8084);
  });

  it('give a relay of your own its usual port, TLS required and credentials', () => {
    const c = loadConfig({
      SMTP_HOST: 'relay.example.org',
      SMTP_REQUIRE_TLS: 'true',
      SMTP_USER: 'mutirao',
      SMTP_PASSWORD: 's3cret',
      MAIL_FROM: 'Mutirão <avisos@example.org>',
    });
    expect(c.mail).toEqual({
      host: 'relay.example.org',
      port: 587,
      secure: false,
      requireTLS: true,
      auth: { user: 'mutirao', pass: 's3cret' },
      from: 'Mutirão <avisos@example.org>',
    });
    expect(domainOf(c.mail.from)).toBe('example.org');
  });

  it('name a wrong mail setting', () => {
    expect(() => loadConfig({ SMTP_PORT: 'smtp' })).toThrow(/SMTP_PORT/);
  });
});
