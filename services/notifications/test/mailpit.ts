import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@mutirao/testing';

export const MAILPIT_VERSION = 'v1.33.1';

/** A port free at the time of asking, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * The Mailpit binary: MAILPIT_BIN, else the build cache (built there from the Go module proxy the
 * first time, as the embedded FerretDB is), else one on the PATH.
 */
export function mailpitBinary(): string {
  const given = process.env.MAILPIT_BIN;
  if (given) return given;
  const dir = join(
    process.env.MUTIRAO_CACHE ?? join(homedir(), '.cache', 'mutirao'),
    `mailpit-${MAILPIT_VERSION}`,
  );
  const bin = join(dir, 'mailpit');
  if (existsSync(bin)) return bin;
  try {
    return execFileSync('which', ['mailpit'], { encoding: 'utf8' }).trim();
  } catch {
    // not on the PATH: build it
  }
  mkdirSync(dir, { recursive: true });
  execFileSync('go', ['install', `github.com/axllent/mailpit@${MAILPIT_VERSION}`], {
    env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
    stdio: 'inherit',
    timeout: 900_000,
  });
  return bin;
}

export interface MailAddress {
  Name: string;
  Address: string;
}
export interface MailSummary {
  ID: string;
  MessageID: string;
  To: MailAddress[];
  Subject: string;
}
export interface MailDetail extends MailSummary {
  Text: string;
  HTML: string;
  ListUnsubscribe: { Header: string; Links: string[]; HeaderPost: string };
}

/**
 * A Mailpit of the test's own, on free loopback ports with its own database, that a test stops and
 * starts again (an SMTP outage). Duplicates are kept (no --ignore-duplicate-ids): a mail sent twice
 * is seen twice.
 */
export async function startMailpit() {
  const bin = mailpitBinary();
  const smtpPort = await freePort();
  const httpPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mailpit-'));
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    child = spawn(
      bin,
      [
        '--smtp',
        `127.0.0.1:${smtpPort}`,
        '--listen',
        `127.0.0.1:${httpPort}`,
        '--database',
        join(dir, 'mailpit.db'),
        '--max',
        '0',
        '--disable-version-check',
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    await eventually(async () => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(500) })).ok, {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: `Mailpit to answer (${output.slice(-500)})`,
    });
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`Mailpit ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  await start();
  return {
    smtpPort,
    url,
    start,
    stop,
    /** Every message received, newest first. */
    async messages(): Promise<MailSummary[]> {
      const out: MailSummary[] = [];
      for (let start = 0; ; start += 500) {
        const page = await api<{ total: number; messages: MailSummary[] }>(
          `/messages?limit=500&start=${start}`,
        );
        out.push(...page.messages);
        if (out.length >= page.total || page.messages.length === 0) return out;
      }
    },
    message: (id: string) => api<MailDetail>(`/message/${id}`),
    /** Messages to an address. */
    async to(address: string): Promise<MailSummary[]> {
      return (await this.messages()).filter((m) => m.To.some((t) => t.Address === address));
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Mailpit = Awaited<ReturnType<typeof startMailpit>>;
