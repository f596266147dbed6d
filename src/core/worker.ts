/**
 * Starting a worker thread on a module that sits next to the caller, from the compiled build or
 * from the sources alike. Compiled (dist/*.js), the worker module runs as is. From the sources,
 * tsx registers its loader in this process only, so worker-boot.mjs registers it inside the
 * worker first (Node 20 ignores `execArgv: ['--import', 'tsx']` for `.ts` worker entries —
 * checked: it fails with ERR_UNKNOWN_FILE_EXTENSION).
 */
import { Worker } from 'node:worker_threads';

/** A Worker running `./NAME.js` (built) or `./NAME.ts` (sources) relative to `callerUrl`. */
export function startWorker(callerUrl: string, name: string, workerData: Record<string, unknown> = {}): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  return new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...workerData, entry } });
}
