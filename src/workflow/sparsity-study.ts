/**
 * Seed 000's ℓ0ℓ2 workflow (Fig. 3b) and its two comparisons with lasso (Fig. 4):
 *  1. μ2 from ridge regression by k-fold CV (ridge's α and Eq. 9's μ2 are the same number);
 *  2. a μ0 scan at that μ2 — CV error (Eq. 10) against the number of nonzero ECIs of the
 *     full-data fit, next to a lasso α scan (Fig. 4a);
 *  3. ECI convergence: the lasso α with the lowest CV error and the μ0 whose full fit has the
 *     most similar sparsity are refitted on random training subsets (`repeats` per size) and
 *     ‖J_sub − J‖₁/‖J‖₁ is averaged (Fig. 4b).
 * CV folds run through the model-selection worker pool; every split and subset is seeded.
 */
import { OptionError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { mean, std } from '../core/stats.ts';
import { countNonzero } from '../fit/linear-model.ts';
import { createEstimator, type FitContext } from '../fit/registry.ts';
import { summarizeFolds } from '../fit/selection/cv.ts';
import { runTasks } from '../fit/selection/parallel.ts';
import { makeSplits, type CvSpec, type Split } from '../fit/selection/splits.ts';
import type { FitFoldResult, FitFoldTask } from '../fit/selection/tasks.ts';
import { logSpace } from '../fit/selection/search.ts';

export interface StudyOptions {
  cv: CvSpec;
  seed: number;
  threads: number;
  /** Per-fit time limit of the ℓ0ℓ2 solver (s). */
  timeLimit: number;
  mu2Grid?: number[];
  mu0Grid?: number[];
  alphaGrid?: number[];
  subsetFractions: number[];
  repeats: number;
  /** Extra ℓ0ℓ2 parameters (hierarchy, group, always_in, nonneg). */
  l0Params: Record<string, unknown>;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface ScanPoint {
  method: 'lasso' | 'l0l2' | 'ridge';
  param: number;
  cvRmse: number;
  cvSe: number;
  /** Nonzero coefficients of the full-data fit (intercept excluded). */
  nonzero: number;
  /** ℓ0ℓ2 only: proven gap and status of the full-data fit; CV folds all optimal? */
  gap?: number;
  status?: string;
  foldsOptimal?: boolean;
}

export interface ConvergencePoint {
  method: 'lasso' | 'l0l2';
  size: number;
  mean: number;
  std: number;
  values: number[];
  /** ℓ0ℓ2: worst proven gap over the subset fits. */
  maxGap?: number;
}

export interface StudyResult {
  n: number;
  p: number;
  mu2: number;
  ridge: ScanPoint[];
  lasso: ScanPoint[];
  l0l2: ScanPoint[];
  chosen: { lassoAlpha: number; lassoNonzero: number; mu0: number; l0l2Nonzero: number };
  convergence: ConvergencePoint[];
  seconds: number;
}

/** CV error of each grid point from its fold results (grid-major, fold-minor): Eq. 10 and its SE. */
export function scanSummaries(gridLength: number, splits: Split[], res: FitFoldResult[], y: Float64Array): Array<{ rmse: number; se: number; converged: boolean }> {
  return Array.from({ length: gridLength }, (_, gi) => {
    const foldMse: number[] = [], yt: number[] = [], yp: number[] = [], nnz: number[] = [];
    let conv = true;
    splits.forEach((s, f) => {
      const r = res[gi * splits.length + f]!;
      let se = 0;
      s.test.forEach((i, t) => { se += (y[i]! - r.pred[t]!) ** 2; yt.push(y[i]!); yp.push(r.pred[t]!); });
      foldMse.push(se / s.test.length);
      nnz.push(r.nnz);
      if (!r.converged) conv = false;
    });
    const sum = summarizeFolds(foldMse, yt, yp, nnz, conv);
    return { rmse: sum.rmse, se: sum.se, converged: conv };
  });
}

/** The fold tasks of a CV scan: every grid point on every split. */
export function scanTasks(method: string, grid: number[], paramsOf: (v: number) => Record<string, unknown>, splits: Split[]): FitFoldTask[] {
  const tasks: FitFoldTask[] = [];
  for (const v of grid) for (const s of splits) tasks.push({ kind: 'fit', method, params: paramsOf(v), train: s.train, test: s.test });
  return tasks;
}

async function cvScan(X: Mat, y: Float64Array, ctx: FitContext, method: string, grid: number[], paramsOf: (v: number) => Record<string, unknown>, opts: StudyOptions, stage: string): Promise<Array<{ rmse: number; se: number; converged: boolean }>> {
  const splits = makeSplits(X.rows, opts.cv, opts.seed);
  const res = (await runTasks(X, y, undefined, ctx, scanTasks(method, grid, paramsOf, splits), { threads: opts.threads, onProgress: (d, t) => opts.onProgress?.(stage, d, t) })) as FitFoldResult[];
  return scanSummaries(grid.length, splits, res, y);
}

function l1RelDiff(a: Float64Array, ref: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) { num += Math.abs(a[i]! - ref[i]!); den += Math.abs(ref[i]!); }
  return den > 0 ? num / den : num;
}

/**
 * Everything but the ℓ0ℓ2 fits — ridge CV (μ2), the μ0 grid, the lasso scan and its best point,
 * the CV splits and the training subsets (drawn in the same seeded order as always): cheap and
 * deterministic, run wherever the study starts.
 */
export interface StudyPrelude {
  n: number;
  p: number;
  mu2: number;
  ridge: ScanPoint[];
  mu0Grid: number[];
  lasso: ScanPoint[];
  bestLasso: ScanPoint;
  /** Full-data lasso coefficients at the best α. */
  lassoCoef: Float64Array;
  splits: Split[];
  /** Subset size of each convergence point (one per --subsets fraction, in order). */
  sizes: number[];
  /** Training subsets, size-major then repeat (sizes.length × repeats). */
  subsets: { size: number; idx: Int32Array }[];
  /** ℓ0ℓ2 parameters without μ0. */
  l0Base: Record<string, unknown>;
}

export async function studyPrelude(X: Mat, y: Float64Array, ctx: FitContext, opts: StudyOptions): Promise<StudyPrelude> {
  const n = X.rows, p = X.cols;
  if (opts.repeats < 1) throw new OptionError(`repeats must be ≥ 1, got ${opts.repeats}`, { field: 'repeats' });
  for (const f of opts.subsetFractions) if (!(f > 0 && f < 1)) throw new OptionError(`subset fractions must lie in (0, 1), got ${f}`, { field: 'subsets' });

  // 1. μ2 by ridge CV (seed 000: "finding μ2 by minimizing the CV error in ridge regression").
  const mu2Grid = opts.mu2Grid ?? logSpace(1e-6 * n, 1e1 * n, 15);
  const ridgeCv = await cvScan(X, y, ctx, 'ridge', mu2Grid, (a) => ({ alpha: a }), opts, 'ridge CV');
  const ridge: ScanPoint[] = mu2Grid.map((a, i) => ({ method: 'ridge', param: a, cvRmse: ridgeCv[i]!.rmse, cvSe: ridgeCv[i]!.se, nonzero: p }));
  const mu2 = ridge.reduce((b, r) => (r.cvRmse < b.cvRmse ? r : b)).param;

  // 2a. μ0 grid. An irrelevant feature lowers the squared error by about σ² (one χ²₁), so
  // the default grid spans 0.1σ² … 300σ² around the ridge fit's residual variance.
  const full = createEstimator('ridge', { alpha: mu2 }, ctx).fit(X, y);
  const pred = full.predict(X);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - pred[i]!) ** 2;
  const sigma2 = rss / Math.max(1, n);
  const mu0Grid = opts.mu0Grid ?? logSpace(0.1 * sigma2, 300 * sigma2, 12);

  // 2b. Lasso α scan (sklearn scaling), from α_max = max|Xcᵀyc|/n down four decades.
  let alphaGrid = opts.alphaGrid;
  if (!alphaGrid) {
    const ym = mean(y);
    let amax = 0;
    for (let j = 0; j < p; j++) {
      let xm = 0;
      for (let i = 0; i < n; i++) xm += X.data[i * p + j]!;
      xm /= n;
      let s = 0;
      for (let i = 0; i < n; i++) s += (X.data[i * p + j]! - xm) * (y[i]! - ym);
      amax = Math.max(amax, Math.abs(s) / n);
    }
    alphaGrid = logSpace(amax * 1e-5, amax * 0.5, 16);
  }
  const lassoCv = await cvScan(X, y, ctx, 'lasso', alphaGrid, (a) => ({ alpha: a }), opts, 'lasso CV');
  const lasso: ScanPoint[] = [];
  const lassoFull = new Map<number, Float64Array>();
  alphaGrid.forEach((a, i) => {
    const est = createEstimator('lasso', { alpha: a }, ctx).fit(X, y);
    lassoFull.set(a, est.coef);
    lasso.push({ method: 'lasso', param: a, cvRmse: lassoCv[i]!.rmse, cvSe: lassoCv[i]!.se, nonzero: countNonzero(est.coef) });
  });
  const bestLasso = lasso.reduce((b, r) => (r.cvRmse < b.cvRmse ? r : b));

  // 3. The training subsets of the convergence study (seed 000 Fig. 4b), drawn up front.
  const rng = new Rng(opts.seed + 1);
  const subsets: { size: number; idx: Int32Array }[] = [];
  const sizes = opts.subsetFractions.map((f) => Math.max(5, Math.round(f * n)));
  for (const size of sizes) {
    for (let r = 0; r < opts.repeats; r++) subsets.push({ size, idx: Int32Array.from(rng.permutation(n).slice(0, size)).sort() });
  }
  return { n, p, mu2, ridge, mu0Grid, lasso, bestLasso, lassoCoef: lassoFull.get(bestLasso.param)!, splits: makeSplits(n, opts.cv, opts.seed), sizes, subsets, l0Base: { ...opts.l0Params, mu2, time_limit: opts.timeLimit } };
}

export interface L0FullFit {
  coef: Float64Array;
  nonzero: number;
  gap: number;
  status: string;
}

/** The full-data ℓ0ℓ2 fit at one μ0 (a task of the study). */
export function l0FullFit(X: Mat, y: Float64Array, ctx: FitContext, pre: StudyPrelude, mu0: number): L0FullFit {
  const est = createEstimator('l0l2', { ...pre.l0Base, mu0 }, ctx).fit(X, y);
  return { coef: est.coef, nonzero: countNonzero(est.coef), gap: est.info.gap as number, status: est.info.status as string };
}

/** The μ0 scan's points, and the μ0 whose full fit is closest in sparsity to the best lasso (ties: lower CV). */
export function l0Scan(pre: StudyPrelude, cv: Array<{ rmse: number; se: number; converged: boolean }>, full: L0FullFit[]): { l0l2: ScanPoint[]; matched: number } {
  const l0l2: ScanPoint[] = pre.mu0Grid.map((mu0, i) => ({ method: 'l0l2', param: mu0, cvRmse: cv[i]!.rmse, cvSe: cv[i]!.se, nonzero: full[i]!.nonzero, gap: full[i]!.gap, status: full[i]!.status, foldsOptimal: cv[i]!.converged }));
  const target = pre.bestLasso.nonzero;
  let matched = 0;
  l0l2.forEach((r, i) => {
    const b = l0l2[matched]!;
    if (Math.abs(r.nonzero - target) < Math.abs(b.nonzero - target) || (Math.abs(r.nonzero - target) === Math.abs(b.nonzero - target) && r.cvRmse < b.cvRmse)) matched = i;
  });
  return { l0l2, matched };
}

export interface SubsetFit {
  lasso: number;
  l0l2: number;
  gap: number;
}

/** One training subset refitted by lasso (best α) and ℓ0ℓ2 (matched μ0): ‖J_sub − J‖₁/‖J‖₁ each. */
export function subsetFit(X: Mat, y: Float64Array, ctx: FitContext, pre: StudyPrelude, mu0: number, J0: Float64Array, idx: Int32Array): SubsetFit {
  const Xs = X.selectRows(idx), ys = Float64Array.from(idx, (i) => y[i]!);
  const lasso = l1RelDiff(createEstimator('lasso', { alpha: pre.bestLasso.param }, ctx).fit(Xs, ys).coef, pre.lassoCoef);
  const e0 = createEstimator('l0l2', { ...pre.l0Base, mu0 }, ctx).fit(Xs, ys);
  return { lasso, l0l2: l1RelDiff(e0.coef, J0), gap: e0.info.gap as number };
}

/** The study from its parts (what the in-process run and a task grid's collect both return). */
export function assembleStudy(pre: StudyPrelude, scan: { l0l2: ScanPoint[]; matched: number }, fits: SubsetFit[], seconds: number): StudyResult {
  const convergence: ConvergencePoint[] = [];
  const repeats = pre.subsets.length / pre.sizes.length;
  pre.sizes.forEach((size, g) => {
    const part = fits.slice(g * repeats, (g + 1) * repeats);
    const vl = part.map((f) => f.lasso), v0 = part.map((f) => f.l0l2);
    convergence.push({ method: 'lasso', size, mean: mean(vl), std: std(vl), values: vl });
    convergence.push({ method: 'l0l2', size, mean: mean(v0), std: std(v0), values: v0, maxGap: part.reduce((a, f) => Math.max(a, f.gap), 0) });
  });
  const m = scan.l0l2[scan.matched]!;
  return {
    n: pre.n, p: pre.p, mu2: pre.mu2, ridge: pre.ridge, lasso: pre.lasso, l0l2: scan.l0l2,
    chosen: { lassoAlpha: pre.bestLasso.param, lassoNonzero: pre.bestLasso.nonzero, mu0: m.param, l0l2Nonzero: m.nonzero },
    convergence,
    seconds,
  };
}

export async function sparsityStudy(X: Mat, y: Float64Array, ctx: FitContext, opts: StudyOptions): Promise<StudyResult> {
  const t0 = performance.now();
  const pre = await studyPrelude(X, y, ctx, opts);
  const cv = await cvScan(X, y, ctx, 'l0l2', pre.mu0Grid, (mu0) => ({ ...pre.l0Base, mu0 }), opts, 'l0l2 CV');
  const full = pre.mu0Grid.map((mu0, i) => {
    const f = l0FullFit(X, y, ctx, pre, mu0);
    opts.onProgress?.('l0l2 full fits', i + 1, pre.mu0Grid.length);
    return f;
  });
  const scan = l0Scan(pre, cv, full);
  const fits = pre.subsets.map((s, i) => {
    const f = subsetFit(X, y, ctx, pre, pre.mu0Grid[scan.matched]!, full[scan.matched]!.coef, s.idx);
    opts.onProgress?.('subset fits', i + 1, pre.subsets.length);
    return f;
  });
  return assembleStudy(pre, scan, fits, (performance.now() - t0) / 1000);
}

export interface StudyOutputMeta {
  /** The data file as given (recorded in study.json, default figure title). */
  data: string;
  featureNames?: string[];
  title: string;
  scale: number;
  unit: string;
}

/** study.json, the Fig. 4a/4b CSVs and figures: what `celt sparsity-study` and its grid's collect write. */
export async function writeStudyOutput(out: string, res: StudyResult, meta: StudyOutputMeta): Promise<string[]> {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { figure4aSpec, figure4bSpec } = await import('../report/sparsity-figures.ts');
  const { writePlot } = await import('../report/plot.ts');
  mkdirSync(out, { recursive: true });
  const files = [join(out, 'study.json'), join(out, 'fig4a_cv_vs_sparsity.csv'), join(out, 'fig4b_eci_convergence.csv')];
  writeFileSync(files[0]!, JSON.stringify({ data: meta.data, featureNames: meta.featureNames, ...res }, null, 1));
  const csvA = ['method,param,nonzero,cv_rmse,cv_se,gap,status', ...[...res.ridge, ...res.lasso, ...res.l0l2].map((s) => `${s.method},${s.param},${s.nonzero},${s.cvRmse},${s.cvSe},${s.gap ?? ''},${s.status ?? ''}`)];
  writeFileSync(files[1]!, csvA.join('\n') + '\n');
  const csvB = ['method,size,mean,std,max_gap', ...res.convergence.map((c) => `${c.method},${c.size},${c.mean},${c.std},${c.maxGap ?? ''}`)];
  writeFileSync(files[2]!, csvB.join('\n') + '\n');
  const title = meta.title || meta.data;
  for (const [spec, base] of [[figure4aSpec(res, title, meta.scale, meta.unit), 'fig4a_cv_vs_sparsity'], [figure4bSpec(res, title), 'fig4b_eci_convergence']] as const) {
    const p = await writePlot(spec, join(out, base));
    files.push(p.svg, p.png);
  }
  return files;
}
