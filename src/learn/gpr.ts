/**
 * Gaussian process regression, following scikit-learn's GaussianProcessRegressor conventions
 * so results are comparable: `alpha` added to the training-kernel diagonal, optional target
 * normalization (`normalizeY`: the likelihood is that of the standardized targets),
 * hyperparameters optimized in log space by bounded L-BFGS from the kernel's current values
 * plus seeded restarts drawn uniformly in the log bounds, keeping the best likelihood.
 */
import { InputError, NumericalError, assertFiniteArray } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import { choleskyJitter, cholSolve, forwardSolve } from '../core/linalg.ts';
import { minimizeLbfgs } from '../core/optimize.ts';
import { Rng } from '../core/rng.ts';
import type { Kernel } from './kernels.ts';

export interface GprOptions {
  /** Value added to the diagonal of K(X, X) (scikit-learn's `alpha`, default 1e-10). */
  alpha?: number;
  normalizeY?: boolean;
  /** Optimize the kernel's free hyperparameters by maximizing the log marginal likelihood. */
  optimize?: boolean;
  restarts?: number;
  seed?: number;
}

export interface Lml {
  value: number;
  grad: Float64Array;
}

export class GaussianProcess {
  kernel: Kernel;
  readonly alpha: number;
  readonly normalizeY: boolean;
  readonly optimize: boolean;
  readonly restarts: number;
  readonly seed: number;
  private Xtrain: Mat | null = null;
  private L: Mat | null = null;
  private weights: Float64Array | null = null;
  private yMean = 0;
  private yStd = 1;
  logMarginalLikelihood = NaN;
  jitter = 0;
  info: Record<string, unknown> = {};

  constructor(kernel: Kernel, opts: GprOptions = {}) {
    this.kernel = kernel.clone();
    this.alpha = opts.alpha ?? 1e-10;
    this.normalizeY = opts.normalizeY ?? false;
    this.optimize = opts.optimize ?? true;
    this.restarts = opts.restarts ?? 0;
    this.seed = opts.seed ?? 0;
  }

  /** LML of standardized targets and its gradient w.r.t. the kernel's log-hyperparameters at theta. */
  lml(theta: Float64Array, X: Mat, y: Float64Array, withGrad = true): Lml {
    const k = this.kernel.clone();
    k.theta = theta;
    const { K, grads } = k.evalSelf(X, withGrad);
    const n = X.rows;
    for (let i = 0; i < n; i++) K.data[i * n + i] += this.alpha;
    let L: Mat;
    try {
      L = choleskyJitter(K, 1).L;
    } catch (e) {
      if (e instanceof NumericalError) return { value: -Infinity, grad: new Float64Array(theta.length) };
      throw e;
    }
    const a = cholSolve(L, y);
    let logDiag = 0;
    for (let i = 0; i < n; i++) logDiag += Math.log(L.data[i * n + i]!);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += y[i]! * a[i]!;
    const value = -0.5 * quad - logDiag - 0.5 * n * Math.log(2 * Math.PI);
    const grad = new Float64Array(theta.length);
    if (withGrad && grads.length) {
      // ∂LML/∂θ = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ)
      const W = spdInverseFromCholesky(L);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W[i * n + j] = a[i]! * a[j]! - W[i * n + j]!;
      for (let g = 0; g < grads.length; g++) {
        const G = grads[g]!.data;
        let s = 0;
        for (let i = 0; i < G.length; i++) s += W[i]! * G[i]!;
        grad[g] = 0.5 * s;
      }
    }
    return { value, grad };
  }

  fit(X: Mat, yIn: ArrayLike<number>): this {
    const n = X.rows;
    if (n < 1) throw new InputError('GPR needs at least one training row');
    if (yIn.length !== n) throw new InputError(`GPR: ${n} rows but ${yIn.length} targets`);
    assertFiniteArray(X.data, 'feature matrix');
    assertFiniteArray(yIn, 'target');
    let y = Float64Array.from(yIn);
    this.yMean = 0;
    this.yStd = 1;
    if (this.normalizeY) {
      let m = 0;
      for (let i = 0; i < n; i++) m += y[i]!;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (y[i]! - m) ** 2;
      const s = Math.sqrt(v / n);
      this.yMean = m;
      // scikit-learn leaves a constant target unscaled rather than dividing by zero.
      this.yStd = s > 0 ? s : 1;
      y = y.map((v) => (v - this.yMean) / this.yStd);
    }
    if (this.optimize && this.kernel.nTheta > 0) this.optimizeHyperparameters(X, y);
    const { K } = this.kernel.evalSelf(X, false);
    for (let i = 0; i < n; i++) K.data[i * n + i] += this.alpha;
    const { L, jitter } = choleskyJitter(K);
    this.jitter = jitter;
    this.L = L;
    this.weights = cholSolve(L, y);
    this.Xtrain = X.clone();
    this.logMarginalLikelihood = this.lml(this.kernel.theta, X, y, false).value;
    return this;
  }

  private optimizeHyperparameters(X: Mat, y: Float64Array): void {
    const bounds = this.kernel.bounds;
    const lower = bounds.map((b) => b[0]), upper = bounds.map((b) => b[1]);
    const starts: Float64Array[] = [this.kernel.theta];
    const rng = new Rng(this.seed);
    for (let r = 0; r < this.restarts; r++) starts.push(Float64Array.from(bounds, (b) => rng.uniform(b[0], b[1])));
    let best: { x: Float64Array; f: number } | null = null;
    let evaluations = 0;
    const results: number[] = [];
    for (const x0 of starts) {
      const res = minimizeLbfgs(
        (theta, grad) => {
          const r = this.lml(theta, X, y, true);
          if (!Number.isFinite(r.value)) { grad.fill(0); return Infinity; }
          for (let i = 0; i < grad.length; i++) grad[i] = -r.grad[i]!;
          return -r.value;
        },
        x0,
        { lower, upper, gtol: 1e-8, ftol: 1e-13, maxIter: 500 },
      );
      evaluations += res.evaluations;
      results.push(-res.f);
      if (Number.isFinite(res.f) && (!best || res.f < best.f)) best = { x: res.x, f: res.f };
    }
    if (!best) throw new NumericalError('GPR: the kernel matrix is not positive definite at any optimizer start');
    this.kernel.theta = best.x;
    this.info = { lmlPerStart: results, evaluations };
  }

  /** Predictive mean and (if asked) variance, in the original target units. */
  predict(Xs: Mat, withVariance = false): { mean: Float64Array; variance?: Float64Array } {
    if (!this.Xtrain || !this.L || !this.weights) throw new InputError('GPR: predict called before fit');
    if (Xs.cols !== this.Xtrain.cols) throw new InputError(`GPR: model has ${this.Xtrain.cols} features, got ${Xs.cols}`);
    const Ks = this.kernel.cross(Xs, this.Xtrain);
    const m = Xs.rows, n = this.Xtrain.rows;
    const mean = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Ks.data[i * n + j]! * this.weights[j]!;
      mean[i] = s * this.yStd + this.yMean;
    }
    if (!withVariance) return { mean };
    const variance = this.kernel.diag(Xs);
    const v = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      forwardSolve(this.L, Ks.data.subarray(i * n, (i + 1) * n), v);
      let s = 0;
      for (let j = 0; j < n; j++) s += v[j]! * v[j]!;
      variance[i] = Math.max(0, variance[i]! - s) * this.yStd * this.yStd;
    }
    return { mean, variance };
  }

  /** The fitted dual weights α = (K + αI)⁻¹ y (standardized units), for component analysis. */
  get dualWeights(): Float64Array {
    if (!this.weights) throw new InputError('GPR: not fitted');
    return this.weights;
  }
  get targetScale(): { mean: number; std: number } {
    return { mean: this.yMean, std: this.yStd };
  }
}

/**
 * (L Lᵀ)⁻¹ as a dense row-major array: invert the triangle (n³/6) and form L⁻ᵀL⁻¹ over the
 * upper triangle only (n³/6), about three times fewer operations than n triangular solves;
 * the likelihood gradient needs it at every optimizer step.
 */
function spdInverseFromCholesky(L: Mat): Float64Array {
  const n = L.rows, l = L.data;
  const T = new Float64Array(n * n); // T = L⁻¹, lower triangular
  for (let j = 0; j < n; j++) {
    T[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * T[k * n + j]!;
      T[i * n + j] = s / l[i * n + i]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = j; k < n; k++) s += T[k * n + i]! * T[k * n + j]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
