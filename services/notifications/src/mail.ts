import nodemailer from 'nodemailer';
import type { MailTransport } from './usecases/sender';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (465); otherwise STARTTLS when offered. */
  secure: boolean;
  /** Refuse to send without STARTTLS. */
  requireTls: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** Mails sent side by side (the sender's concurrency). */
  connections: number;
}

/**
 * nodemailer's SMTP transport, one connection per mail (not pooled: a pool whose server went away
 * and came back left sends waiting in the crash test), with timeouts that make a silent server an
 * outage, not a hang.
 */
export function smtpTransport(s: SmtpSettings): MailTransport & { close(): void } {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTls,
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    pool: false,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 20_000,
  });
}
