/**
 * The one estimator interface: `BaseEstimator` is what every model in the registry implements
 * (fit, predict, diagnostics); `Estimator` adds the linear-model part (coef, intercept, JSON)
 * every ECI fitting method (OLS … ℓ0ℓ2) has, so model selection, the CLI and the workflow can
 * treat them alike. The nonlinear learners of src/learn implement BaseEstimator only.
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

/**
 * Fit on rows X and targets Y, then predict P. Regressors use the defaults (numbers in,
 * numbers out); a classifier fits and predicts labels.
 */
export interface BaseEstimator<Y = Float64Array, P = Float64Array> {
  /** Registry name ('lasso', 'gpr-nn', …). */
  readonly method: string;
  /** Diagnostics of the last fit (converged, iterations, gap, fitted hyperparameters, …). */
  info: Record<string, unknown>;
  fit(X: Mat, y: Y, opts?: FitOptions): this;
  predict(X: Mat): P;
}

export interface Estimator extends BaseEstimator {
  /** Validated hyperparameters, defaults filled in. */
  readonly params: Params;
  readonly fitIntercept: boolean;
  coef: Float64Array;
  intercept: number;
  toJSON(): EstimatorJSON;
}
