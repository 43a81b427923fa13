/**
 * A linear (mixed-integer) model as plain arrays, and the solver as a function the caller injects:
 * the domain writes models and reads solutions, the service runs HiGHS in a worker thread
 * (`solver/highs.ts`), so nothing here waits on I/O or blocks.
 */
export interface LinearModel {
  readonly sense: 'max' | 'min';
  readonly cost: readonly number[];
  readonly colLower: readonly number[];
  readonly colUpper: readonly number[];
  /** true for an integer column; a model without any is an LP. */
  readonly integer: readonly boolean[];
  readonly rowLower: readonly number[];
  readonly rowUpper: readonly number[];
  /** The rows in compressed sparse row form: row r is `indices/values[rowStarts[r] … rowStarts[r + 1])`. */
  readonly rowStarts: readonly number[];
  readonly indices: readonly number[];
  readonly values: readonly number[];
  /** The relative gap at which branch-and-bound may stop (HiGHS `mip_rel_gap`). */
  readonly mipRelGap?: number;
  readonly timeLimitSeconds?: number;
}

export interface LinearSolution {
  readonly status: 'optimal' | 'infeasible' | 'time-limit' | 'unbounded' | `other:${number}`;
  readonly objective: number;
  /** The best bound proved: the MIP's dual bound, or the LP's own optimum. */
  readonly bound: number;
  readonly values: readonly number[];
  readonly millis: number;
}

export type Solve = (model: LinearModel) => Promise<LinearSolution>;

/** Builds a model row by row over a fixed number of columns. */
export class ModelBuilder {
  private readonly rowLower: number[] = [];
  private readonly rowUpper: number[] = [];
  private readonly rowStarts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];
  readonly colLower: number[];
  readonly colUpper: number[];
  readonly integer: boolean[];

  constructor(
    readonly cost: number[],
    integer: boolean,
  ) {
    this.colLower = cost.map(() => 0);
    this.colUpper = cost.map(() => 1);
    this.integer = cost.map(() => integer);
  }

  /** lower ≤ Σ coefficients[j] · x[j] ≤ upper over the columns given. */
  row(
    columns: readonly number[],
    coefficients: readonly number[] | number,
    lower: number,
    upper: number,
  ): void {
    columns.forEach((j, k) => {
      this.indices.push(j);
      this.values.push(typeof coefficients === 'number' ? coefficients : (coefficients[k] as number));
    });
    this.rowStarts.push(this.indices.length);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
  }

  build(options: { sense: 'max' | 'min'; mipRelGap?: number; timeLimitSeconds?: number }): LinearModel {
    return {
      ...options,
      cost: this.cost,
      colLower: this.colLower,
      colUpper: this.colUpper,
      integer: this.integer,
      rowLower: this.rowLower,
      rowUpper: this.rowUpper,
      rowStarts: this.rowStarts,
      indices: this.indices,
      values: this.values,
    };
  }
}
