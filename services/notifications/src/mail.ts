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
  /** Connections kept open (one mail at a time on each). */
  connections: number;
}

/** nodemailer's SMTP transport, pooled, with timeouts that make a silent server an outage, not a hang. */
export function smtpTransport(s: SmtpSettings): MailTransport & { close(): void } {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTls,
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    pool: true,
    maxConnections: s.connections,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 20_000,
  });
}
