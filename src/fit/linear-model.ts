/**
 * Shared base of the linear estimators: validation, centering/weighting/whitening through
 * prepare(), intercept recovery, predict and JSON. A method only implements solve() on the
 * centered problem.
 */
import { InputError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import type { Estimator, EstimatorJSON, FitOptions, Params } from './estimator.ts';
import { prepare, type Prepared } from './prepare.ts';
import type { ParamSpec } from './method-spec.ts';

export const FIT_INTERCEPT: ParamSpec = { type: 'boolean', default: true, description: 'fit an unpenalized intercept (centering X and y)' };

export abstract class LinearModel implements Estimator {
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  info: Record<string, unknown> = {};
  /** Rescale sample weights to sum to n before fitting (scikit-learn does for Lasso/ElasticNet). */
  protected normalizeWeights = false;

  constructor(
    readonly method: string,
    readonly params: Params,
  ) {}

  get fitIntercept(): boolean {
    return this.params.fit_intercept !== false;
  }

  fit(X: Mat, y: Float64Array, opts: FitOptions = {}): this {
    const P = prepare(X, y, opts, { fitIntercept: this.fitIntercept, normalizeWeights: this.normalizeWeights });
    this.info = {};
    this.coef = this.solve(P);
    let b = 0;
    if (this.fitIntercept) {
      b = P.yOffset;
      for (let j = 0; j < this.coef.length; j++) b -= P.xOffset[j]! * this.coef[j]!;
    }
    this.intercept = b;
    return this;
  }

  /** Coefficients of the centered problem min ½‖P.y − P.X w‖² + penalty (method-specific scaling). */
  protected abstract solve(P: Prepared): Float64Array;

  predict(X: Mat): Float64Array {
    if (X.cols !== this.coef.length) throw new InputError(`predict: X has ${X.cols} columns, the model has ${this.coef.length} coefficients`, { field: 'X' });
    const out = new Float64Array(X.rows);
    const c = this.coef;
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      const base = i * X.cols;
      for (let j = 0; j < c.length; j++) s += X.data[base + j]! * c[j]!;
      out[i] = s;
    }
    return out;
  }

  toJSON(): EstimatorJSON {
    return { method: this.method, params: { ...this.params }, coef: Array.from(this.coef), intercept: this.intercept, info: this.info };
  }
}

export function countNonzero(c: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < c.length; i++) if (c[i] !== 0) k++;
  return k;
}
