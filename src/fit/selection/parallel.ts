/**
 * Running independent model-selection tasks (folds × grid points) on worker threads. The data
 * are copied once into SharedArrayBuffers; each worker keeps them and receives only index sets.
 * With threads ≤ 1 everything runs inline (same results: tasks are deterministic).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CeltError, InputError, NumericalError, OptionError, ParseError } from '../../core/errors.ts';

const ERRORS: Record<string, typeof CeltError> = { InputError, OptionError, NumericalError, ParseError, CeltError };
import type { Mat } from '../../core/matrix.ts';
import type { FitContext } from '../registry.ts';
import { runTask, type Task, type TaskData, type TaskResult } from './tasks.ts';

export interface PoolOptions {
  /** Worker threads; undefined = automatic (inline for small jobs, else all cores up to 8). */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

function share(a: Float64Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Float64Array(sab).set(a);
  return sab;
}

export async function runTasks(X: Mat, y: Float64Array, weights: Float64Array | undefined, ctx: FitContext, tasks: Task[], opts: PoolOptions = {}): Promise<TaskResult[]> {
  // Auto mode: a worker costs ~0.5–1 s of start-up (loader + modules), so small jobs run inline.
  const auto = opts.threads === undefined ? (X.rows * X.cols * tasks.length >= 2e6 ? defaultThreads() : 1) : opts.threads;
  const threads = Math.min(auto, tasks.length);
  const results: TaskResult[] = new Array(tasks.length);
  if (threads <= 1) {
    const d: TaskData = { X, y, weights, ctx };
    tasks.forEach((t, i) => {
      results[i] = runTask(d, t);
      opts.onProgress?.(i + 1, tasks.length);
    });
    return results;
  }
  const init = { type: 'init' as const, rows: X.rows, cols: X.cols, X: share(X.data), y: share(y), weights: weights ? share(weights) : undefined, ctx };
  const workers: Worker[] = [];
  // Compiled (dist/*.js): the worker module runs as is. From the sources, tsx registers its
  // loader in this process only; worker-boot.mjs registers it in the worker.
  const compiled = import.meta.url.endsWith('.js');
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const entry = new URL('./worker.ts', import.meta.url).href;
  let next = 0, done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next >= tasks.length) return;
        const id = next++;
        w.postMessage({ type: 'task', id, task: tasks[id] });
      };
      for (let t = 0; t < threads; t++) {
        const w = compiled ? new Worker(new URL('./worker.js', import.meta.url)) : new Worker(boot, { workerData: { entry } });
        workers.push(w);
        w.on('message', (m: { id: number; result?: TaskResult; error?: { name: string; message: string; location?: object } }) => {
          if (m.error) {
            const Cls = ERRORS[m.error.name] ?? NumericalError;
            reject(new Cls(m.error.message, m.error.location ?? {}));
            return;
          }
          results[m.id] = m.result!;
          done++;
          opts.onProgress?.(done, tasks.length);
          if (done === tasks.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        w.postMessage(init);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
