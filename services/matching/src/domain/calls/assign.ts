import { capacityModel, type Item, prepare, SCORE_EPSILON } from './capacity';
import type { LinearSolution, Solve } from './linear';
import { explainAssignment } from './reasons';
import type { CallAssignment, CallCandidate, CallTerms } from './types';

/** The relative gap HiGHS may stop at on a budget (knapsack) model; places alone solve exactly. */
export const MIP_REL_GAP = 1e-4;

export class SolverFailed extends Error {
  constructor(
    readonly stage: string,
    readonly status: string,
  ) {
    super(`the call's ${stage} model ended with status ${status}`);
  }
}

function expectSolved(stage: string, solution: LinearSolution): LinearSolution {
  // A time limit with an incumbent still gives an assignment; its bound says how far it may be.
  if (solution.status !== 'optimal' && solution.status !== 'time-limit')
    throw new SolverFailed(stage, solution.status);
  return solution;
}

const chosenOf = (items: readonly Item[], solution: LinearSolution) =>
  items.filter((_, j) => (solution.values[j] ?? 0) > 0.5);

/**
 * The call's capacity across its eligible needs, maximising the total score, with HiGHS through
 * `solve`. With `lowestFirst`, three solves: the plain optimum (how many needs it takes, K), the
 * highest floor under which K needs still fit, then the best total above that floor.
 */
export async function assignCall(
  terms: CallTerms,
  candidates: readonly CallCandidate[],
  solve: Solve,
  options: { mipRelGap?: number; timeLimitSeconds?: number } = {},
): Promise<CallAssignment> {
  const { items, excluded } = prepare(terms, candidates);
  const mipRelGap = options.mipRelGap ?? MIP_REL_GAP;
  if (items.length === 0)
    return {
      ...explainAssignment(terms, items, [], excluded, undefined),
      objective: 0,
      bound: 0,
      solverMillis: 0,
    };
  let millis = 0;
  const run = async (stage: string, model: ReturnType<typeof capacityModel>) => {
    const solution = expectSolved(
      stage,
      await solve({ ...model, timeLimitSeconds: options.timeLimitSeconds }),
    );
    millis += solution.millis;
    return solution;
  };
  let final = await run('total', capacityModel(terms, items, { integer: true, mipRelGap }));
  let floor: number | undefined;
  const count = chosenOf(items, final).length;
  if (terms.fairness?.lowestFirst && count > 0) {
    const maximin = await run(
      'lowest-first',
      capacityModel(terms, items, { integer: true, maximin: true, atLeast: count, mipRelGap: 0 }),
    );
    // z itself may sit a tolerance below the score it stands for: take the lowest chosen score.
    floor = Math.min(...chosenOf(items, maximin).map((item) => item.score));
    final = await run(
      'total-above-floor',
      capacityModel(terms, items, { integer: true, atLeast: count, floor, mipRelGap }),
    );
  }
  const chosen = chosenOf(items, final);
  return {
    ...explainAssignment(terms, items, chosen, excluded, floor),
    objective: chosen.reduce((sum, item) => sum + item.score, 0),
    bound: Math.max(final.bound, final.objective),
    floor,
    budgetUsed: terms.budget ? chosen.reduce((sum, item) => sum + (item.amount ?? 0), 0) : undefined,
    solverMillis: millis,
  };
}

/** The optimum of the LP relaxation (each need may be taken in part): a bound no assignment beats. */
export async function relaxationBound(
  terms: CallTerms,
  candidates: readonly CallCandidate[],
  solve: Solve,
): Promise<number> {
  const { items } = prepare(terms, candidates);
  const solution = await solve(capacityModel(terms, items, { integer: false }));
  if (solution.status !== 'optimal') throw new SolverFailed('relaxation', solution.status);
  return solution.objective;
}

export { SCORE_EPSILON };
