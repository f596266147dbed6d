/**
 * Turning (X, y, sample weights or error covariance, intercept flag) into one centered,
 * unweighted least-squares problem, so every penalized method solves only
 * min ½‖y' − X'w‖² + penalty(w) and gets its intercept back from two offsets.
 *
 * With a transform T (diag(√w) for weights, L⁻¹ for Σ = LLᵀ) and u = T·1, the unpenalized
 * intercept b minimizes ‖Ty − TXw − b·u‖², so b = yOffset − xOffset·w with
 * xOffset = (TX)ᵀu/uᵀu and yOffset = uᵀTy/uᵀu; projecting u out of TX and Ty leaves the
 * problem in w alone. For T = I this is ordinary centering; for weights it is sklearn's
 * weighted centering followed by multiplication with √w.
 */
import { InputError, NumericalError } from '../core/errors.ts';
import { cholesky, forwardSolve } from '../core/linalg.ts';
import { Mat } from '../core/matrix.ts';
import type { FitOptions } from './estimator.ts';

export interface Prepared {
  X: Mat;
  y: Float64Array;
  xOffset: Float64Array;
  yOffset: number;
  /** Number of samples (rows of the original problem). */
  n: number;
  /** Weights actually used (after any rescaling), if the fit was weighted. */
  weights?: Float64Array;
}

export interface PrepareOptions {
  fitIntercept: boolean;
  /** Rescale weights to sum to n (scikit-learn's convention for Lasso/ElasticNet). */
  normalizeWeights?: boolean;
}

export function validateXy(X: Mat, y: ArrayLike<number>, opts: FitOptions = {}): void {
  if (X.rows === 0 || X.cols === 0) throw new InputError(`empty design matrix (${X.rows}×${X.cols})`, { field: 'X' });
  if (X.rows !== y.length) throw new InputError(`shape mismatch: X has ${X.rows} rows, y has ${y.length} values`, { field: 'y' });
  for (let k = 0; k < X.data.length; k++) if (!Number.isFinite(X.data[k])) throw new InputError(`X has a non-finite value at row ${Math.floor(k / X.cols)}, column ${k % X.cols}`, { field: 'X' });
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]!)) throw new InputError(`y has a non-finite value at row ${i}`, { field: 'y' });
  const w = opts.sampleWeight;
  if (w) {
    if (w.length !== X.rows) throw new InputError(`shape mismatch: ${w.length} sample weights for ${X.rows} rows`, { field: 'sampleWeight' });
    for (let i = 0; i < w.length; i++) if (!(w[i]! >= 0) || !Number.isFinite(w[i]!)) throw new InputError(`sample weight ${i} is ${w[i]}; must be finite and ≥ 0`, { field: 'sampleWeight' });
  }
  const S = opts.errorCovariance;
  if (S) {
    if (w) throw new InputError('give either sample weights or an error covariance, not both (fold the weights into Σ)', { field: 'errorCovariance' });
    if (S.rows !== X.rows || S.cols !== X.rows) throw new InputError(`error covariance must be ${X.rows}×${X.rows}, got ${S.rows}×${S.cols}`, { field: 'errorCovariance' });
  }
}

export function prepare(X: Mat, y: ArrayLike<number>, opts: FitOptions, p: PrepareOptions): Prepared {
  validateXy(X, y, opts);
  const n = X.rows, m = X.cols;
  let Xt: Mat, yt: Float64Array, u: Float64Array;
  let weights: Float64Array | undefined;
  if (opts.errorCovariance) {
    let L: Mat;
    try {
      L = cholesky(opts.errorCovariance);
    } catch (e) {
      throw new NumericalError(`error covariance is not positive definite: ${(e as Error).message}`, { field: 'errorCovariance' });
    }
    Xt = whitenColumns(L, X);
    yt = forwardSolve(L, y);
    u = forwardSolve(L, new Float64Array(n).fill(1));
  } else if (opts.sampleWeight) {
    weights = Float64Array.from(opts.sampleWeight);
    if (p.normalizeWeights) {
      let s = 0;
      for (let i = 0; i < n; i++) s += weights[i]!;
      for (let i = 0; i < n; i++) weights[i] = (weights[i]! * n) / s;
    }
    u = weights.map(Math.sqrt);
    Xt = new Mat(n, m);
    yt = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = u[i]!;
      yt[i] = y[i]! * s;
      for (let j = 0; j < m; j++) Xt.data[i * m + j] = X.data[i * m + j]! * s;
    }
  } else {
    Xt = X.clone();
    yt = Float64Array.from(y);
    u = new Float64Array(n).fill(1);
  }
  const xOffset = new Float64Array(m);
  let yOffset = 0;
  if (p.fitIntercept) {
    let uu = 0;
    for (let i = 0; i < n; i++) uu += u[i]! * u[i]!;
    if (!(uu > 0)) throw new InputError('all sample weights are zero', { field: 'sampleWeight' });
    for (let i = 0; i < n; i++) {
      const ui = u[i]!;
      yOffset += ui * yt[i]!;
      for (let j = 0; j < m; j++) xOffset[j] += ui * Xt.data[i * m + j]!;
    }
    yOffset /= uu;
    for (let j = 0; j < m; j++) xOffset[j] /= uu;
    for (let i = 0; i < n; i++) {
      const ui = u[i]!;
      yt[i] -= ui * yOffset;
      for (let j = 0; j < m; j++) Xt.data[i * m + j] -= ui * xOffset[j]!;
    }
  }
  const out: Prepared = { X: Xt, y: yt, xOffset, yOffset, n };
  if (weights) out.weights = weights;
  return out;
}

/** L⁻¹ X column by column (forward substitution on all columns at once, row-major). */
function whitenColumns(L: Mat, X: Mat): Mat {
  const n = X.rows, m = X.cols, l = L.data;
  const out = new Mat(n, m);
  const o = out.data;
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let j = 0; j < m; j++) o[oi + j] = X.data[oi + j]!;
    for (let k = 0; k < i; k++) {
      const lik = l[i * n + k]!;
      if (lik === 0) continue;
      const ok = k * m;
      for (let j = 0; j < m; j++) o[oi + j] -= lik * o[ok + j]!;
    }
    const d = 1 / l[i * n + i]!;
    for (let j = 0; j < m; j++) o[oi + j] *= d;
  }
  return out;
}
