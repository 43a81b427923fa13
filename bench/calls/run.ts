import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { NeedType, OfferSnapshot } from '../../packages/contracts/src';
import { assignCall, relaxationBound } from '../../services/matching/src/domain/calls/assign';
import { callCandidates } from '../../services/matching/src/domain/calls/candidates';
import { greedyAssignment } from '../../services/matching/src/domain/calls/greedy';
import type { CallCandidate, CallTerms } from '../../services/matching/src/domain/calls/types';
import { HighsSolver } from '../../services/matching/src/solver/highs';
import { BENCH_NOW, Generator, mulberry32, Rng } from '../matching/generate';

/**
 * Calls benchmark (issue 17): 5,000 candidate needs and 50 calls (places, budgets, both; a fifth
 * with a per-country cap), seeded. For each call: the assignment HiGHS finds (timed, through its
 * worker thread), the LP relaxation's bound, and greedy first-come and best-first on the same
 * candidates. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/calls/run.ts [needs] [calls] [seed]
 */

const [needCount = 5_000, callCount = 50, seed = 42] = process.argv.slice(2).map(Number);

const ALL_TYPES: NeedType[] = [
  'market-access',
  'technology',
  'financing',
  'capacity-building',
  'knowledge-exchange',
  'supply-chain',
];

function pressure(): string {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    return `, CPU pressure ${line.replace(/ total=\d+/, '')}`;
  } catch {
    return '';
  }
}
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}${pressure()}`,
);
console.log(`calls benchmark: ${needCount} needs, ${callCount} calls, seed ${seed}, node ${process.version}`);

const generator = new Generator(seed);
const world = generator.world({ organisations: Math.ceil(needCount / 2.5), needs: needCount, offers: 0 });
const organisations = new Map(world.organisations.map((o) => [o.id, o]));
const rng = new Rng(mulberry32(seed * 7919));

/**
 * A call: a generated offer opened to every type of need in its sectors and languages (a call for
 * proposals), with no eligibility list or modality of its own (its organisation's country still
 * decides South-South or North-South, R8) and no amount range (its budget does that work).
 */
function aCall(): { offer: OfferSnapshot; candidates: CallCandidate[] } {
  for (;;) {
    const base = generator.offer();
    const offer: OfferSnapshot = {
      ...base,
      types: ALL_TYPES,
      eligibility: {},
      modalities: [],
      amount: undefined,
    };
    const found = callCandidates(offer, world.needs, (id) => organisations.get(id), BENCH_NOW);
    if (found.length < 60) continue;
    const opens = Date.parse('2026-09-01T00:00:00Z');
    // Applying to a call means asking for an amount: the need's own, or one drawn like it.
    const candidates = found.map(({ pair: _pair, ...c }) => ({
      ...c,
      amount: c.amount ?? { value: rng.int(1, 60) * 5_000, currency: 'USD' },
      appliedAt: new Date(opens + rng.int(0, 80 * 86_400_000)).toISOString(),
    }));
    return { offer, candidates };
  }
}

function termsFor(candidates: readonly CallCandidate[], kind: number): CallTerms {
  const n = candidates.length;
  const places = Math.max(10, Math.min(300, Math.round(n * (0.05 + rng.float() * 0.3))));
  // A budget for about a tenth to a third of what the candidates ask, in US dollars or euros.
  const currency = rng.chance(0.7) ? 'USD' : 'EUR';
  const asked = candidates.reduce((sum, c) => sum + (c.amount?.currency === 'USD' ? c.amount.value : 0), 0);
  const budget = { value: Math.round(asked * (0.1 + rng.float() * 0.25)), currency };
  const cap = rng.chance(0.2) ? { countryCap: Math.max(2, Math.round(places / 10)) } : {};
  if (kind === 0) return { places, fairness: cap };
  if (kind === 1) return { budget, fairness: cap };
  return { places, budget, fairness: cap };
}

const solver = new HighsSolver();
const delay = monitorEventLoopDelay({ resolution: 1 });
let generated = 0;
const started = performance.now();
const instances = Array.from({ length: callCount }, (_, i) => {
  const { candidates } = aCall();
  generated += candidates.length;
  return { candidates, terms: termsFor(candidates, i % 3) };
});
console.log(
  `generated ${instances.length} calls in ${((performance.now() - started) / 1000).toFixed(1)} s: ${(generated / instances.length).toFixed(0)} eligible needs per call on average (${Math.min(...instances.map((x) => x.candidates.length))}–${Math.max(...instances.map((x) => x.candidates.length))}), candidates found through the engine's rules and scores`,
);

// Warm-up: the worker loads the WebAssembly module and the JIT compiles both sides.
await assignCall({ places: 5 }, instances[0]?.candidates ?? [], solver.solve);

interface Row {
  n: number;
  kind: string;
  objective: number;
  bound: number;
  lp: number;
  first: number;
  best: number;
  wall: number;
  solver: number;
  chosen: number;
}
const rows: Row[] = [];
delay.enable();
for (const { candidates, terms } of instances) {
  const start = performance.now();
  const result = await assignCall(terms, candidates, solver.solve);
  const wall = performance.now() - start;
  const lp = await relaxationBound(terms, candidates, solver.solve);
  rows.push({
    n: candidates.length,
    kind: [
      terms.places !== undefined ? `places ${terms.places}` : '',
      terms.budget ? `budget ${terms.budget.currency}` : '',
      terms.fairness?.countryCap !== undefined ? `cap ${terms.fairness.countryCap}` : '',
    ]
      .filter(Boolean)
      .join(', '),
    objective: result.objective,
    bound: result.bound,
    lp,
    first: greedyAssignment(terms, candidates, 'first-come').objective,
    best: greedyAssignment(terms, candidates, 'best-first').objective,
    wall,
    solver: result.solverMillis,
    chosen: result.chosen.length,
  });
}
delay.disable();
await solver.close();

console.log(
  '\n call  needs  chosen  terms                          objective  LP bound   gap     ×first  ×best   solve ms',
);
rows.forEach((r, i) => {
  console.log(
    `${String(i + 1).padStart(5)}  ${String(r.n).padStart(5)}  ${String(r.chosen).padStart(6)}  ${r.kind.padEnd(29)}  ${r.objective.toFixed(3).padStart(9)}  ${r.lp.toFixed(3).padStart(8)}  ${(((r.lp - r.objective) / r.lp) * 100).toFixed(3).padStart(6)}%  ${(r.objective / r.first).toFixed(3).padStart(6)}  ${(r.objective / r.best).toFixed(4).padStart(6)}  ${r.wall.toFixed(1).padStart(8)}`,
  );
});

const gaps = rows.map((r) => (r.lp - r.objective) / r.lp);
const gapToBound = Math.max(...gaps) * 100;
const meanGap = (gaps.reduce((s, g) => s + g, 0) / gaps.length) * 100;
const minVsGreedyFirst = Math.min(...rows.map((r) => r.objective / r.first));
const minVsGreedyBest = Math.min(...rows.map((r) => r.objective / r.best));
const walls = rows.map((r) => r.wall).sort((a, b) => a - b);
const solveP95 = percentile(walls, 95);
const belowGreedy = rows.filter((r) => r.objective < Math.max(r.first, r.best) - 1e-9).length;
const overSolverBound = rows.filter((r) => r.objective > r.bound + 1e-9).length;
console.log(
  `\nsolve (wall, through the worker): p50 ${percentile(walls, 50).toFixed(1)} ms, p95 ${solveP95.toFixed(1)} ms, max ${(walls[walls.length - 1] ?? 0).toFixed(1)} ms; in HiGHS: ${rows
    .reduce((s, r) => s + r.solver, 0)
    .toFixed(0)} ms for all ${rows.length}`,
);
console.log(
  `gap to the LP bound: max ${gapToBound.toFixed(3)}%, mean ${meanGap.toFixed(3)}%; instances below a greedy: ${belowGreedy}; above the solver's own bound: ${overSolverBound}`,
);
console.log(
  `mean ratio to greedy first-come ${(rows.reduce((s, r) => s + r.objective / r.first, 0) / rows.length).toFixed(3)}, to greedy best-first ${(rows.reduce((s, r) => s + r.objective / r.best, 0) / rows.length).toFixed(4)}`,
);
console.log(
  `event loop while solving: max delay ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (the solves run in the worker thread)`,
);
console.log(
  `calls: instances=${rows.length} gapToBound=${gapToBound.toFixed(3)}% minVsGreedyFirst=${minVsGreedyFirst.toFixed(3)} minVsGreedyBest=${minVsGreedyBest.toFixed(4)} solveP95=${solveP95.toFixed(1)} ms`,
);
