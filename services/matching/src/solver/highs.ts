import { Worker } from 'node:worker_threads';
import type { LinearModel, LinearSolution, Solve } from '../domain/calls/linear';

interface Pending {
  resolve(solution: LinearSolution): void;
  reject(error: Error): void;
}

type Reply = { id: number; solution: LinearSolution } | { id: number; error: string };

/**
 * HiGHS in one worker thread: `solve` posts the model and resolves with the solution, so a solve of
 * seconds never blocks the event loop. Solves queue in the worker (HiGHS's WebAssembly build is
 * single-threaded). The thread does not keep the process alive; `close` ends it.
 */
export class HighsSolver {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor() {
    // Plain JavaScript: none of the service's flags (its TypeScript loader, its telemetry's
    // `--import`, which a worker would otherwise inherit and fail to load).
    this.worker = new Worker(new URL('./highs-worker.mjs', import.meta.url), { execArgv: [] });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiting.reject(new Error(`HiGHS: ${reply.error}`));
      else waiting.resolve(reply.solution);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the HiGHS worker exited (${code})`)));
  }

  readonly solve: Solve = (model: LinearModel) =>
    new Promise<LinearSolution>((resolve, reject) => {
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      // Only waiting keeps the process alive: a solve in flight must be able to finish.
      if (this.pending.size === 1) this.worker.ref();
      this.worker.postMessage({ id, model });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
