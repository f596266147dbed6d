/**
 * `celt search` as a task grid (src/exec): the shared payload is the dataset, the method, its
 * fixed parameters, the grid axes and the CV splits; the tasks are searchPlan's (one fold's
 * whole warm-started α path, or one grid point on one fold). Every executor runs tasks.ts's
 * runTask on them and the merge is mergeSearch — what gridSearch runs in process — so a grid's
 * merged result equals the in-process one.
 */
import type { GridSpec, TaskKind } from '../../exec/grid.ts';
import { Mat } from '../../core/matrix.ts';
import type { FitContext } from '../registry.ts';
import { runTasks } from './parallel.ts';
import { type GridAxis, mergeSearch, type SearchResult, searchPlan } from './search.ts';
import type { Split } from './splits.ts';
import { runTask, type Task, type TaskData, type TaskResult } from './tasks.ts';

export interface SearchShared {
  rows: number;
  cols: number;
  X: Float64Array;
  y: Float64Array;
  weights?: Float64Array;
  ctx: FitContext;
  method: string;
  fixed: Record<string, unknown>;
  axes: GridAxis[];
  splits: Split[];
}

export function searchGridSpec(shared: SearchShared, command: string[], finish: Record<string, unknown>): GridSpec<SearchShared, Task> {
  const plan = searchPlan(shared.method, shared.fixed, shared.axes, shared.splits);
  const ns = shared.splits.length;
  const labels = plan.tasks.map((t, i) => {
    const p = plan.points[Math.floor(i / ns)]!;
    const text = Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ');
    return `${t.kind === 'path' ? `α path (${plan.alphas!.length})${text ? ` ${text}` : ''}` : text} fold ${i % ns}`;
  });
  return { kind: 'search', shared, inputs: plan.tasks, labels, command, finish };
}

function taskData(s: SearchShared): TaskData {
  return { X: new Mat(s.rows, s.cols, s.X), y: s.y, ...(s.weights ? { weights: s.weights } : {}), ctx: s.ctx };
}

export const searchTaskKind: TaskKind<SearchShared, Task, TaskResult> = {
  name: 'search',
  open(shared) {
    const d = taskData(shared);
    return (task) => runTask(d, task);
  },
  async runMany(shared, tasks, threads, onResult) {
    // model selection's own persistent pool (fit/selection/parallel.ts)
    const d = taskData(shared);
    const res = await runTasks(d.X, d.y, d.weights, d.ctx, tasks, { threads });
    res.forEach((r, k) => onResult(k, r));
  },
};

export function mergeSearchGrid(shared: SearchShared, results: TaskResult[]): SearchResult {
  return mergeSearch(searchPlan(shared.method, shared.fixed, shared.axes, shared.splits), results, shared.y, shared.splits);
}

/** One point as the search JSON lists it. */
function slim(p: SearchResult['points'][number]) {
  return { params: p.params, cvRmse: p.cv.rmse, cvStd: p.cv.std, cvSe: p.cv.se, foldRmse: p.cv.foldRmse, mae: p.cv.mae, maxError: p.cv.maxError, r2: p.cv.r2, nNonzeroMean: p.cv.nNonzeroMean, converged: p.cv.converged };
}

/** The search JSON `celt search --out` writes (the same document from a grid's collect). */
export function searchDocument(r: SearchResult, meta: { cv: string; seed: number; data: { source: string; nSamples: number; nFeatures: number } }, seconds: number) {
  return { method: r.method, fixedParams: r.fixedParams, cv: meta.cv, seed: meta.seed, data: meta.data, points: r.points.map(slim), best: slim(r.best), oneSE: slim(r.oneSE), seconds };
}
