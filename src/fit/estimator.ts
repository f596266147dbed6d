/**
 * The one estimator interface every fitting method implements (OLS … ℓ0ℓ2), so model
 * selection, the CLI and the workflow can treat them alike.
 */
import type { Mat } from '../core/matrix.ts';

export type ParamValue = number | boolean | string | number[];
export type Params = Record<string, ParamValue>;

export interface FitOptions {
  /** Per-sample weights (length n); the objective's squared errors are weighted by them. */
  sampleWeight?: Float64Array;
  /**
   * Full error covariance Σ (n×n, symmetric positive definite) for correlated errors: the fit
   * minimizes (y − Xw − b)ᵀ Σ⁻¹ (y − Xw − b) + penalty, i.e. it whitens by Σ's Cholesky
   * factor. Exclusive with sampleWeight (a diagonal Σ is the same as weights 1/σᵢ²).
   */
  errorCovariance?: Mat;
}

export interface EstimatorJSON {
  method: string;
  params: Params;
  coef: number[];
  intercept: number;
  /** Method-specific diagnostics: iterations, duality gap, converged flag, lower bound, … */
  info?: Record<string, unknown>;
}

export interface Estimator {
  readonly method: string;
  /** Validated hyperparameters, defaults filled in. */
  readonly params: Params;
  readonly fitIntercept: boolean;
  coef: Float64Array;
  intercept: number;
  /** Diagnostics of the last fit (converged, iterations, gap, …). */
  info: Record<string, unknown>;
  fit(X: Mat, y: Float64Array, opts?: FitOptions): this;
  predict(X: Mat): Float64Array;
  toJSON(): EstimatorJSON;
}
