import { describe, expect, it } from 'vitest';
import { loadEnv, MailEnv } from './config';

describe('MailEnv', () => {
  it('defaults to the embedded Mailpit, with no credentials', () => {
    expect(loadEnv(MailEnv, {})).toEqual({
      host: '127.0.0.1',
      port: 1025,
      secure: false,
      from: 'Mutirão <no-reply@mutirao.localhost>',
    });
  });

  it('takes empty variables as unset', () => {
    expect(loadEnv(MailEnv, { SMTP_HOST: '', SMTP_PORT: '', SMTP_USER: '', MAIL_FROM: '' })).toMatchObject({
      host: '127.0.0.1',
      port: 1025,
    });
    expect(loadEnv(MailEnv, { SMTP_USER: '' })).not.toHaveProperty('auth');
  });

  it('gives a server of your own its usual port, TLS and credentials', () => {
    expect(loadEnv(MailEnv, { SMTP_HOST: 'smtp.example.org' })).toMatchObject({ port: 587, secure: false });
    expect(
      loadEnv(MailEnv, {
        SMTP_HOST: 'smtp.example.org',
        SMTP_SECURE: 'true',
        SMTP_USER: 'mutirao',
        SMTP_PASSWORD: 's3cret',
        MAIL_FROM: 'Mutirão <avisos@example.org>',
      }),
    ).toEqual({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      auth: { user: 'mutirao', pass: 's3cret' },
      from: 'Mutirão <avisos@example.org>',
    });
    expect(loadEnv(MailEnv, { SMTP_HOST: 'mail', SMTP_PORT: '2525' })).toMatchObject({ port: 2525 });
  });

  it('refuses to send without STARTTLS when told to (a relay on 587)', () => {
    expect(loadEnv(MailEnv, { SMTP_HOST: 'relay.example.org', SMTP_REQUIRE_TLS: 'true' })).toMatchObject({
      port: 587,
      secure: false,
      requireTLS: true,
    });
    expect(loadEnv(MailEnv, { SMTP_REQUIRE_TLS: 'false' })).not.toHaveProperty('requireTLS');
  });

  it('names what is wrong', () => {
    expect(() => loadEnv(MailEnv, { SMTP_PORT: 'smtp' })).toThrow(/SMTP_PORT/);
    expect(() => loadEnv(MailEnv, { SMTP_SECURE: 'yes' })).toThrow(/SMTP_SECURE/);
    expect(() => loadEnv(MailEnv, { SMTP_REQUIRE_TLS: '1' })).toThrow(/SMTP_REQUIRE_TLS/);
  });
});
