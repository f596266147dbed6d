/**
 * Lasso / elastic-net cross-validation along a whole α path (what sklearn's LassoCV does):
 * per fold, one warm-started, strong-rule-screened path over the descending α grid, then the
 * held-out MSE of every α. Folds can run on worker threads (see parallel.ts).
 */
import type { Mat } from '../../core/matrix.ts';
import { prepare } from '../prepare.ts';
import { EnetProblem, alphaGrid, alphaMax, enetPath } from '../solvers/enet-cd.ts';
import type { Split } from './splits.ts';

export interface PathFoldTask {
  train: Int32Array;
  test: Int32Array;
  alphas: Float64Array;
  l1Ratio: number;
  tol: number;
  maxIter: number;
  fitIntercept: boolean;
}

export interface PathFoldResult {
  /** Held-out MSE per α. */
  mse: Float64Array;
  nnz: Int32Array;
  converged: Uint8Array;
  /** Held-out predictions per α, row-major (α × test). */
  pred: Float64Array;
}

export function pathFold(X: Mat, y: Float64Array, task: PathFoldTask, weights?: Float64Array): PathFoldResult {
  const Xtr = X.selectRows(task.train);
  const ytr = Float64Array.from(task.train, (i) => y[i]!);
  const sw = weights ? Float64Array.from(task.train, (i) => weights[i]!) : undefined;
  const P = prepare(Xtr, ytr, sw ? { sampleWeight: sw } : {}, { fitIntercept: task.fitIntercept, normalizeWeights: true });
  const prob = new EnetProblem(P.X, P.y);
  const nA = task.alphas.length, nt = task.test.length, p = X.cols;
  const mse = new Float64Array(nA), nnz = new Int32Array(nA), converged = new Uint8Array(nA), pred = new Float64Array(nA * nt);
  enetPath(prob, task.alphas, task.l1Ratio, { tol: task.tol, maxIter: task.maxIter }, (k, pt) => {
    const w = pt.coef;
    let b = P.yOffset;
    const nzIdx: number[] = [];
    for (let j = 0; j < p; j++) {
      if (w[j] === 0) continue;
      nzIdx.push(j);
      b -= P.xOffset[j]! * w[j]!;
    }
    let se = 0;
    for (let t = 0; t < nt; t++) {
      const i = task.test[t]!;
      let f = b;
      const base = i * p;
      for (const j of nzIdx) f += X.data[base + j]! * w[j]!;
      pred[k * nt + t] = f;
      se += (y[i]! - f) ** 2;
    }
    mse[k] = se / nt;
    nnz[k] = nzIdx.length;
    converged[k] = pt.result.converged ? 1 : 0;
  });
  return { mse, nnz, converged, pred };
}

/** sklearn's LassoCV α grid for these data: alpha_max of the full (centered) data, eps = 1e-3. */
export function defaultAlphaGrid(X: Mat, y: Float64Array, l1Ratio: number, nAlphas = 100, eps = 1e-3, fitIntercept = true, weights?: Float64Array): Float64Array {
  const P = prepare(X, y, weights ? { sampleWeight: weights } : {}, { fitIntercept, normalizeWeights: true });
  const prob = new EnetProblem(P.X, P.y, { precompute: false });
  return alphaGrid(alphaMax(prob, l1Ratio), nAlphas, eps);
}

export function pathTasks(splits: Split[], alphas: Float64Array, l1Ratio: number, tol: number, maxIter: number, fitIntercept: boolean): PathFoldTask[] {
  const sorted = Float64Array.from(alphas).sort((a, b) => b - a);
  return splits.map((s) => ({ train: s.train, test: s.test, alphas: sorted, l1Ratio, tol, maxIter, fitIntercept }));
}

export interface EnetCvResult {
  alphas: Float64Array;
  /** Mean held-out MSE per α (sklearn's mse_path_.mean(axis=1)). */
  mseMean: Float64Array;
  bestAlpha: number;
  coef: Float64Array;
  intercept: number;
  converged: boolean;
  seconds: { path: number; refit: number };
}

/**
 * LassoCV / ElasticNetCV equivalent: sklearn's α grid, a warm-started path per fold (in
 * parallel when a runner is given), the α with the lowest mean fold MSE, refit on all data.
 */
export async function enetCV(
  X: Mat,
  y: Float64Array,
  splits: Split[],
  o: { l1Ratio?: number; nAlphas?: number; eps?: number; tol?: number; maxIter?: number; run?: (tasks: PathFoldTask[]) => Promise<PathFoldResult[]> } = {},
): Promise<EnetCvResult> {
  const l1 = o.l1Ratio ?? 1, tol = o.tol ?? 1e-4, maxIter = o.maxIter ?? 10000;
  const t0 = performance.now();
  const alphas = defaultAlphaGrid(X, y, l1, o.nAlphas ?? 100, o.eps ?? 1e-3);
  const tasks = pathTasks(splits, alphas, l1, tol, maxIter, true);
  const res = o.run ? await o.run(tasks) : tasks.map((t) => pathFold(X, y, t));
  const mseMean = new Float64Array(alphas.length);
  for (const r of res) for (let k = 0; k < alphas.length; k++) mseMean[k] += r.mse[k]! / res.length;
  let best = 0;
  for (let k = 1; k < alphas.length; k++) if (mseMean[k]! < mseMean[best]!) best = k;
  const t1 = performance.now();
  const P = prepare(X, y, {}, { fitIntercept: true });
  const prob = new EnetProblem(P.X, P.y);
  const a = alphas[best]!;
  // Refit along the grid down to the chosen α (warm starts + strong rules; same optimum as a cold fit).
  const path = enetPath(prob, alphas.subarray(0, best + 1), l1, { tol, maxIter });
  const w = path[path.length - 1]!.coef;
  const r = path[path.length - 1]!.result;
  let b = P.yOffset;
  for (let j = 0; j < X.cols; j++) b -= P.xOffset[j]! * w[j]!;
  return {
    alphas,
    mseMean,
    bestAlpha: a,
    coef: w,
    intercept: b,
    converged: r.converged && res.every((f) => f.converged.every((c) => c === 1)),
    seconds: { path: (t1 - t0) / 1000, refit: (performance.now() - t1) / 1000 },
  };
}
