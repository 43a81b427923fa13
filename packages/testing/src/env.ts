import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export interface TestEnv {
  kafkaBrokers: string[];
  /** Server URL without a database: pair it with `dbName`. */
  mongoUrl: string;
  /** The run's SMTP server (the embedded Mailpit unless SMTP_HOST names another). */
  smtp: { host: string; port: number };
  /** The run's Mailpit, where the mails sent to `smtp` are read (see `Mailpit`). */
  mailpitUrl: string;
  /** A database of this test file's own. */
  dbName: string;
  /** A topic prefix of this test file's own (see `topicName` in contracts). */
  topicPrefix: string;
  /** A fresh suffix for consumer groups, client ids and the like. */
  unique(label: string): string;
}

/**
 * The servers of this run, with names of this test file's own, so files run in parallel against
 * one broker and one database server without seeing each other's data.
 */
export function testEnv(): TestEnv {
  // The run's id first: the global setup removes what the run's files made by that prefix.
  const id = `${inject('runId')}${randomBytes(4).toString('hex')}`;
  return {
    kafkaBrokers: inject('kafkaBrokers').split(','),
    mongoUrl: inject('mongoUrl'),
    smtp: { host: inject('smtpHost'), port: inject('smtpPort') },
    mailpitUrl: inject('mailpitUrl'),
    dbName: `t_${id}`,
    topicPrefix: `t${id}`,
    unique: (label) => `${label}-${id}-${randomBytes(3).toString('hex')}`,
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
