import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@mutirao/telemetry';
import { describe, expect, it } from 'vitest';
import { PROBE_MAX_MS } from '../domain/breaker';
import type { Delivery, DeliveryRepo } from '../store/deliveries';
import { SentJournal } from '../store/journal';
import { classify, type MailTransport, Sender } from './sender';

describe('what a failed send says', () => {
  const err = (code: string | undefined, responseCode?: number, message = 'x') =>
    Object.assign(new Error(message), { code, ...(responseCode ? { responseCode } : {}) });

  it('takes an unreachable or silent server for an outage: every mail waits for it', () => {
    for (const code of ['ESOCKET', 'ECONNECTION', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ECONNRESET'])
      expect(classify(err(code)), code).toMatchObject({ connection: true, permanent: false });
    expect(classify(new Error('socket hang up'))).toMatchObject({ connection: true });
  });

  it('takes a 5xx for a refusal of this mail for good, and a 4xx or an envelope error for this mail only', () => {
    expect(classify(err('EENVELOPE', 550))).toMatchObject({ connection: false, permanent: true });
    expect(classify(err('EMESSAGE', 451))).toMatchObject({ connection: false, permanent: false });
    // nodemailer's own refusal of an address names no answer: not the server's fault.
    expect(classify(err('EENVELOPE'))).toMatchObject({ connection: false, permanent: false });
    expect(classify(err('ESOCKET', undefined, 'connect ECONNREFUSED 127.0.0.1:1025')).text).toBe(
      'ESOCKET: connect ECONNREFUSED 127.0.0.1:1025',
    );
  });
});

/** The store's deliveries in memory, as the sender uses them (one owner, no concurrency). */
class MemoryDeliveries {
  readonly all = new Map<string, Delivery>();

  add(d: Delivery): void {
    this.all.set(d._id, d);
  }
  async claim(now: Date, limit: number, owner: string, leaseUntil: Date): Promise<Delivery[]> {
    const due = [...this.all.values()]
      .filter((d) => d.status === 'pending' && d.nextAttemptAt.getTime() <= now.getTime())
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
    for (const d of due) Object.assign(d, { status: 'sending', owner, leaseUntil });
    return due.map((d) => ({ ...d }));
  }
  async recover(): Promise<number> {
    return 0;
  }
  async markSent(d: Delivery, _owner: string, at: Date): Promise<void> {
    Object.assign(this.all.get(d._id) as Delivery, {
      status: 'sent',
      sentAt: at,
      waitingForServer: undefined,
    });
  }
  async markSentMany(): Promise<number> {
    return 0;
  }
  async markFailed(
    d: Delivery,
    _owner: string,
    o: { dead: boolean; error: string; nextAttemptAt: Date; counts: boolean; waitingForServer?: boolean },
  ): Promise<void> {
    const stored = this.all.get(d._id) as Delivery;
    Object.assign(stored, {
      status: o.dead ? 'dead' : 'pending',
      nextAttemptAt: o.nextAttemptAt,
      lastError: o.error,
      attempts: stored.attempts + (o.counts ? 1 : 0),
      waitingForServer: !o.dead && o.waitingForServer === true ? true : undefined,
    });
  }
  async deadToReport(): Promise<Delivery[]> {
    return [];
  }
  async reported(): Promise<void> {}
  async anyWaiting(): Promise<boolean> {
    return [...this.all.values()].some((d) => d.status === 'pending' && d.waitingForServer);
  }
  async releaseWaiting(now: Date): Promise<number> {
    const waiting = [...this.all.values()].filter((d) => d.status === 'pending' && d.waitingForServer);
    for (const d of waiting) Object.assign(d, { nextAttemptAt: now, waitingForServer: undefined });
    return waiting.length;
  }
}

describe('the sender while its SMTP server is away', () => {
  /** A server that is down until `up` is set; a clock that moves 1 ms each time it is read. */
  const setup = (count: number) => {
    let t = Date.parse('2026-03-02T10:00:00Z');
    const now = () => new Date(t++);
    const server = {
      up: false,
      /** An answer the server gives to everything, up or not (a login it refuses, say). */
      refusal: undefined as (() => Error) | undefined,
      /** An answer to the end of the data instead of 250 (a content filter, say). */
      refuseAfterData: undefined as (() => Error) | undefined,
      sent: [] as string[],
      probes: 0,
    };
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1025'), { code: 'ESOCKET' });
    const transport: MailTransport = {
      async verify() {
        server.probes++;
        if (server.refusal) throw server.refusal();
        if (!server.up) throw refused();
        return true;
      },
      async sendMail(m, hooks) {
        if (server.refusal) throw server.refusal();
        if (!server.up) throw refused();
        // The whole mail reaches the server; then it may refuse it after all.
        hooks?.handedOver?.();
        if (server.refuseAfterData) throw server.refuseAfterData();
        server.sent.push(m.messageId);
      },
    };
    const repo = new MemoryDeliveries();
    for (let i = 0; i < count; i++)
      repo.add({
        _id: `e${i}:p`,
        kind: 'proposal-approved',
        to: `p${i}@example.org`,
        language: 'pt',
        subject: 'Olá',
        text: 'Olá',
        messageId: `<m${i}@mutirao.test>`,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now(),
        createdAt: now(),
      });
    const journal = new SentJournal(join(mkdtempSync(join(tmpdir(), 'sender-test-')), 'sent.log'));
    const sender = new Sender({
      repo: repo as unknown as DeliveryRepo,
      transport,
      from: 'Mutirão <no-reply@mutirao.test>',
      now,
      logger: createLogger('sender-test', 'silent'),
      owner: 'me',
      leaseMs: 60_000,
      concurrency: 2,
      pollMs: 2_000,
      // The shipped back-off: 5 s doubling up to 10 min, 12 attempts.
      retry: { baseMs: 5_000, maxMs: 600_000, maxAttempts: 12 },
      deadLetter: async () => undefined,
      journal,
    });
    return { sender, repo, server, journal, advance: (ms: number) => (t += ms) };
  };

  it('tries one pass, then probes the server alone; the pass after its return sends every mail', async () => {
    const { sender, repo, server, advance } = setup(5);
    await sender.pass();
    const afterFirst = [...repo.all.values()];
    // The two workers' first mails found it down; the rest of the pass waits for it, untried.
    expect(afterFirst.filter((d) => d.attempts === 1)).toHaveLength(2);
    expect(afterFirst.every((d) => d.status === 'pending' && d.waitingForServer)).toBe(true);

    // Half an hour: a probe at most every PROBE_MAX_MS, no mail tried.
    for (let minute = 0; minute < 30; minute++) {
      advance(60_000);
      await sender.pass();
    }
    expect(server.probes).toBe(30);
    expect(Math.max(...[...repo.all.values()].map((d) => d.attempts))).toBe(1);

    server.up = true;
    // Before the next probe is due nothing is tried; at it, this one pass sends all five.
    await sender.pass();
    expect(server.sent).toEqual([]);
    advance(PROBE_MAX_MS);
    await sender.pass();
    expect(server.sent).toHaveLength(5);
    expect([...repo.all.values()].every((d) => d.status === 'sent' && !d.waitingForServer)).toBe(true);
  });

  it('takes a server that answers the probe with a refusal for reachable: each mail then meets its own fate', async () => {
    const { sender, repo, server, advance } = setup(2);
    await sender.pass();
    // Back, but refusing our login: not an outage to wait out.
    server.refusal = () =>
      Object.assign(new Error('535 5.7.8 Authentication failed'), { code: 'EAUTH', responseCode: 535 });
    advance(PROBE_MAX_MS);
    await sender.pass();
    expect(server.probes).toBe(1);
    expect([...repo.all.values()].map((d) => d.status)).toEqual(['dead', 'dead']);
  });

  it('notes a mail in the journal once handed over, and takes the note back when the server then refuses it', async () => {
    const { sender, repo, server, journal } = setup(2);
    server.up = true;
    server.refuseAfterData = () =>
      Object.assign(new Error('451 4.7.1 Try again later'), { code: 'EMESSAGE', responseCode: 451 });
    await sender.pass();
    // A restart now would not take them for sent.
    expect(journal.read()).toEqual([]);
    expect([...repo.all.values()].map((d) => [d.status, d.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
    ]);
    server.refuseAfterData = undefined;
    for (const d of repo.all.values()) d.nextAttemptAt = new Date(0);
    await sender.pass();
    expect(server.sent).toHaveLength(2);
    expect(journal.read()).toEqual(['e0:p', 'e1:p']);
  });

  it('probes first when it starts with mails left waiting for the server by a process that died', async () => {
    const { sender, repo, server } = setup(3);
    for (const d of repo.all.values())
      Object.assign(d, { waitingForServer: true, nextAttemptAt: new Date('2026-03-02T11:00:00Z') });
    server.up = true;
    await sender.pass();
    expect(server.probes).toBe(1);
    expect(server.sent).toHaveLength(3);
  });
});
