/**
 * Conditions of a grid on worker threads. Each worker rebuilds the sampler from the model JSON
 * and runs the condition indices it is sent; condition k always uses seed k of the master
 * sequence and the same start, so the results are identical for any number of threads.
 */
import { startWorker } from '../core/worker.ts';
import { CeltError, InputError, OptionError } from '../core/errors.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { ConditionDetail, ConditionSummary, McOptions } from './run.ts';

export interface WorkerJob {
  model: unknown;
  options: Omit<McOptions, 'onProgress' | 'init'> & { init: { codes: Int32Array } };
  conditions: { T: number; mu: Record<string, number> }[];
  seeds: number[];
  start: Int32Array;
  indices: number[];
}

export type WorkerMessage =
  | { kind: 'progress'; steps: number }
  | { kind: 'result'; index: number; summary: ConditionSummary; detail: ConditionDetail }
  | { kind: 'error'; name: string; message: string; field?: string }
  | { kind: 'done' };

/**
 * `only` runs a subset of the condition indices (a task grid's unfinished ones); `onResult`
 * sees each result as it arrives (a grid writes it to disk at once). The returned array holds
 * the results at their condition index.
 */
export async function runOnWorkers(model: ClusterExpansion, o: McOptions, conditions: { T: number; mu: Record<string, number> }[], seeds: number[], start: Int32Array, threads: number, onProgress?: (done: number) => void, more: { only?: number[]; onResult?: (index: number, r: { summary: ConditionSummary; detail: ConditionDetail }) => void } = {}): Promise<{ summary: ConditionSummary; detail: ConditionDetail }[]> {
  const { onProgress: _p, init: _i, ...rest } = o;
  const results: { summary: ConditionSummary; detail: ConditionDetail }[] = new Array(conditions.length);
  let done = 0;
  const todo = more.only ?? conditions.map((_, k) => k);
  const jobs = Array.from({ length: threads }, (_, w) => todo.filter((_, j) => j % threads === w)).filter((j) => j.length > 0);
  await Promise.all(
    jobs.map(
      (indices) =>
        new Promise<void>((resolve, reject) => {
          const job: WorkerJob = { model: model.toJSON(), options: { ...rest, init: { codes: start } }, conditions, seeds, start, indices };
          const w = startWorker(import.meta.url, 'worker', { job });
          w.on('message', (m: WorkerMessage) => {
            if (m.kind === 'progress') {
              done += m.steps;
              onProgress?.(done);
            } else if (m.kind === 'result') {
              results[m.index] = { summary: m.summary, detail: m.detail };
              more.onResult?.(m.index, results[m.index]!);
            }
            else if (m.kind === 'error') {
              const Cls = m.name === 'OptionError' ? OptionError : m.name === 'InputError' ? InputError : CeltError;
              reject(new Cls(m.message, m.field ? { field: m.field } : {}));
            } else if (m.kind === 'done') {
              void w.terminate();
              resolve();
            }
          });
          w.on('error', reject);
        }),
    ),
  );
  return results;
}
