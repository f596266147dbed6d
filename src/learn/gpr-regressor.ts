/**
 * Full-dimensional GPR as an estimator for evaluation and the CLI: inputs standardized on the
 * training rows, normalize_y on, kernel constant·k(ARD or isotropic) + white by default, all
 * hyperparameters by maximum likelihood with seeded restarts.
 */
import { InputError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { GaussianProcess } from './gpr.ts';
import { kernelFromFormula } from './kernel-spec.ts';
import type { BaseEstimator } from '../fit/estimator.ts';
import { ColumnScaler } from './scale.ts';

export interface GprRegressorOptions {
  kernel?: string;
  restarts?: number;
  seed?: number;
  alpha?: number;
}

export class GprRegressor implements BaseEstimator {
  readonly method = 'gpr';
  info: Record<string, unknown> = {};
  gp: GaussianProcess | null = null;
  private scaler: ColumnScaler | null = null;
  constructor(readonly opts: GprRegressorOptions = {}) {}

  fit(X: Mat, y: Float64Array): this {
    this.scaler = ColumnScaler.standardize(X);
    const kernel = kernelFromFormula(this.opts.kernel ?? 'constant*ard:rbf+white', X.cols);
    this.gp = new GaussianProcess(kernel, {
      normalizeY: true,
      optimize: true,
      restarts: this.opts.restarts ?? 2,
      seed: this.opts.seed ?? 0,
      alpha: this.opts.alpha ?? 1e-10,
    }).fit(this.scaler.transform(X), y);
    return this;
  }

  private fitted(): { gp: GaussianProcess; scaler: ColumnScaler } {
    if (!this.gp || !this.scaler) throw new InputError('GPR: predict called before fit');
    return { gp: this.gp, scaler: this.scaler };
  }

  predict(X: Mat): Float64Array {
    const { gp, scaler } = this.fitted();
    return gp.predict(scaler.transform(X)).mean;
  }

  predictWithVariance(X: Mat): { mean: Float64Array; variance: Float64Array } {
    const { gp, scaler } = this.fitted();
    const r = gp.predict(scaler.transform(X), true);
    return { mean: r.mean, variance: r.variance! };
  }

  summary(): Record<string, unknown> {
    return { kernel: this.gp?.kernel.describe(), logMarginalLikelihood: this.gp?.logMarginalLikelihood };
  }
}
