/**
 * Worker-thread side of parallel model selection: holds the latest dataset it was sent
 * (SharedArrayBuffer views, or copies where shared memory is unavailable) and runs
 * fold/grid-point tasks posted by parallel.ts; results echo the run tag they came with.
 */
import { parentPort } from 'node:worker_threads';
import { Mat } from '../../core/matrix.ts';
import { pathFold } from './enet-path-cv.ts';
import type { TaskData, TaskMessage } from './tasks.ts';

let data: TaskData | null = null;
let dataId = 0;
// tasks.ts brings the filled method registry (every method module, HiGHS WASM, ≈100 ms): it loads
// only when a fit task comes. Path tasks do not need it, and start-up time limits threads on small problems.
let runTask: typeof import('./tasks.ts').runTask | null = null;

parentPort!.on('message', async (msg: TaskMessage) => {
  if (msg.type === 'init') {
    data = { X: new Mat(msg.rows, msg.cols, msg.X), y: msg.y, weights: msg.weights, ctx: msg.ctx };
    dataId = msg.ds;
    return;
  }
  try {
    if (msg.ds !== dataId) throw new Error(`worker holds dataset ${dataId}, task wants ${msg.ds}`);
    const task = msg.task;
    if (task.kind === 'fit' && !runTask) runTask = (await import('./tasks.ts')).runTask;
    // a method with async set-up (HiGHS for 'constrained') gets it once per worker
    if (task.kind === 'fit') await (await import('../registry.ts')).prepareMethod(task.method);
    const result = task.kind === 'path' ? pathFold(data!.X, data!.y, task, data!.weights) : runTask!(data!, task);
    parentPort!.postMessage({ run: msg.run, id: msg.id, result });
  } catch (e) {
    const err = e as Error & { location?: unknown };
    parentPort!.postMessage({ run: msg.run, id: msg.id, error: { name: err.name, message: err.message, location: err.location } });
  }
});
