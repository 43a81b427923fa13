// The HiGHS solver (WebAssembly) in a worker thread: a solve is synchronous and can take seconds, so
// it never runs on the service's event loop. Plain JavaScript so that the thread needs no TypeScript
// loader, whoever starts it (the service, vitest, a bench under tsx). Messages: `{ id, model }` in,
// `{ id, solution }` or `{ id, error }` out; `model` is a `LinearModel` (see ../domain/calls/linear.ts).
import { parentPort } from 'node:worker_threads';
import loadHighs from 'highs';

const highs = await loadHighs();
const { modelStatus, objectiveSense, variableType } = highs.constants;

const finite = (x) =>
  x === Number.POSITIVE_INFINITY ? highs.infinity : x === Number.NEGATIVE_INFINITY ? -highs.infinity : x;

const STATUS = new Map([
  [modelStatus.optimal, 'optimal'],
  [modelStatus.infeasible, 'infeasible'],
  [modelStatus.timeLimit, 'time-limit'],
  [modelStatus.unbounded, 'unbounded'],
  [modelStatus.empty, 'optimal'],
]);

function solve(m) {
  const numCols = m.cost.length;
  const numRows = m.rowUpper.length;
  const started = performance.now();
  const model = highs.createModel({
    numCols,
    numRows,
    sense: m.sense === 'max' ? objectiveSense.maximize : objectiveSense.minimize,
    colCost: m.cost,
    colLower: m.colLower.map(finite),
    colUpper: m.colUpper.map(finite),
    rowLower: m.rowLower.map(finite),
    rowUpper: m.rowUpper.map(finite),
    matrix: { format: 'csr', numRows, numCols, starts: m.rowStarts, indices: m.indices, values: m.values },
    integrality: m.integer.map((i) => (i ? variableType.integer : variableType.continuous)),
  });
  try {
    model.options.set({
      output_flag: false,
      mip_rel_gap: m.mipRelGap ?? 1e-4,
      ...(m.timeLimitSeconds ? { time_limit: m.timeLimitSeconds } : {}),
    });
    model.run();
    const code = model.getModelStatus();
    const status = STATUS.get(code) ?? `other:${code}`;
    const feasible =
      status === 'optimal' || (status === 'time-limit' && model.info.get('primal_solution_status') === 2);
    const isMip = m.integer.some(Boolean);
    const objective = feasible ? model.getObjectiveValue() : Number.NaN;
    const bound = !feasible ? Number.NaN : isMip ? model.info.get('mip_dual_bound') : objective;
    return {
      status,
      objective,
      bound,
      values: feasible ? Array.from(model.getSolution().colValue) : [],
      millis: performance.now() - started,
    };
  } finally {
    model.dispose();
  }
}

parentPort.on('message', ({ id, model }) => {
  try {
    parentPort.postMessage({ id, solution: solve(model) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
