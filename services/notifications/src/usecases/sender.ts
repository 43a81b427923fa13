import type { Logger } from '@mutirao/telemetry';
import { ServerBreaker } from '../domain/breaker';
import { retryDelay } from '../domain/schedule';
import type { Delivery, DeliveryRepo } from '../store/deliveries';
import type { SentJournal } from '../store/journal';
import { Loop } from './loop';

export interface SendHooks {
  /**
   * Called once, synchronously, just before the mail's last bytes (the end-of-data dot) are
   * written to the server: from then on the server has the whole mail and keeps it, whatever
   * becomes of this process. Not called when the transport cannot see that write (over TLS).
   */
  handedOver?: () => void;
}

/** What the sender needs of nodemailer's transport (`sendMail`, and `verify` to probe the server). */
export interface MailTransport {
  /** Connects, greets and logs in, then quits: resolves when the server would take mail. */
  verify(): Promise<unknown>;
  sendMail(
    message: {
      from: string;
      to: string;
      subject: string;
      text?: string;
      html?: string;
      messageId: string;
      headers?: Record<string, string>;
    },
    hooks?: SendHooks,
  ): Promise<unknown>;
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

/** A send (or a probe) that has not ended by then is taken for an outage (its claim is released and retried). */
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
  // The server could not be reached or went away: a code of the connection's, or an error of the
  // socket nodemailer did not name. Not a refusal of this mail (EENVELOPE, EMESSAGE, 4xx answers).
  const connection =
    !permanent &&
    (CONNECTION_CODES.has(e.code ?? '') || (e.code === undefined && e.responseCode === undefined));
  return { permanent, connection, text };
}

/**
 * Sends the stored mails: claims due ones (with a lease), sends each, and marks it sent straight
 * after the server's answer; a failure is retried with exponential back-off, and after the last
 * attempt (or a permanent refusal) the delivery is dead and reported on the `.dlq` topic.
 *
 * While the server is unreachable (a circuit breaker, `ServerBreaker`) no mail is tried: the mails
 * of the pass wait for it (`waitingForServer`), and the server alone is probed with an SMTP
 * `verify` at a doubling interval of at most 5 s. Once it answers, every mail that waited for it
 * is due at once, so mail flows again within seconds of its return, however long the outage was.
 * A process that starts while mails wait for the server (left by one that died) probes first.
 *
 * Exactly once across a crash: the server keeps a mail once it has its end-of-data dot, before it
 * answers and long before the store can know. So the journal notes the mail in the same
 * synchronous call that hands that dot over (over TLS, at the server's answer), a restart marks
 * sent what it notes, and only what it does not note is sent again (docs/notifications.md).
 */
export class Sender {
  private readonly loop: Loop;
  private readonly server: ServerBreaker;
  /** Handed over to the server and accepted, noted in the journal, not yet marked sent in the store. */
  private readonly unmarked = new Map<string, Delivery>();
  sent = 0;
  /** When the claims of dead processes were last looked for (never, at first). */
  private recoveredAt = 0;

  constructor(private readonly o: SenderOptions) {
    this.loop = new Loop('mail sender', () => this.pass(), { pollMs: o.pollMs, logger: o.logger });
    this.server = new ServerBreaker(o.retry);
  }

  /**
   * Marks sent what the journal says was handed over to the server and not refused (by a process
   * that died before marking it), then empties the journal. Before the claims of dead processes
   * are taken back.
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
    // Claims of a dead process expire after a lease: looking for them more often finds nothing.
    if (Date.now() - this.recoveredAt >= o.leaseMs / 2) {
      this.recoveredAt = Date.now();
      await o.repo.recover(now, o.owner, false);
    }
    if (this.server.waiting(now.getTime())) return false;
    if (this.server.state !== 'up' && !(await this.probe(now))) return false;
    const batch = o.concurrency * 4;
    const claimed = await o.repo.claim(now, batch, o.owner, new Date(now.getTime() + o.leaseMs));
    if (claimed.length === 0) return false;
    const queue = [...claimed];
    let unreachable = false;
    const worker = async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        if (unreachable) {
          // The server is unreachable: back in the queue until it answers, this one's attempts untouched.
          await o.repo.markFailed(d, o.owner, {
            dead: false,
            error: d.lastError ?? 'not tried: the server was unreachable',
            nextAttemptAt: new Date(this.server.nextProbeAt),
            counts: false,
            waitingForServer: true,
          });
          continue;
        }
        if ((await this.send(d)) === 'unreachable') unreachable = true;
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return !unreachable && claimed.length === batch;
  }

  /**
   * Asks the server whether it can be reached (before any mail is tried, while it is down or not
   * yet known); once it can, the mails that waited for it are due at `now`, the pass's time, so that
   * this very pass claims them. True when it answered.
   */
  private async probe(now: Date): Promise<boolean> {
    const o = this.o;
    if (this.server.state === 'unknown' && !(await o.repo.anyWaiting())) {
      // Nothing waits for the server: the first mail will tell.
      this.server.up();
      return true;
    }
    try {
      await withTimeout(SEND_TIMEOUT_MS, o.transport.verify());
    } catch (err) {
      const c = classify(err);
      if (c.connection) {
        const next = new Date(this.server.down(o.now().getTime()));
        o.logger.info({ err: c.text, nextProbeAt: next }, 'SMTP server still unreachable');
        return false;
      }
      // It answered, refusing something of the probe (a login, say): it can be reached, and each
      // mail's own answer will say what becomes of it.
      o.logger.warn({ err: c.text }, 'SMTP server reachable, but it refused the probe');
    }
    // Released before the breaker closes: should the store fail here, the next pass probes again.
    const released = await o.repo.releaseWaiting(now);
    this.server.up();
    o.logger.info({ released }, 'SMTP server reachable: the mails that waited for it are due');
    return true;
  }

  /** Sends one; `unreachable` when the server could not be reached (the breaker is then open). */
  private async send(d: Delivery): Promise<'sent' | 'failed' | 'unreachable'> {
    const o = this.o;
    // Noted in the journal at the point of no return, the end-of-data dot handed to the server
    // (docs/notifications.md, "Exactly one mail").
    let handedOver = false;
    try {
      await withTimeout(
        SEND_TIMEOUT_MS,
        o.transport.sendMail(
          {
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
          },
          {
            handedOver: () => {
              o.journal.record(d._id);
              handedOver = true;
            },
          },
        ),
      );
    } catch (err) {
      // Handed over, then refused or cut off: the journal must not say it left. It is sent again
      // (a cut-off answer may hide a mail the server kept: a duplicate rather than a loss).
      if (handedOver) o.journal.recordFailed(d._id);
      const c = classify(err);
      const failures = d.attempts + 1;
      const dead = c.permanent || failures >= o.retry.maxAttempts;
      const now = o.now().getTime();
      // Unreachable: this mail waits for the server's next probe (one already under way, if another
      // mail of the pass failed first), not for a back-off of its own.
      const nextAttemptAt = new Date(
        c.connection
          ? this.server.state === 'down'
            ? this.server.nextProbeAt
            : this.server.down(now)
          : now + retryDelay(failures, o.retry),
      );
      await o.repo.markFailed(d, o.owner, {
        dead,
        error: c.text,
        nextAttemptAt,
        counts: true,
        waitingForServer: c.connection,
      });
      o.logger.warn(
        { delivery: d._id, attempts: failures, dead, nextAttemptAt, err: c.text },
        dead
          ? 'mail given up: dead letter'
          : c.connection
            ? 'SMTP server unreachable: mails wait for it'
            : 'mail not sent; will retry',
      );
      if (dead) await this.report();
      return c.connection ? 'unreachable' : 'failed';
    }
    // Over TLS the hand-over is not seen: noted in the same tick as the server's answer.
    if (!handedOver) o.journal.record(d._id);
    this.sent++;
    try {
      await o.repo.markSent(d, o.owner, o.now());
    } catch (err) {
      // The store is down: marked at the next pass (the journal keeps it meanwhile).
      this.unmarked.set(d._id, d);
      o.logger.warn({ err, delivery: d._id }, 'mail sent, not yet marked sent');
    }
    return 'sent';
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
