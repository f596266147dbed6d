/**
 * Worker-thread side of parallel model selection: holds the latest dataset it was sent
 * (SharedArrayBuffer views, or copies where shared memory is unavailable) and runs
 * fold/grid-point tasks posted by parallel.ts; results echo the run tag they came with.
 */
import { parentPort } from 'node:worker_threads';
import { Mat } from '../../core/matrix.ts';
import { runTask, type TaskData, type TaskMessage } from './tasks.ts';

let data: TaskData | null = null;
let dataId = 0;
// Method modules (HiGHS WASM, ℓ0 solvers, …) load only when a task needs the registry: path
// tasks do not, and start-up time is what limits threads on small problems.
let methodsLoaded = false;

parentPort!.on('message', async (msg: TaskMessage) => {
  if (msg.type === 'init') {
    data = { X: new Mat(msg.rows, msg.cols, msg.X), y: msg.y, weights: msg.weights, ctx: msg.ctx };
    dataId = msg.ds;
    return;
  }
  try {
    if (msg.ds !== dataId) throw new Error(`worker holds dataset ${dataId}, task wants ${msg.ds}`);
    if (msg.task.kind === 'fit' && !methodsLoaded) {
      await import('../methods/index.ts');
      methodsLoaded = true;
    }
    const result = runTask(data!, msg.task);
    parentPort!.postMessage({ run: msg.run, id: msg.id, result });
  } catch (e) {
    const err = e as Error & { location?: unknown };
    parentPort!.postMessage({ run: msg.run, id: msg.id, error: { name: err.name, message: err.message, location: err.location } });
  }
});
