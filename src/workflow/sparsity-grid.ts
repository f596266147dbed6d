/**
 * `celt sparsity-study` as a task grid (src/exec) in two phases. The prelude (ridge CV → μ2,
 * the μ0 grid, the lasso scan, the CV splits and the training subsets) is cheap and runs where
 * the study starts; it is part of the shared payload. Phase 0: every ℓ0ℓ2 CV fold fit (μ0 ×
 * fold) and every full-data ℓ0ℓ2 fit (one per μ0). Phase 1: one task per training subset,
 * refitting lasso and ℓ0ℓ2 at the μ0 matched to the best lasso's sparsity — which it reads from
 * the phase-0 results. In-process and on any executor the same functions run (l0FullFit,
 * subsetFit, tasks.ts runTask) and the same assembly merges (scanSummaries, l0Scan,
 * assembleStudy). ℓ0ℓ2 fits in a grid stop on a node limit, not a time limit.
 */
import type { GridSpec, TaskKind } from '../exec/grid.ts';
import { Mat } from '../core/matrix.ts';
import type { FitContext } from '../fit/registry.ts';
import { runTasks } from '../fit/selection/parallel.ts';
import { type FitFoldResult, type FitFoldTask, runTask } from '../fit/selection/tasks.ts';
import { assembleStudy, l0FullFit, type L0FullFit, l0Scan, scanSummaries, scanTasks, type StudyPrelude, type StudyResult, type SubsetFit, subsetFit } from './sparsity-study.ts';

export interface StudyShared {
  rows: number;
  cols: number;
  X: Float64Array;
  y: Float64Array;
  ctx: FitContext;
  pre: StudyPrelude;
}

export type StudyTask = { kind: 'cv'; task: FitFoldTask } | { kind: 'full'; mu0Index: number } | { kind: 'subset'; subset: number };

export function studyGridSpec(shared: StudyShared, command: string[], finish: Record<string, unknown>): GridSpec<StudyShared, StudyTask> {
  const { pre } = shared;
  const cv = scanTasks('l0l2', pre.mu0Grid, (mu0) => ({ ...pre.l0Base, mu0 }), pre.splits).map((task): StudyTask => ({ kind: 'cv', task }));
  const full = pre.mu0Grid.map((_, i): StudyTask => ({ kind: 'full', mu0Index: i }));
  const subsets = pre.subsets.map((_, i): StudyTask => ({ kind: 'subset', subset: i }));
  const ns = pre.splits.length;
  const labels = [
    ...cv.map((_, k) => `l0l2 CV μ0=${pre.mu0Grid[Math.floor(k / ns)]!.toPrecision(4)} fold ${k % ns}`),
    ...pre.mu0Grid.map((mu0) => `l0l2 full fit μ0=${mu0.toPrecision(4)}`),
    ...pre.subsets.map((s, i) => `subset ${i} (size ${s.size}): lasso + l0l2 at the matched μ0`),
  ];
  return { kind: 'sparsity', shared, inputs: [...cv, ...full, ...subsets], labels, phases: [...cv.map(() => 0), ...full.map(() => 0), ...subsets.map(() => 1)], command, finish };
}

function data(s: StudyShared) {
  return { X: new Mat(s.rows, s.cols, s.X), y: s.y, ctx: s.ctx };
}

/** Phase-0 results → the μ0 scan and the matched μ0 (what phase 1 and the merge both need). */
function scanOf(s: StudyShared, result: (k: number) => unknown): ReturnType<typeof l0Scan> & { full: L0FullFit[] } {
  const nCv = s.pre.mu0Grid.length * s.pre.splits.length;
  const cvRes = Array.from({ length: nCv }, (_, k) => result(k) as FitFoldResult);
  const full = s.pre.mu0Grid.map((_, i) => result(nCv + i) as L0FullFit);
  return { ...l0Scan(s.pre, scanSummaries(s.pre.mu0Grid.length, s.pre.splits, cvRes, s.y), full), full };
}

export const studyTaskKind: TaskKind<StudyShared, StudyTask, unknown> = {
  name: 'sparsity',
  open(shared, earlier) {
    const d = data(shared);
    let scan: ReturnType<typeof scanOf> | null = null;
    return (t) => {
      if (t.kind === 'cv') return runTask({ ...d }, t.task);
      if (t.kind === 'full') return l0FullFit(d.X, d.y, d.ctx, shared.pre, shared.pre.mu0Grid[t.mu0Index]!);
      scan ??= scanOf(shared, earlier);
      return subsetFit(d.X, d.y, d.ctx, shared.pre, shared.pre.mu0Grid[scan.matched]!, scan.full[scan.matched]!.coef, shared.pre.subsets[t.subset]!.idx);
    };
  },
  async runMany(shared, tasks, threads, onResult) {
    // phase 0: the CV folds on model selection's pool, the full fits here
    const d = data(shared);
    const cvAt = tasks.flatMap((t, j) => (t.kind === 'cv' ? [j] : []));
    const res = await runTasks(d.X, d.y, undefined, d.ctx, cvAt.map((j) => (tasks[j] as { task: FitFoldTask }).task), { threads });
    res.forEach((r, k) => onResult(cvAt[k]!, r));
    tasks.forEach((t, j) => {
      if (t.kind === 'full') onResult(j, l0FullFit(d.X, d.y, d.ctx, shared.pre, shared.pre.mu0Grid[t.mu0Index]!));
    });
  },
};

export function mergeStudyGrid(shared: StudyShared, results: unknown[], seconds: number): StudyResult {
  const scan = scanOf(shared, (k) => results[k]);
  const first = results.length - shared.pre.subsets.length;
  return assembleStudy(shared.pre, scan, results.slice(first) as SubsetFit[], seconds);
}
