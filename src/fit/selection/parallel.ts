/**
 * Running independent model-selection tasks (folds × grid points) on a persistent pool of
 * worker threads plus the calling thread.
 *
 * - The pool starts once per process and grows on demand; idle workers are unref'd, so they
 *   never keep the process alive, and stay warm (JIT, loaded method modules) for the next run.
 * - The matrix is shipped once: each dataset is copied into SharedArrayBuffers once (cached by
 *   the identity of X.data, y, weights and ctx) and a worker is re-initialised only when it last
 *   saw another dataset — a message holding shared handles, no copy. Where SharedArrayBuffer
 *   is missing (a browser page without cross-origin isolation) the arrays are copied instead.
 * - threads = t means the calling thread + (t − 1) workers: on 2 cores that is one worker, and
 *   the main thread, whose JIT is already warm, works instead of waiting.
 * Tasks are deterministic, so results do not depend on the thread count or the order.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CeltError, InputError, NumericalError, OptionError, ParseError } from '../../core/errors.ts';
import type { Mat } from '../../core/matrix.ts';
import { startWorker } from '../../core/worker.ts';
import type { FitContext } from '../method-spec.ts';
import { runTask, type Task, type TaskData, type TaskMessage, type TaskResult } from './tasks.ts';

const ERRORS: Record<string, typeof CeltError> = { InputError, OptionError, NumericalError, ParseError, CeltError };

export interface PoolOptions {
  /** Threads incl. the calling one; undefined = automatic (inline unless the work pays for a worker). */
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Auto mode goes parallel above this much work, counted as n·p per task. Measured from dist/
 * (bench/threads.ts, per-thread CPU): a worker costs ≈ 45 ms CPU to start plus its cold JIT on
 * the first task. The 5-fold 100-α path CV on 238 × 386 (n·p·tasks ≈ 4.6e5) is ≈ 0.08 s CPU
 * in all, so a fresh worker does not pay (it does once the pool is warm); on 1000 × 2000
 * (1e7) the busiest thread drops from ≈ 3.0 to ≈ 2.2 s CPU (5 folds on 2 threads: 3 + 2).
 */
const AUTO_MIN_WORK = 2e6;

function autoThreads(X: Mat, nTasks: number): number {
  return X.rows * X.cols * nTasks >= AUTO_MIN_WORK ? defaultThreads() : 1;
}

type Shared = Float64Array | Int32Array;
const hasSAB = typeof SharedArrayBuffer !== 'undefined';

function share<T extends Shared>(a: T): T {
  if (!hasSAB) return a.slice() as T; // fallback: a private copy, cloned again per worker message
  const sab = new SharedArrayBuffer(a.byteLength);
  const out = new (a.constructor as new (b: SharedArrayBuffer) => T)(sab);
  out.set(a as never);
  return out;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

interface Dataset {
  id: number;
  init: Extract<TaskMessage, { type: 'init' }>;
  y: Float64Array;
  weights?: Float64Array;
  ctx: FitContext;
}

let nextDatasetId = 1;
const datasets = new WeakMap<Float64Array, Dataset[]>();

/** The shared copy of (X, y, weights, ctx), made once per dataset. */
function datasetFor(X: Mat, y: Float64Array, weights: Float64Array | undefined, ctx: FitContext): Dataset {
  const list = datasets.get(X.data) ?? [];
  // Identity finds the candidate; contents decide (a caller may refill the same arrays): an
  // O(np) comparison per run, small next to any task.
  const hit = list.find((d) => d.y === y && d.weights === weights && d.ctx === ctx && sameValues(d.init.X, X.data) && sameValues(d.init.y, y) && (!weights || sameValues(d.init.weights!, weights)));
  if (hit) return hit;
  const id = nextDatasetId++;
  const c: FitContext = { ...ctx, groups: ctx.groups ? share(ctx.groups) : undefined };
  const init = { type: 'init' as const, ds: id, rows: X.rows, cols: X.cols, X: share(X.data), y: share(y), weights: weights ? share(weights) : undefined, ctx: c };
  const d: Dataset = { id, init, y, weights, ctx };
  // Keep a few per matrix (a search with and without weights); drop the oldest beyond that.
  list.push(d);
  if (list.length > 4) list.shift();
  datasets.set(X.data, list);
  return d;
}

interface PoolWorker {
  w: Worker;
  /** Dataset id this worker holds. */
  ds: number;
  dead: boolean;
}

const pool: PoolWorker[] = [];
/** Runs are serialized: the pool's workers serve one runTasks call at a time. */
let queue: Promise<unknown> = Promise.resolve();
/** Tags messages so a result that arrives after its run failed is never taken for another run's. */
let runCounter = 0;

function spawn(): PoolWorker {
  const w = startWorker(import.meta.url, 'worker');
  const pw: PoolWorker = { w, ds: 0, dead: false };
  w.on('exit', () => {
    pw.dead = true;
    const i = pool.indexOf(pw);
    if (i >= 0) pool.splice(i, 1);
  });
  w.unref();
  return pw;
}

/** Stop every pool worker (tests, or a host that wants its threads back). */
export async function closePool(): Promise<void> {
  const ws = pool.splice(0);
  await Promise.all(ws.map((p) => p.w.terminate()));
}

export async function runTasks(X: Mat, y: Float64Array, weights: Float64Array | undefined, ctx: FitContext, tasks: Task[], opts: PoolOptions = {}): Promise<TaskResult[]> {
  const threads = Math.min(opts.threads ?? autoThreads(X, tasks.length), tasks.length);
  const d: TaskData = { X, y, weights, ctx };
  if (threads <= 1) {
    const results: TaskResult[] = [];
    tasks.forEach((t, i) => {
      results.push(runTask(d, t));
      opts.onProgress?.(i + 1, tasks.length);
    });
    return results;
  }
  const run = queue.then(() => runPooled(d, datasetFor(X, y, weights, ctx), tasks, threads - 1, opts));
  queue = run.catch(() => undefined);
  return run;
}

function runPooled(d: TaskData, ds: Dataset, tasks: Task[], helpers: number, opts: PoolOptions): Promise<TaskResult[]> {
  while (pool.length < helpers) pool.push(spawn());
  const workers = pool.slice(0, helpers);
  const results: TaskResult[] = new Array(tasks.length);
  const run = ++runCounter;
  let next = 0, done = 0, failed = false;
  const cleanup: Array<() => void> = [];
  return new Promise<TaskResult[]>((resolve, reject) => {
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      reject(e);
    };
    const finish = (i: number, r: TaskResult) => {
      results[i] = r;
      done++;
      opts.onProgress?.(done, tasks.length);
      if (done === tasks.length) resolve(results);
    };
    const feed = (pw: PoolWorker) => {
      if (failed || next >= tasks.length) return;
      const id = next++;
      pw.w.postMessage({ type: 'task', ds: ds.id, run, id, task: tasks[id]! } satisfies TaskMessage);
    };
    for (const pw of workers) {
      const onMessage = (m: { run: number; id: number; result?: TaskResult; error?: { name: string; message: string; location?: object } }) => {
        if (m.run !== run) return;
        if (m.error) {
          const Cls = ERRORS[m.error.name] ?? NumericalError;
          fail(new Cls(m.error.message, m.error.location ?? {}));
          return;
        }
        finish(m.id, m.result!);
        feed(pw);
      };
      const onError = (e: Error) => fail(e);
      const onExit = (code: number) => fail(new NumericalError(`worker thread exited (code ${code}) during model selection`));
      pw.w.on('message', onMessage).on('error', onError).on('exit', onExit);
      pw.w.ref(); // busy workers keep the process alive until their results arrive
      cleanup.push(() => {
        pw.w.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (!pw.dead) pw.w.unref();
      });
      if (pw.ds !== ds.id) {
        pw.w.postMessage(ds.init);
        pw.ds = ds.id;
      }
      feed(pw);
    }
    // The calling thread takes tasks too, yielding between them so worker results are handled.
    const mainStep = () => {
      if (failed || next >= tasks.length) return;
      const id = next++;
      try {
        finish(id, runTask(d, tasks[id]!));
      } catch (e) {
        fail(e);
        return;
      }
      setImmediate(mainStep);
    };
    setImmediate(mainStep);
  }).finally(() => cleanup.forEach((f) => f()));
}
