import type { MailEnv } from '@mutirao/http';
import nodemailer from 'nodemailer';
import type { MailTransport } from './usecases/sender';

/**
 * nodemailer's SMTP transport for the settings every service reads (`MailEnv`: host, port, TLS,
 * credentials), one connection per mail (not pooled: a pool whose server went away and came back
 * left sends waiting in the crash test), with timeouts that make a silent server an outage, not a
 * hang.
 */
export function smtpTransport(mail: Omit<MailEnv, 'from'>): MailTransport & { close(): void } {
  const { host, port, secure, requireTLS, auth } = mail;
  return nodemailer.createTransport({
    host,
    port,
    secure,
    ...(requireTLS ? { requireTLS } : {}),
    ...(auth ? { auth } : {}),
    pool: false,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 20_000,
  });
}
