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
import { makeSplits, type CvSpec } from '../fit/selection/splits.ts';
import type { FitFoldResult, Task } from '../fit/selection/tasks.ts';
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

async function cvScan(X: Mat, y: Float64Array, ctx: FitContext, method: string, grid: number[], paramsOf: (v: number) => Record<string, unknown>, opts: StudyOptions, stage: string): Promise<Array<{ rmse: number; se: number; converged: boolean }>> {
  const splits = makeSplits(X.rows, opts.cv, opts.seed);
  const tasks: Task[] = [];
  for (const v of grid) for (const s of splits) tasks.push({ kind: 'fit', method, params: paramsOf(v), train: s.train, test: s.test });
  const res = (await runTasks(X, y, undefined, ctx, tasks, { threads: opts.threads, onProgress: (d, t) => opts.onProgress?.(stage, d, t) })) as FitFoldResult[];
  return grid.map((_, gi) => {
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

function l1RelDiff(a: Float64Array, ref: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < ref.length; i++) { num += Math.abs(a[i]! - ref[i]!); den += Math.abs(ref[i]!); }
  return den > 0 ? num / den : num;
}

export async function sparsityStudy(X: Mat, y: Float64Array, ctx: FitContext, opts: StudyOptions): Promise<StudyResult> {
  const t0 = performance.now();
  const n = X.rows, p = X.cols;
  if (opts.repeats < 1) throw new OptionError(`repeats must be ≥ 1, got ${opts.repeats}`, { field: 'repeats' });
  for (const f of opts.subsetFractions) if (!(f > 0 && f < 1)) throw new OptionError(`subset fractions must lie in (0, 1), got ${f}`, { field: 'subsets' });

  // 1. μ2 by ridge CV (seed 000: "finding μ2 by minimizing the CV error in ridge regression").
  const mu2Grid = opts.mu2Grid ?? logSpace(1e-6 * n, 1e1 * n, 15);
  const ridgeCv = await cvScan(X, y, ctx, 'ridge', mu2Grid, (a) => ({ alpha: a }), opts, 'ridge CV');
  const ridge: ScanPoint[] = mu2Grid.map((a, i) => ({ method: 'ridge', param: a, cvRmse: ridgeCv[i]!.rmse, cvSe: ridgeCv[i]!.se, nonzero: p }));
  const mu2 = ridge.reduce((b, r) => (r.cvRmse < b.cvRmse ? r : b)).param;

  // 2a. μ0 scan. An irrelevant feature lowers the squared error by about σ² (one χ²₁), so
  // the default grid spans 0.1σ² … 300σ² around the ridge fit's residual variance.
  const full = createEstimator('ridge', { alpha: mu2 }, ctx).fit(X, y);
  const pred = full.predict(X);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - pred[i]!) ** 2;
  const sigma2 = rss / Math.max(1, n);
  const mu0Grid = opts.mu0Grid ?? logSpace(0.1 * sigma2, 300 * sigma2, 12);
  const l0Of = (mu0: number) => ({ ...opts.l0Params, mu0, mu2, time_limit: opts.timeLimit });
  const l0Cv = await cvScan(X, y, ctx, 'l0l2', mu0Grid, l0Of, opts, 'l0l2 CV');
  const l0l2: ScanPoint[] = [];
  const l0Full = new Map<number, Float64Array>();
  mu0Grid.forEach((mu0, i) => {
    const est = createEstimator('l0l2', l0Of(mu0), ctx).fit(X, y);
    l0Full.set(mu0, est.coef);
    l0l2.push({ method: 'l0l2', param: mu0, cvRmse: l0Cv[i]!.rmse, cvSe: l0Cv[i]!.se, nonzero: countNonzero(est.coef), gap: est.info.gap as number, status: est.info.status as string, foldsOptimal: l0Cv[i]!.converged });
    opts.onProgress?.('l0l2 full fits', i + 1, mu0Grid.length);
  });

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

  // 3. Convergence with training-set size at matched sparsity (seed 000 Fig. 4b).
  const bestLasso = lasso.reduce((b, r) => (r.cvRmse < b.cvRmse ? r : b));
  const matched = l0l2.reduce((b, r) => (Math.abs(r.nonzero - bestLasso.nonzero) < Math.abs(b.nonzero - bestLasso.nonzero) || (Math.abs(r.nonzero - bestLasso.nonzero) === Math.abs(b.nonzero - bestLasso.nonzero) && r.cvRmse < b.cvRmse) ? r : b));
  const Jl = lassoFull.get(bestLasso.param)!, J0 = l0Full.get(matched.param)!;
  const rng = new Rng(opts.seed + 1);
  const convergence: ConvergencePoint[] = [];
  const sizes = opts.subsetFractions.map((f) => Math.max(5, Math.round(f * n)));
  let done = 0;
  for (const size of sizes) {
    const vl: number[] = [], v0: number[] = [];
    let maxGap = 0;
    for (let r = 0; r < opts.repeats; r++) {
      const idx = Int32Array.from(rng.permutation(n).slice(0, size)).sort();
      const Xs = X.selectRows(idx), ys = Float64Array.from(idx, (i) => y[i]!);
      vl.push(l1RelDiff(createEstimator('lasso', { alpha: bestLasso.param }, ctx).fit(Xs, ys).coef, Jl));
      const e0 = createEstimator('l0l2', l0Of(matched.param), ctx).fit(Xs, ys);
      maxGap = Math.max(maxGap, e0.info.gap as number);
      v0.push(l1RelDiff(e0.coef, J0));
      opts.onProgress?.('subset fits', ++done, sizes.length * opts.repeats);
    }
    convergence.push({ method: 'lasso', size, mean: mean(vl), std: std(vl), values: vl });
    convergence.push({ method: 'l0l2', size, mean: mean(v0), std: std(v0), values: v0, maxGap });
  }
  return {
    n, p, mu2, ridge, lasso, l0l2,
    chosen: { lassoAlpha: bestLasso.param, lassoNonzero: bestLasso.nonzero, mu0: matched.param, l0l2Nonzero: matched.nonzero },
    convergence,
    seconds: (performance.now() - t0) / 1000,
  };
}
