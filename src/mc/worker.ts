/** Worker-thread side of parallel.ts: rebuild the sampler, run the assigned conditions. */
import { parentPort, workerData } from 'node:worker_threads';
import { CeltError } from '../core/errors.ts';
import { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { WorkerJob, WorkerMessage } from './parallel.ts';
import { buildSampler, runCondition } from './run.ts';

const job = (workerData as { job: WorkerJob }).job;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  const model = ClusterExpansion.fromJSON(job.model);
  const sampler = buildSampler(model, job.options);
  for (const k of job.indices) {
    let last = 0;
    const r = runCondition(sampler, job.options, job.conditions[k]!, job.seeds[k]!, job.start, (d) => {
      post({ kind: 'progress', steps: d - last });
      last = d;
    });
    post({ kind: 'result', index: k, summary: r.summary, detail: r.detail });
  }
  post({ kind: 'done' });
} catch (e) {
  if (e instanceof CeltError) post({ kind: 'error', name: e.name, message: e.message, ...(e.location.field ? { field: e.location.field } : {}) });
  else post({ kind: 'error', name: 'Error', message: (e as Error).stack ?? String(e) });
}
