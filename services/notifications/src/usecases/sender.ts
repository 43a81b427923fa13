import type { Logger } from '@mutirao/telemetry';
import { retryDelay } from '../domain/schedule';
import type { Delivery, DeliveryRepo } from '../store/deliveries';
import type { SentJournal } from '../store/journal';
import { Loop } from './loop';

/** What the sender needs of nodemailer's transport (`sendMail`). */
export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string;
    subject: string;
    text?: string;
    html?: string;
    messageId: string;
    headers?: Record<string, string>;
  }): Promise<unknown>;
}

export interface SenderOptions {
  repo: DeliveryRepo;
  transport: MailTransport;
  from: string;
  now: () => Date;
  logger: Logger;
  /** Names this sender's claims. */
  owner: string;
  /** How long a claim holds; a sender that died has its claims taken back after this. */
  leaseMs: number;
  /** Mails sent side by side. */
  concurrency: number;
  pollMs: number;
  retry: { baseMs: number; maxMs: number; maxAttempts: number };
  /** Publishes a dead delivery's record on the `.dlq` topic. */
  deadLetter: (d: Delivery) => Promise<void>;
  /** Where accepted mails are noted before the store knows (see SentJournal). */
  journal: SentJournal;
}

/** A journal past this size is emptied once every mail it names is marked sent in the store. */
const JOURNAL_MAX_BYTES = 256 * 1024;

/** A send that has not ended by then is taken for an outage (its claim is released and retried). */
const SEND_TIMEOUT_MS = 60_000;

function withTimeout<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer in ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Errors of the connection (the server is down, slow or unreachable), not of this one mail. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
]);

export function classify(err: unknown): { permanent: boolean; connection: boolean; text: string } {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const text =
    `${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${e.message ?? String(err)}`.slice(
      0,
      500,
    );
  // A 5xx answer refuses this mail for good (no such mailbox, refused content); 4xx is "try later".
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  const connection = !permanent && (e.responseCode === undefined || CONNECTION_CODES.has(e.code ?? ''));
  return { permanent, connection, text };
}

/**
 * Sends the stored mails: claims due ones (with a lease), sends each, and marks it sent straight
 * after the server's answer; a failure is retried with exponential back-off, and after the last
 * attempt (or a permanent refusal) the delivery is dead and reported on the `.dlq` topic. While the
 * server is unreachable the queue waits as a whole instead of failing every mail in turn.
 *
 * The window no store can close: the server accepted a mail and the process died before marking
 * it sent. Its claim then returns and the mail is sent again with the same Message-ID
 * (docs/notifications.md, "Exactly once").
 */
export class Sender {
  private readonly loop: Loop;
  private blockedUntil = 0;
  /** Accepted by the server, noted in the journal, not yet marked sent in the store. */
  private readonly unmarked = new Map<string, Delivery>();
  sent = 0;

  constructor(private readonly o: SenderOptions) {
    this.loop = new Loop('mail sender', () => this.pass(), { pollMs: o.pollMs, logger: o.logger });
  }

  /**
   * Marks sent what the journal says the server accepted (a process that died before marking
   * it), then empties the journal. Before the claims of dead processes are taken back.
   */
  async replayJournal(): Promise<number> {
    const ids = this.o.journal.read();
    const marked = ids.length > 0 ? await this.o.repo.markSentMany(ids, this.o.now()) : 0;
    this.o.journal.clear();
    return marked;
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass: true when more mails were due than it took. */
  async pass(): Promise<boolean> {
    const o = this.o;
    await this.report();
    for (const d of [...this.unmarked.values()]) {
      await o.repo.markSent(d, o.owner, o.now());
      this.unmarked.delete(d._id);
    }
    if (this.unmarked.size === 0 && o.journal.size() > JOURNAL_MAX_BYTES) o.journal.clear();
    const now = o.now();
    await o.repo.recover(now, o.owner, false);
    if (now.getTime() < this.blockedUntil) return false;
    const batch = o.concurrency * 4;
    const claimed = await o.repo.claim(now, batch, o.owner, new Date(now.getTime() + o.leaseMs));
    if (claimed.length === 0) return false;
    const queue = [...claimed];
    let blocked: Date | undefined;
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        if (blocked) {
          // The server is unreachable: back in the queue, this one's attempts untouched.
          await o.repo.markFailed(d, o.owner, {
            dead: false,
            error: d.lastError ?? 'not tried: the server was unreachable',
            nextAttemptAt: blocked,
            counts: false,
          });
          continue;
        }
        const b = await this.send(d);
        if (b) blocked = b;
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    if (blocked) this.blockedUntil = blocked.getTime();
    return !blocked && claimed.length === batch;
  }

  /** Sends one; returns the time to wait before the next mail when the server is unreachable. */
  private async send(d: Delivery): Promise<Date | undefined> {
    const o = this.o;
    try {
      await withTimeout(
        SEND_TIMEOUT_MS,
        o.transport.sendMail({
          from: o.from,
          to: d.to,
          subject: d.subject,
          ...(d.text !== undefined ? { text: d.text } : {}),
          ...(d.html !== undefined ? { html: d.html } : {}),
          messageId: d.messageId,
          headers: d.unsubscribeUrl
            ? {
                'List-Unsubscribe': `<${d.unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : {},
        }),
      );
    } catch (err) {
      const c = classify(err);
      const failures = d.attempts + 1;
      const dead = c.permanent || failures >= o.retry.maxAttempts;
      const nextAttemptAt = new Date(o.now().getTime() + retryDelay(failures, o.retry));
      await o.repo.markFailed(d, o.owner, { dead, error: c.text, nextAttemptAt, counts: true });
      o.logger.warn(
        { delivery: d._id, attempts: failures, dead, nextAttemptAt, err: c.text },
        dead ? 'mail given up: dead letter' : 'mail not sent; will retry',
      );
      if (dead) await this.report();
      return c.connection ? nextAttemptAt : undefined;
    }
    // In the same tick as the server's answer: from here on a restart does not send it again.
    o.journal.record(d._id);
    this.sent++;
    try {
      await o.repo.markSent(d, o.owner, o.now());
    } catch (err) {
      // The store is down: marked at the next pass (the journal keeps it meanwhile).
      this.unmarked.set(d._id, d);
      o.logger.warn({ err, delivery: d._id }, 'mail sent, not yet marked sent');
    }
    return undefined;
  }

  /** Publishes the dead deliveries not reported yet (a broker outage leaves them for the next pass). */
  private async report(): Promise<void> {
    for (const d of await this.o.repo.deadToReport(50)) {
      try {
        await this.o.deadLetter(d);
        await this.o.repo.reported(d._id);
      } catch (err) {
        this.o.logger.warn({ err, delivery: d._id }, 'dead letter not published yet');
        return;
      }
    }
  }
}
