/**
 * Multiple linear regression with an intercept (MATLAB `regress`/ordinary least squares), the
 * baseline of seed 004 Table 1. Solved by the minimum-norm least-squares routine so collinear
 * features give the same predictions as any other least-squares solution instead of failing.
 */
import { InputError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { lstsqMinNorm } from '../core/linalg.ts';
import type { BaseEstimator } from '../fit/estimator.ts';

export class LinearRegression implements BaseEstimator {
  readonly method = 'linear';
  info: Record<string, unknown> = {};
  coef: Float64Array = new Float64Array(0);
  intercept = 0;
  rank = 0;

  fit(X: Mat, y: Float64Array): this {
    const n = X.rows, p = X.cols;
    if (n < 1) throw new InputError('linear regression needs at least one row');
    let my = 0;
    for (let i = 0; i < n; i++) my += y[i]! / n;
    const mx = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mx[j] += X.data[i * p + j]! / n;
    // Centering removes the intercept column from the solve (same optimum, better conditioned).
    const Xc = new Mat(n, p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc.data[i * p + j] = X.data[i * p + j]! - mx[j]!;
    const yc = y.map((v) => v - my);
    const { x, rank } = lstsqMinNorm(Xc, yc, 1e-12);
    this.coef = x;
    this.rank = rank;
    this.intercept = my - x.reduce((s, c, j) => s + c * mx[j]!, 0);
    return this;
  }

  predict(X: Mat): Float64Array {
    const p = this.coef.length;
    if (X.cols !== p) throw new InputError(`linear model has ${p} features, got ${X.cols}`);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      for (let j = 0; j < p; j++) s += this.coef[j]! * X.data[i * p + j]!;
      out[i] = s;
    }
    return out;
  }

  summary(): Record<string, unknown> {
    return { intercept: this.intercept, coef: Array.from(this.coef), rank: this.rank };
  }
}
