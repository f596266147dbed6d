/** The unit tasks of model selection, runnable inline or on a worker thread. */
import type { Mat } from '../../core/matrix.ts';
import type { FitOptions } from '../estimator.ts';
import { countNonzero } from '../linear-model.ts';
import { createEstimator, type FitContext } from '../registry.ts';
import { pathFold, type PathFoldResult, type PathFoldTask } from './enet-path-cv.ts';

export interface TaskData {
  X: Mat;
  y: Float64Array;
  weights?: Float64Array;
  ctx: FitContext;
}

export interface FitFoldTask {
  kind: 'fit';
  method: string;
  params: Record<string, unknown>;
  train: Int32Array;
  test: Int32Array;
}

export interface FitFoldResult {
  pred: Float64Array;
  nnz: number;
  converged: boolean;
}

export type Task = FitFoldTask | ({ kind: 'path' } & PathFoldTask);
export type TaskResult = FitFoldResult | PathFoldResult;

export type TaskMessage =
  | { type: 'init'; ds: number; rows: number; cols: number; X: Float64Array; y: Float64Array; weights?: Float64Array; ctx: FitContext }
  | { type: 'task'; ds: number; run: number; id: number; task: Task };

export function runTask(d: TaskData, task: Task): TaskResult {
  if (task.kind === 'path') return pathFold(d.X, d.y, task, d.weights);
  const est = createEstimator(task.method, task.params, d.ctx);
  const fo: FitOptions = {};
  if (d.weights) fo.sampleWeight = Float64Array.from(task.train, (i) => d.weights![i]!);
  est.fit(d.X.selectRows(task.train), Float64Array.from(task.train, (i) => d.y[i]!), fo);
  return { pred: est.predict(d.X.selectRows(task.test)), nnz: countNonzero(est.coef), converged: est.info.converged !== false };
}
