import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminCredentials, Client } from '../../packages/cli/src/client';
import { generateDemo } from '../../packages/cli/src/demo';
import {
  cpuSeconds,
  log,
  quantile,
  REPO_ROOT,
  type RunningSystem,
  run,
  startSystem,
  status,
  systemProcesses,
} from '../lib/system';

/**
 * A generated exchange imported through the command line into a running system, as a user would:
 *
 *   node --import tsx bench/import/run.ts [postings] [--idle-only]
 *
 * `postings` (default 100,000) are half needs, half offers, with one organisation per five
 * postings. Without MUTIRAO_URL the bench starts the system (`scripts/start.ts`, on the embedded
 * servers) on fresh database names and topics, on the usual ports, and stops it at the end; with it,
 * it uses that system as it is. It prints the import's rate (overall and its slowest tenth), how
 * long matching took to catch up after the import ended (`mutirao wait`), the p95 of browsing and
 * of the review queue through the web address, the peak RSS of every process, and the CPU the
 * whole system used over 60 s with nothing to do. Figures only: it asserts nothing.
 */

const args = process.argv.slice(2);
const idleOnly = args.includes('--idle-only');
const postings = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const size = {
  organisations: Math.max(10, Math.round(postings / 5)),
  needs: Math.round(postings / 2),
  offers: postings - Math.round(postings / 2),
};
// -------------------------------------------------------------------------------------------- steps

/** The CLI's import of the file, with the time of each progress line (every 10% off a terminal). */
async function importThroughCli(env: NodeJS.ProcessEnv, file: string, items: number) {
  const marks: { at: number; done: number }[] = [];
  const t0 = Date.now();
  const cli = run(
    process.execPath,
    ['--import', 'tsx', 'packages/cli/src/main.ts', 'import', file],
    env,
    (line) => {
      const m = /importing: (\d+)\/(\d+)/.exec(line);
      if (m) {
        marks.push({ at: Date.now(), done: Number(m[1]) });
        log(line);
      }
    },
  );
  let cliPeak = 0;
  const sampler = setInterval(() => {
    if (cli.child.pid) cliPeak = Math.max(cliPeak, status(cli.child.pid, 'VmHWM') ?? 0);
  }, 500);
  const code = await cli.done;
  clearInterval(sampler);
  const seconds = (Date.now() - t0) / 1000;
  if (code !== 0) throw new Error(`mutirao import failed (${code}):\n${cli.output()}`);
  let slowest = Number.POSITIVE_INFINITY;
  let prev = { at: t0, done: 0 };
  for (const m of marks) {
    if (m.done - prev.done >= items / 20 && m.at > prev.at)
      slowest = Math.min(slowest, (m.done - prev.done) / ((m.at - prev.at) / 1000));
    if (m.done - prev.done >= items / 20) prev = m;
  }
  return { seconds, rate: items / seconds, slowest, cliPeak };
}

async function timeRequests(client: Client, paths: string[]): Promise<number[]> {
  const ms: number[] = [];
  for (const path of paths) {
    const t = performance.now();
    await client.call('GET', path);
    ms.push(performance.now() - t);
  }
  return ms;
}

async function idleCpu(seconds = 60): Promise<{ total: number; by: string }> {
  const procs = systemProcesses();
  const before = new Map(procs.map((p) => [p.pid, cpuSeconds(p.pid)]));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = procs.map((p) => ({
    name: p.name,
    pct: ((cpuSeconds(p.pid) - (before.get(p.pid) ?? 0)) / seconds) * 100,
  }));
  return {
    total: used.reduce((a, b) => a + b.pct, 0),
    by: used.map((u) => `${u.name} ${u.pct.toFixed(2)}%`).join(', '),
  };
}

let system: RunningSystem | undefined;

async function main(): Promise<void> {
  system = await startSystem();
  const { env, url } = system;
  try {
    if (idleOnly) {
      // Past the start-up's last compilations and collections.
      await new Promise((r) => setTimeout(r, 30_000));
      const idle = await idleCpu();
      log(`idle CPU over 60 s: ${idle.total.toFixed(2)}% of one core (${idle.by})`);
      console.log(`idle: cpu=${idle.total.toFixed(2)}%`);
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'mutirao-bench-')), 'exchange.json');
    const t0 = Date.now();
    const exchange = generateDemo(4242, size);
    writeFileSync(file, JSON.stringify(exchange));
    const items = size.organisations + size.needs + size.offers;
    log(
      `generated ${size.organisations} organisations, ${size.needs} needs, ${size.offers} offers in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    const imported = await importThroughCli(env, file, items);
    rmSync(file, { force: true });
    log(
      `imported ${items} items in ${imported.seconds.toFixed(1)} s: ${imported.rate.toFixed(0)}/s overall, slowest twentieth ${imported.slowest.toFixed(0)}/s`,
    );

    const waitStart = Date.now();
    const wait = run(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'wait', '--timeout', '1800'],
      env,
    );
    if ((await wait.done) !== 0) throw new Error(`mutirao wait failed:\n${wait.output()}`);
    const caughtUp = (Date.now() - waitStart) / 1000;
    log(`matching caught up ${caughtUp.toFixed(1)} s after the import ended`);

    const client = new Client(url, adminCredentials(env, REPO_ROOT));
    const regions = [
      'Western Africa',
      'Eastern Africa',
      'South America',
      'South-eastern Asia',
      'Southern Asia',
    ];
    const types = ['financing', 'technology', 'capacity-building', 'market-access', 'knowledge-exchange'];
    const browsePaths = Array.from(
      { length: 200 },
      (_, i) =>
        `/api/exchange/needs?region=${encodeURIComponent(regions[i % regions.length] as string)}&type=${types[Math.floor(i / 5) % types.length]}&limit=20`,
    );
    const queuePaths = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? `/api/matching/proposals?limit=20`
        : `/api/matching/proposals?limit=20&region=${encodeURIComponent(regions[i % regions.length] as string)}`,
    );
    await timeRequests(client, browsePaths.slice(0, 10)); // warm up
    const browse = await timeRequests(client, browsePaths);
    const queue = await timeRequests(client, queuePaths);
    log(
      `browse (needs by region and type, first page): p50 ${quantile(browse, 0.5).toFixed(1)} ms, p95 ${quantile(browse, 0.95).toFixed(1)} ms`,
    );
    log(
      `review queue (first page): p50 ${quantile(queue, 0.5).toFixed(1)} ms, p95 ${quantile(queue, 0.95).toFixed(1)} ms`,
    );

    const peaks = systemProcesses().map((p) => `${p.name} ${(status(p.pid, 'VmHWM') ?? 0).toFixed(0)} MiB`);
    log(`peak RSS: ${peaks.join(', ')}, mutirao import ${imported.cliPeak.toFixed(0)} MiB`);

    await new Promise((r) => setTimeout(r, 10_000));
    const idle = await idleCpu();
    log(`idle CPU over 60 s: ${idle.total.toFixed(2)}% of one core (${idle.by})`);
    // The minute after: the first still holds the collections of heaps a 100k import left behind.
    const later = await idleCpu();
    log(`idle CPU over the next 60 s: ${later.total.toFixed(2)}% of one core (${later.by})`);

    console.log(
      `import: items=${items} rate=${imported.rate.toFixed(0)}/s slowest=${imported.slowest.toFixed(0)}/s caughtUp=${caughtUp.toFixed(1)} s ` +
        `browseP95=${quantile(browse, 0.95).toFixed(1)} ms queueP95=${quantile(queue, 0.95).toFixed(1)} ms idleCpu=${idle.total.toFixed(2)}% idleCpuNext=${later.total.toFixed(2)}%`,
    );
  } finally {
    await system.stop();
  }
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  await system?.stop().catch(() => undefined);
  process.exit(1);
});
