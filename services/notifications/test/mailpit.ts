import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultOptions, ensureMailpit } from '@mutirao/infra';
import { eventually, freePort, Mailpit, type MailpitMessageSummary, toQuery } from '@mutirao/testing';

/**
 * A Mailpit of the test's own, for the tests that stop the SMTP server and start it again (an
 * outage): the binary `infra:up` builds and runs (`ensureMailpit`, already built by the run's global
 * setup), started here on free loopback ports with a data folder of its own. Read through
 * packages/testing's `Mailpit` client. Duplicates are kept (no `--ignore-duplicate-ids`): a mail
 * sent twice is seen twice. No limit on the messages kept (`--max 0`; Mailpit's default is 500).
 */
export async function startMailpit() {
  const bin = ensureMailpit(defaultOptions());
  const [smtpPort, httpPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'mailpit-'));
  const client = new Mailpit(`http://127.0.0.1:${httpPort}`);
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
        // As infra's: no look-up of the latest release, no reverse DNS of each SMTP client.
        '--disable-version-check',
        '--smtp-disable-rdns',
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    await eventually(
      async () => (await fetch(`${client.baseUrl}/readyz`, { signal: AbortSignal.timeout(500) })).ok,
      { timeoutMs: 15_000, intervalMs: 50, what: `Mailpit to answer (${output.slice(-500)})` },
    );
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    smtpPort,
    client,
    /** Starts it again after `stop` (same ports, same mailbox). */
    start,
    stop,
    /** Every message received, newest first. */
    async messages(): Promise<MailpitMessageSummary[]> {
      const out: MailpitMessageSummary[] = [];
      for (let start = 0; ; start += 500) {
        const page = await client.list({ start, limit: 500 });
        out.push(...page.messages);
        if (out.length >= page.messages_count || page.messages.length === 0) return out;
      }
    },
    /** The messages to an address, newest first. */
    async to(address: string): Promise<MailpitMessageSummary[]> {
      return (await client.search(toQuery(address), { limit: 500 })).messages.filter((m) =>
        m.To.some((t) => t.Address === address),
      );
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type OwnMailpit = Awaited<ReturnType<typeof startMailpit>>;
