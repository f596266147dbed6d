/**
 * Uncertainty of a fitted cluster expansion by a bootstrap ensemble.
 *
 *   centre fit   J₀ = fit(X, y)                       (the model's own method and parameters)
 *   members      J_b = fit(X[I_b], y[I_b]),  I_b = n rows drawn with replacement (seeded)
 *   σ²_ens(x)    = sample variance over b of x·J_b
 *   σ²_noise     = max(0, MSE_CV − mean over training rows of σ²_ens)
 *   σ²(x)        = σ²_ens(x) + σ²_noise
 *
 * σ_noise is estimated by CV on the training rows only (never on held-out data the caller
 * judges the error bars with): a training residual of a flexible CE underestimates the error on
 * a new structure, while the out-of-fold error of a fit is the noise plus that fit's own
 * variance. The ensemble already carries the variance, so only the remainder of the CV mean
 * squared error is counted as noise — otherwise the variance would enter σ² twice. (Measured
 * on agpd_fcc by bench/loop-noise.ts, 10 seeds × 3 training sizes of random rows: the fraction of held-out errors
 * within ±1σ is 0.80 with σ²_noise = MSE_CV, 0.75 with the remainder, 0.46 with σ_ens alone.)
 *
 * The predicted energy is the centre fit's (what the model file holds), not the ensemble mean:
 * a lasso ensemble's mean is a denser, differently-shrunk model.
 *
 * Rows are full feature rows (constant first when the data have it). A constant column (all 1)
 * is left to the estimator's intercept, the convention of src/workflow and src/data.
 */
import { OptionError } from '../core/errors.ts';
import { equalRowGroups, type Mat } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { createEstimator, type FitContext } from '../fit/registry.ts';
import { crossValidate } from '../fit/selection/cv.ts';
import { makeSplits } from '../fit/selection/splits.ts';

/** One linear model over the full feature rows: E(x) = intercept + x·coef. */
export interface LinearMember {
  coef: Float64Array;
  intercept: number;
}

export interface FitSpec {
  method: string;
  params: Record<string, unknown>;
  ctx?: FitContext;
}

export interface EnsembleOptions {
  /** Bootstrap resamples (default 20). */
  nBootstrap?: number;
  seed?: number;
  /** Folds of the k-fold CV that estimates σ_noise (default 5; groups of equal rows share a fold). */
  cvFolds?: number;
  /** The CV RMSE of these rows when the caller's search already ran one (skips the CV here). */
  cvRmse?: number;
}

export interface Ensemble {
  centre: LinearMember;
  members: LinearMember[];
  cvRmse: number;
  sigmaNoise: number;
}

export interface EnsemblePrediction {
  /** Centre-fit energy per row. */
  mean: Float64Array;
  /** σ_ens per row (std over members, ddof 1). */
  sigmaEnsemble: Float64Array;
  /** sqrt(σ²_ens + σ²_noise) per row. */
  sigma: Float64Array;
  /** Member predictions, members × rows, row-major. */
  members: Float64Array;
}

export const MIN_ENSEMBLE_ROWS = 4;

/** Column 0 is the constant correlation when every entry is 1: the intercept takes its place. */
function constantFirst(X: Mat): boolean {
  for (let i = 0; i < X.rows; i++) if (X.data[i * X.cols] !== 1) return false;
  return X.cols > 1;
}

/** The columns an estimator sees (all but a constant first one) and X restricted to them. */
export function estimatorColumns(X: Mat): { cols: Int32Array; Xf: Mat } {
  const skip = constantFirst(X) ? 1 : 0;
  const cols = Int32Array.from({ length: X.cols - skip }, (_, j) => j + skip);
  return { cols, Xf: skip ? X.selectCols(cols) : X };
}

/** An estimator's coefficients over `cols` and its intercept, as a member over the full rows. */
export function memberFrom(est: { coef: ArrayLike<number>; intercept: number }, cols: Int32Array, width: number): LinearMember {
  const coef = new Float64Array(width);
  cols.forEach((c, k) => (coef[c] = est.coef[k]!));
  return { coef, intercept: est.intercept };
}

/** Fit once and express the result over the full rows. */
export function fitMember(spec: FitSpec, X: Mat, y: Float64Array): LinearMember {
  const { cols, Xf } = estimatorColumns(X);
  return memberFrom(createEstimator(spec.method, spec.params, spec.ctx ?? {}).fit(Xf, y), cols, X.cols);
}

export function predictMember(m: LinearMember, X: Mat, out = new Float64Array(X.rows)): Float64Array {
  const p = X.cols;
  for (let i = 0; i < X.rows; i++) {
    let s = m.intercept;
    for (let j = 0; j < p; j++) s += X.data[i * p + j]! * m.coef[j]!;
    out[i] = s;
  }
  return out;
}

/** The k-fold CV RMSE of the method on these rows (twins in one fold). */
export function cvNoise(spec: FitSpec, X: Mat, y: Float64Array, folds = 5, seed = 0): number {
  const { Xf } = estimatorColumns(X);
  const k = Math.min(folds, X.rows);
  const splits = makeSplits(X.rows, { kind: 'kfold', k }, seed, equalRowGroups(X));
  return crossValidate(spec.method, spec.params, spec.ctx ?? {}, Xf, y, splits).rmse;
}

export function fitEnsemble(spec: FitSpec, X: Mat, y: Float64Array, opts: EnsembleOptions = {}): Ensemble {
  const nB = opts.nBootstrap ?? 20;
  if (!Number.isInteger(nB) || nB < 2) throw new OptionError(`the bootstrap ensemble needs at least 2 members, got ${nB}`, { field: 'bootstrap' });
  if (X.rows < MIN_ENSEMBLE_ROWS) throw new OptionError(`the bootstrap ensemble needs at least ${MIN_ENSEMBLE_ROWS} training rows, got ${X.rows}`, { field: 'data' });
  const rng = new Rng(opts.seed ?? 0);
  const centre = fitMember(spec, X, y);
  const members: LinearMember[] = [];
  for (let b = 0; b < nB; b++) {
    const idx = Int32Array.from({ length: X.rows }, () => rng.int(X.rows));
    members.push(fitMember(spec, X.selectRows(idx), Float64Array.from(idx, (i) => y[i]!)));
  }
  const cvRmse = opts.cvRmse ?? cvNoise(spec, X, y, opts.cvFolds ?? 5, opts.seed ?? 0);
  const spread = predictEnsemble({ centre, members, cvRmse, sigmaNoise: 0 }, X).sigmaEnsemble;
  const meanVar = spread.reduce((a, s) => a + s * s, 0) / X.rows;
  return { centre, members, cvRmse, sigmaNoise: Math.sqrt(Math.max(0, cvRmse ** 2 - meanVar)) };
}

export function predictEnsemble(ens: Ensemble, X: Mat): EnsemblePrediction {
  const n = X.rows, B = ens.members.length;
  const mean = predictMember(ens.centre, X);
  const members = new Float64Array(B * n);
  ens.members.forEach((m, b) => predictMember(m, X, members.subarray(b * n, (b + 1) * n)));
  const sigmaEnsemble = new Float64Array(n), sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0, s2 = 0;
    for (let b = 0; b < B; b++) s += members[b * n + i]!;
    const mu = s / B;
    for (let b = 0; b < B; b++) s2 += (members[b * n + i]! - mu) ** 2;
    sigmaEnsemble[i] = Math.sqrt(s2 / (B - 1));
    sigma[i] = Math.sqrt(s2 / (B - 1) + ens.sigmaNoise ** 2);
  }
  return { mean, sigmaEnsemble, sigma, members };
}

/** Columns with a non-zero coefficient in the centre fit or any member, plus column 0 (the constant / intercept direction). */
export function ensembleSupport(ens: Ensemble, tol = 0): number[] {
  const p = ens.centre.coef.length;
  return Array.from({ length: p }, (_, j) => j).filter((j) => j === 0 || [ens.centre, ...ens.members].some((m) => Math.abs(m.coef[j]!) > tol));
}
