/**
 * Cross-validation of any registered method. The headline number is seed 000 Eq. 10:
 * CV = sqrt((1/k) Σ_j MSE_j), the root of the mean fold MSE (not the mean fold RMSE).
 * Also: fold spread, pooled MAE/max error/R² over all held-out predictions, mean sparsity, and
 * the closed-form leave-one-out for OLS/ridge (e_i / (1 − h_ii), exact for linear smoothers).
 */
import { OptionError } from '../../core/errors.ts';
import { cholSolve, choleskyJitter } from '../../core/linalg.ts';
import { type Mat, gram } from '../../core/matrix.ts';
import { errorMetrics, mean, std } from '../../core/stats.ts';
import type { FitOptions, Params } from '../estimator.ts';
import { countNonzero } from '../linear-model.ts';
import { prepare } from '../prepare.ts';
import { createEstimator, type FitContext } from '../registry.ts';
import type { Split } from './splits.ts';

export interface CvResult {
  /** seed 000 Eq. 10: sqrt(mean of fold MSEs). */
  rmse: number;
  foldRmse: number[];
  foldMse: number[];
  /** Standard error of the fold MSE mean, propagated to the CV RMSE scale (for the one-SE rule). */
  se: number;
  std: number;
  mae: number;
  maxError: number;
  r2: number;
  nNonzeroMean: number;
  nSplits: number;
  converged: boolean;
}

export interface CvOptions {
  sampleWeight?: Float64Array;
  onFold?: (done: number, total: number) => void;
}

export function summarizeFolds(foldMse: number[], yTrue: number[], yPred: number[], nnz: number[], converged = true): CvResult {
  const k = foldMse.length;
  const m = mean(foldMse);
  const rmse = Math.sqrt(m);
  const mseSe = k > 1 ? std(foldMse, 1) / Math.sqrt(k) : 0;
  const pooled = errorMetrics(yTrue, yPred);
  return {
    rmse,
    foldRmse: foldMse.map(Math.sqrt),
    foldMse,
    // d sqrt(m) = dm / (2 sqrt(m))
    se: rmse > 0 ? mseSe / (2 * rmse) : 0,
    std: k > 1 ? std(foldMse.map(Math.sqrt), 1) : 0,
    mae: pooled.mae,
    maxError: pooled.maxError,
    r2: pooled.r2,
    nNonzeroMean: mean(nnz),
    nSplits: k,
    converged,
  };
}

export function crossValidate(method: string, params: Record<string, unknown>, ctx: FitContext, X: Mat, y: Float64Array, splits: Split[], opts: CvOptions = {}): CvResult {
  if (!splits.length) throw new OptionError('no cross-validation splits', { field: 'cv' });
  const foldMse: number[] = [], yt: number[] = [], yp: number[] = [], nnz: number[] = [];
  let converged = true;
  splits.forEach((s, f) => {
    const est = createEstimator(method, params, ctx);
    const fo: FitOptions = {};
    if (opts.sampleWeight) fo.sampleWeight = Float64Array.from(s.train, (i) => opts.sampleWeight![i]!);
    est.fit(X.selectRows(s.train), Float64Array.from(s.train, (i) => y[i]!), fo);
    if (est.info.converged === false) converged = false;
    const pred = est.predict(X.selectRows(s.test));
    let se = 0;
    s.test.forEach((i, t) => {
      se += (y[i]! - pred[t]!) ** 2;
      yt.push(y[i]!);
      yp.push(pred[t]!);
    });
    foldMse.push(se / s.test.length);
    nnz.push(countNonzero(est.coef));
    opts.onFold?.(f + 1, splits.length);
  });
  return summarizeFolds(foldMse, yt, yp, nnz, converged);
}

/**
 * Closed-form leave-one-out for OLS (alpha = 0) and ridge with an unpenalized intercept:
 * H = 11ᵀ/n + Xc(XcᵀXc + αI)⁻¹Xcᵀ and e_(i) = e_i / (1 − h_ii).
 */
export function looClosedForm(X: Mat, y: Float64Array, alpha: number, fitIntercept = true): CvResult {
  const P = prepare(X, y, {}, { fitIntercept });
  const n = X.rows, p = X.cols;
  const A = gram(P.X);
  for (let j = 0; j < p; j++) A.data[j * p + j] += alpha;
  const { L, jitter } = choleskyJitter(A, 1);
  if (jitter > 0 && alpha === 0) throw new OptionError('closed-form LOO for OLS needs a full-rank design; use ridge (alpha > 0) or explicit LOO', { field: 'cv' });
  const Xty = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xty[j] += P.X.data[i * p + j]! * P.y[i]!;
  const w = cholSolve(L, Xty);
  const foldMse: number[] = [], yt: number[] = [], yp: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = P.X.row(i);
    const z = cholSolve(L, xi);
    let h = fitIntercept ? 1 / n : 0, f = 0;
    for (let j = 0; j < p; j++) {
      h += xi[j]! * z[j]!;
      f += xi[j]! * w[j]!;
    }
    const e = (P.y[i]! - f) / (1 - h);
    foldMse.push(e * e);
    yt.push(y[i]!);
    yp.push(y[i]! - e);
  }
  return summarizeFolds(foldMse, yt, yp, [countNonzero(w)]);
}

export function isClosedFormLoo(method: string, params: Params): number | null {
  if (method === 'ols') return 0;
  if (method === 'ridge') return params.alpha as number;
  return null;
}
