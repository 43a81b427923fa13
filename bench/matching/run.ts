import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { bruteForceOver, matchNeed, matchOffer } from '../../services/matching/src/domain/engine';
import { type Ranked, scoreEveryPair } from '../../services/matching/src/domain/exhaustive';
import { MatchIndex } from '../../services/matching/src/domain/match-index';
import type { Proposal } from '../../services/matching/src/domain/types';
import { BENCH_NOW, Generator } from './generate';

/**
 * Matching benchmark (issue 5): builds the in-memory index from 100,000 open offers, 100,000 open
 * needs and 20,000 organisations, then times matching one new need with the engine against scoring
 * every offer (brute force) in the same run. Prints figures; asserts nothing.
 *
 *   node --expose-gc --import tsx bench/matching/run.ts [offers] [needs] [organisations] [engineSamples] [bruteSamples] [offerSamples] [seed]
 */

const [
  offers = 100_000,
  needs = 100_000,
  organisations = 20_000,
  engineSamples = 1_000,
  bruteSamples = 50,
  offerSamples = 0,
  seed = 42,
] = process.argv.slice(2).map(Number);

const gc = (globalThis as { gc?: () => void }).gc;

/** Linux's CPU pressure: the share of time something waited for a CPU (other work on the machine). */
function pressure(): string {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    return `, CPU pressure ${line.replace(/ total=\d+/, '')}`;
  } catch {
    return '';
  }
}
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (x: number) => `${x.toFixed(3)} ms`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** CPU milliseconds of this process per item, by the item's index (see `timeInOrder`). */
const cpuTimes = new Map<readonly unknown[], number[]>();

/**
 * Wall-clock milliseconds per item, in the items' order. The process's CPU time is kept too: on a
 * shared machine it says what the work costs when other processes take the CPU away.
 */
function timeInOrder<T>(items: readonly T[], run: (item: T) => void): number[] {
  const cpu: number[] = [];
  const wall = items.map((item) => {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    run(item);
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
    return elapsed;
  });
  cpuTimes.set(items, cpu);
  return wall;
}

const sorted = (times: readonly number[]) => [...times].sort((a, b) => a - b);

function report(label: string, times: readonly number[], items?: readonly unknown[]): void {
  const mean = times.reduce((s, t) => s + t, 0) / times.length;
  console.log(
    `${label.padEnd(34)} n=${String(times.length).padStart(5)}  p50 ${ms(percentile(times, 50))}  p99 ${ms(percentile(times, 99))}  max ${ms(times[times.length - 1] ?? 0)}  mean ${ms(mean)}`,
  );
  const cpu = items && cpuTimes.get(items);
  if (cpu) {
    const c = [...cpu].sort((a, b) => a - b);
    console.log(
      `${'  (CPU time of the process)'.padEnd(34)}         p50 ${ms(percentile(c, 50))}  p99 ${ms(percentile(c, 99))}`,
    );
  }
}

console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}${pressure()}`,
);
console.log(
  `matching benchmark: ${offers} offers, ${needs} needs, ${organisations} organisations, seed ${seed}, node ${process.version}`,
);
if (!gc) console.log('(run node with --expose-gc for RSS figures after a full collection)');

let start = performance.now();
const generator = new Generator(seed);
const world = generator.world({ organisations, needs, offers });
console.log(
  `generated the read model in ${((performance.now() - start) / 1000).toFixed(1)} s (not part of the figures)`,
);
gc?.();
const rssBefore = process.memoryUsage().rss;

start = performance.now();
const index = MatchIndex.build(world);
const buildSeconds = (performance.now() - start) / 1000;
gc?.();
const memory = process.memoryUsage();
const stats = index.stats();
console.log(`\nindex built from the read model in ${buildSeconds.toFixed(2)} s   (target < 30 s)`);
console.log(
  `  offers: ${stats.offers.items} filed under ${stats.offers.keys} keys (${stats.offers.entries} entries); needs: ${stats.needs.items} under ${stats.needs.keys} keys (${stats.needs.entries} entries)`,
);
console.log(
  `process RSS after build: ${mib(memory.rss)}   (target < 1024 MiB; heap used ${mib(memory.heapUsed)}, RSS before the index ${mib(rssBefore)})`,
);

const ctx = { index, now: BENCH_NOW };
// New needs, not in the index: each timing includes reading the need's text.
const freshNeeds = Array.from({ length: engineSamples }, () => generator.need());

// Brute force scores every open offer with the same rules and scoring, over the same packed records:
// the only difference from the engine is that nothing is filtered by the index's keys.
const everyOffer = index.everyOffer();
const oracle = { now: BENCH_NOW, organisation: (id: string) => index.organisation(id) };
// Warm-up on needs of their own, after everything above is allocated: let the JIT compile the hot
// paths of both, and the heap settle, before anything is timed (a service matches for hours).
for (let i = 0; i < 300; i++) {
  const need = generator.need();
  matchNeed(need, ctx);
  if (i % 30 === 0) bruteForceOver(need, everyOffer, oracle);
}
// Brute force times every `stride`-th need right after the engine matched it, so that both are
// measured in the same moments: on a shared machine the speed drifts by a third from minute to
// minute, and timing one after the other would compare two different machines.
const stride = Math.max(1, Math.floor(engineSamples / Math.max(1, bruteSamples)));
const bruteNeeds = freshNeeds.filter((_, i) => i % stride === 0).slice(0, bruteSamples);
const bruteResults = new Map<string, Proposal[]>();
const engineResults = new Map<string, Proposal[]>();
const engineTimesInOrder: number[] = [];
const bruteTimesInOrder: number[] = [];
const engineCpu: number[] = [];
const bruteCpu: number[] = [];
// The plain baseline: every pair scored in full, text and rules included, every provider with every
// funder (`scoreEveryPair`), on the same needs as brute force.
const fullResults = new Map<string, Ranked[]>();
const fullTimesInOrder: number[] = [];
const fullCpu: number[] = [];

function timed<T>(run: () => T, wall: number[], cpu: number[]): T {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const result = run();
  wall.push(performance.now() - start);
  const used = process.cpuUsage(startCpu);
  cpu.push((used.user + used.system) / 1000);
  return result;
}

let proposals = 0;
let triads = 0;
freshNeeds.forEach((need, i) => {
  const result = timed(() => matchNeed(need, ctx), engineTimesInOrder, engineCpu);
  proposals += result.length;
  triads += result.filter((p) => p.offerIds.length === 2).length;
  if (i % stride === 0 && bruteResults.size < bruteSamples) {
    engineResults.set(need.id, result);
    bruteResults.set(
      need.id,
      timed(() => bruteForceOver(need, everyOffer, oracle), bruteTimesInOrder, bruteCpu),
    );
  }
});
cpuTimes.set(freshNeeds, engineCpu);
cpuTimes.set(bruteNeeds, bruteCpu);
// Full scoring afterwards, not in between: each of its runs allocates enough to bring the garbage
// collector into the engine's timings, and at hundreds of times the engine's time the drift of the
// machine's speed does not matter.
for (const need of bruteNeeds) {
  fullResults.set(
    need.id,
    timed(() => scoreEveryPair(need, everyOffer, oracle.organisation, oracle), fullTimesInOrder, fullCpu),
  );
}
const fullNeeds = [...bruteNeeds];
cpuTimes.set(fullNeeds, fullCpu);
let candidates = 0;
for (const need of freshNeeds) {
  const org = index.organisation(need.organisationId);
  if (org) candidates += index.offerCandidates(need, org, 'offer').slots.length;
}
const engineTimes = sorted(engineTimesInOrder);
const bruteTimes = sorted(bruteTimesInOrder);
console.log('\nmatch one new need:');
report('engine (index + rules + score)', engineTimes, freshNeeds);
console.log(
  `  ${(proposals / freshNeeds.length).toFixed(2)} proposals per need (${triads} triads in all), ${(candidates / freshNeeds.length).toFixed(0)} candidates retrieved per need on average, out of ${stats.offers.items} offers`,
);
report('brute force (every offer scored)', bruteTimes, bruteNeeds);
const agree = bruteNeeds.filter((n) =>
  isDeepStrictEqual(engineResults.get(n.id), bruteResults.get(n.id)),
).length;
console.log(
  `  engine and brute force agree on ${agree} of ${bruteNeeds.length} needs (brute force timed on every ${stride}th need, right after the engine)`,
);
const fullTimes = sorted(fullTimesInOrder);
report('every pair scored in full', fullTimes, fullNeeds);
const agreeFull = bruteNeeds.filter((n) =>
  isDeepStrictEqual(
    engineResults.get(n.id)?.map((p) => ({ offerIds: p.offerIds, score: p.score })),
    fullResults.get(n.id),
  ),
).length;
console.log(`  engine and full scoring agree on ${agreeFull} of ${bruteNeeds.length} needs`);

/**
 * The speed-up over a baseline timed on the same needs: ratio of p50s and of p99s, and need by need
 * among the needs that got proposals (for a need nobody can answer both stop at once, and the ratio
 * of two near-zero times says nothing).
 */
function speedUp(label: string, baseline: readonly number[], inOrder: readonly number[]): void {
  const paired = bruteNeeds
    .map((need, i) => ({
      need,
      ratio: (inOrder[i] as number) / (engineTimesInOrder[freshNeeds.indexOf(need)] as number),
    }))
    .filter(({ need }) => (bruteResults.get(need.id)?.length ?? 0) > 0)
    .map(({ ratio }) => ratio)
    .sort((a, b) => a - b);
  console.log(
    `speed-up over ${label}: p50 ${(percentile(baseline, 50) / percentile(engineTimes, 50)).toFixed(0)}x, p99 ${(percentile(baseline, 99) / percentile(engineTimes, 99)).toFixed(0)}x; need by need (${paired.length} answered needs) median ${percentile(paired, 50).toFixed(0)}x, p10 ${percentile(paired, 10).toFixed(0)}x`,
  );
}
console.log('');
speedUp('brute force', bruteTimes, bruteTimesInOrder);
speedUp('scoring every pair in full', fullTimes, fullTimesInOrder);
console.log('  (targets: engine p99 < 5 ms, at least 10x faster than brute force)');

// Freshness, when asked for: a new offer against the open needs. Not a target of the issue, and
// without the service's floors (see `MatchContext.floor`) every need the offer could answer is
// ranked again, which at 100,000 needs takes seconds per offer.
if (offerSamples > 0) {
  const freshOffers = Array.from({ length: offerSamples }, () => generator.offer());
  let reached = 0;
  const offerTimes = sorted(
    timeInOrder(freshOffers, (offer) => {
      index.upsertOffer(offer);
      reached += matchOffer(offer, ctx).length;
    }),
  );
  console.log('\nmatch one new offer against the open needs (freshness, no floors):');
  report('engine (index + rank needs again)', offerTimes);
  console.log(`  it enters the best three of ${(reached / freshOffers.length).toFixed(1)} needs on average`);
}

console.log(
  `\nmachine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}${pressure()}`,
);
console.log(
  `matching: offers=${offers} p50=${percentile(engineTimes, 50).toFixed(3)} p99=${percentile(engineTimes, 99).toFixed(3)} ms ` +
    `bruteP50Ratio=${(percentile(bruteTimes, 50) / percentile(engineTimes, 50)).toFixed(1)} agree=${agree}/${bruteNeeds.length} ` +
    `load=${(loadavg()[0] ?? 0).toFixed(1)}`,
);
