/**
 * Worker-thread side of parallel model selection: holds the shared (SharedArrayBuffer) data
 * and runs fold/grid-point tasks posted by parallel.ts.
 */
import { parentPort } from 'node:worker_threads';
import { Mat } from '../../core/matrix.ts';
import { runTask, type TaskData, type TaskMessage } from './tasks.ts';

let data: TaskData | null = null;
// Method modules (HiGHS WASM, ℓ0 solvers, …) load only when a task needs the registry: path
// tasks do not, and start-up time is what limits threads on small problems.
let methodsLoaded = false;

parentPort!.on('message', async (msg: TaskMessage) => {
  if (msg.type === 'init') {
    data = { X: new Mat(msg.rows, msg.cols, new Float64Array(msg.X)), y: new Float64Array(msg.y), weights: msg.weights ? new Float64Array(msg.weights) : undefined, ctx: msg.ctx };
    return;
  }
  try {
    if (msg.task.kind === 'fit' && !methodsLoaded) {
      await import('../methods/index.ts');
      methodsLoaded = true;
    }
    const result = runTask(data!, msg.task);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (e) {
    const err = e as Error & { location?: unknown };
    parentPort!.postMessage({ id: msg.id, error: { name: err.name, message: err.message, location: err.location } });
  }
});
