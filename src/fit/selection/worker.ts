/**
 * Worker-thread side of parallel model selection: holds the shared (SharedArrayBuffer) data
 * and runs fold/grid-point tasks posted by parallel.ts.
 */
import { parentPort } from 'node:worker_threads';
import { Mat } from '../../core/matrix.ts';
import { pathFold } from './enet-path-cv.ts';
import type { TaskData, TaskMessage } from './tasks.ts';

let data: TaskData | null = null;
// tasks.ts brings the filled method registry (every method module, ≈100 ms): it loads only when
// a fit task comes. Path tasks do not need it, and start-up time limits threads on small problems.
let runTask: typeof import('./tasks.ts').runTask | null = null;

parentPort!.on('message', async (msg: TaskMessage) => {
  if (msg.type === 'init') {
    data = { X: new Mat(msg.rows, msg.cols, new Float64Array(msg.X)), y: new Float64Array(msg.y), weights: msg.weights ? new Float64Array(msg.weights) : undefined, ctx: msg.ctx };
    return;
  }
  try {
    const task = msg.task;
    if (task.kind === 'fit' && !runTask) runTask = (await import('./tasks.ts')).runTask;
    const result = task.kind === 'path' ? pathFold(data!.X, data!.y, task, data!.weights) : runTask!(data!, task);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (e) {
    const err = e as Error & { location?: unknown };
    parentPort!.postMessage({ id: msg.id, error: { name: err.name, message: err.message, location: err.location } });
  }
});
