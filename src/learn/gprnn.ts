/**
 * GPR-NN (seed 004 Eq. 10; Manzhos & Ihara): f(x) = Σ_n f_n(y_n), y = W·x, a first-order
 * additive GPR in redundant coordinates y. W's first D rows are the identity (so the original
 * features are always among the y), the remaining N − D rows are points of a D-dimensional
 * Sobol sequence (origin skipped). Inputs are scaled to the unit cube on the training rows,
 * and so is every y column, so one isotropic length scale l fits all neurons. The kernel is
 * Σ_n exp(−(y_n − y'_n)²/2l²) + σ²·I on standardized targets; all f_n come out of one linear
 * solve. With N = D this is the plain additive GPR.
 *
 * l and σ² are either fixed or chosen by maximizing the log marginal likelihood. The optional
 * greedy Monte Carlo refinement perturbs one Sobol row at a time and keeps the perturbation
 * only if the training RMSE drops (hyperparameters held fixed), as the authors' code does.
 */
import { InputError, OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';
import { errorMetrics } from '../core/stats.ts';
import { GaussianProcess } from './gpr.ts';
import { AdditiveRBF, Sum, White } from './kernels.ts';
import type { BaseEstimator } from '../fit/estimator.ts';
import { ColumnScaler } from './scale.ts';
import { sobolPoints } from './sobol.ts';

export interface GprNnOptions {
  /** Number of neurons N ≥ D (default D, i.e. additive GPR; 0 = 2D). */
  neurons?: number;
  lengthScale?: number;
  /** σ², added to the diagonal of the additive kernel (standardized targets). */
  noise?: number;
  /** Choose l and σ² by maximum likelihood, starting from the values above. */
  optimize?: boolean;
  restarts?: number;
  /** Greedy Monte Carlo refinement steps for the non-identity rows of W. */
  refine?: number;
  refineStep?: number;
  seed?: number;
  /** Explicit weight matrix (N×D) instead of identity + Sobol rows. */
  weights?: Mat;
}

export interface ComponentShape {
  neuron: number;
  /** Row of W (weights on unit-cube features). */
  weights: number[];
  /** (var f_n)^½ over the training points, in target units. */
  importance: number;
  /** f_n on a grid of the unit-scaled coordinate t ∈ [0, 1]. */
  t: number[];
  f: number[];
}

export class GprNn implements BaseEstimator {
  readonly method: string;
  readonly opts: Required<Omit<GprNnOptions, 'weights' | 'neurons'>> & { neurons?: number };
  private W: Mat | null = null;
  private readonly fixedW: Mat | null;
  private xScaler: ColumnScaler | null = null;
  private yScaler: ColumnScaler | null = null;
  gp: GaussianProcess | null = null;
  private Ytrain: Mat | null = null;
  info: Record<string, unknown> = {};

  constructor(opts: GprNnOptions = {}, name = 'gpr-nn') {
    this.method = name;
    this.opts = {
      lengthScale: opts.lengthScale ?? 1,
      noise: opts.noise ?? 1e-2,
      optimize: opts.optimize ?? true,
      restarts: opts.restarts ?? 0,
      refine: opts.refine ?? 0,
      refineStep: opts.refineStep ?? 0.1,
      seed: opts.seed ?? 0,
      ...(opts.neurons !== undefined ? { neurons: opts.neurons } : {}),
    };
    if (!(this.opts.lengthScale > 0) || !(this.opts.noise > 0)) throw new OptionError('GPR-NN length scale and noise must be positive');
    this.fixedW = opts.weights ?? null;
  }

  /** Identity rows followed by Sobol rows (origin skipped). */
  static defaultWeights(D: number, N: number): Mat {
    if (!Number.isInteger(N) || N < D) throw new OptionError(`GPR-NN needs at least as many neurons as features (${D}), got ${N}`, { field: 'neurons' });
    const W = new Mat(N, D);
    for (let i = 0; i < D; i++) W.data[i * D + i] = 1;
    if (N > D) {
      const s = sobolPoints(N - D + 1, D);
      W.data.set(s.data.subarray(D), D * D);
    }
    return W;
  }

  private project(Xs: Mat, W: Mat): Mat {
    const n = Xs.rows, D = Xs.cols, N = W.rows;
    const Y = new Mat(n, N);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < N; k++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += W.data[k * D + j]! * Xs.data[i * D + j]!;
        Y.data[i * N + k] = s;
      }
    }
    return Y;
  }

  private fitWith(Xs: Mat, y: Float64Array, W: Mat, optimize: boolean, ls: number, noise: number): { gp: GaussianProcess; yScaler: ColumnScaler; Y: Mat } {
    const Yraw = this.project(Xs, W);
    const yScaler = ColumnScaler.unitCube(Yraw);
    const Y = yScaler.transform(Yraw);
    const kernel = new Sum(new AdditiveRBF(ls, [1e-3, 1e3]), new White(noise, [1e-8, 10]));
    const gp = new GaussianProcess(kernel, { normalizeY: true, optimize, restarts: this.opts.restarts, seed: this.opts.seed, alpha: 0 });
    gp.fit(Y, y);
    return { gp, yScaler, Y };
  }

  fit(X: Mat, y: Float64Array): this {
    const D = X.cols;
    if (X.rows < 2) throw new InputError('GPR-NN needs at least two training rows');
    const W0 = this.fixedW ?? GprNn.defaultWeights(D, this.opts.neurons === 0 ? 2 * D : (this.opts.neurons ?? D));
    if (W0.cols !== D) throw new OptionError(`weight matrix has ${W0.cols} columns for ${D} features`, { field: 'weights' });
    this.xScaler = ColumnScaler.unitCube(X);
    const Xs = this.xScaler.transform(X);
    let best = this.fitWith(Xs, y, W0, this.opts.optimize, this.opts.lengthScale, this.opts.noise);
    let W = W0;
    const kern = best.gp.kernel as Sum;
    const ls = (kern.a as AdditiveRBF).lengthScale, noise = (kern.b as White).noise;
    let accepted = 0;
    if (this.opts.refine > 0 && W.rows > D && !this.fixedW) {
      const rng = new Rng(this.opts.seed + 1);
      let bestErr = errorMetrics(y, best.gp.predict(best.Y).mean).rmse;
      for (let r = 0; r < this.opts.refine; r++) {
        const cand = W.clone();
        const row = D + rng.int(W.rows - D);
        for (let j = 0; j < D; j++) cand.data[row * D + j] += this.opts.refineStep * rng.normal();
        const trial = this.fitWith(Xs, y, cand, false, ls, noise);
        const err = errorMetrics(y, trial.gp.predict(trial.Y).mean).rmse;
        if (err < bestErr) { best = trial; W = cand; bestErr = err; accepted++; }
      }
    }
    this.W = W;
    this.gp = best.gp;
    this.yScaler = best.yScaler;
    this.Ytrain = best.Y;
    this.info = { neurons: W.rows, lengthScale: ls, noise, logMarginalLikelihood: best.gp.logMarginalLikelihood, refineAccepted: accepted };
    return this;
  }

  private transformed(X: Mat): Mat {
    if (!this.W || !this.xScaler || !this.yScaler) throw new InputError('GPR-NN: predict called before fit');
    return this.yScaler.transform(this.project(this.xScaler.transform(X), this.W));
  }

  predict(X: Mat): Float64Array {
    const Y = this.transformed(X);
    return this.gp!.predict(Y).mean;
  }

  /** Component functions f_n on a grid of their unit-scaled coordinate, sorted by importance. */
  components(gridPoints = 101): ComponentShape[] {
    if (!this.gp || !this.Ytrain || !this.W) throw new InputError('GPR-NN: not fitted');
    const a = this.gp.dualWeights, { std } = this.gp.targetScale;
    const ls = ((this.gp.kernel as Sum).a as AdditiveRBF).lengthScale;
    const Y = this.Ytrain, n = Y.rows, N = Y.cols;
    const fAt = (k: number, t: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const u = t - Y.data[i * N + k]!;
        s += Math.exp((-0.5 * u * u) / (ls * ls)) * a[i]!;
      }
      return s * std;
    };
    const out: ComponentShape[] = [];
    for (let k = 0; k < N; k++) {
      const vals = Array.from({ length: n }, (_, i) => fAt(k, Y.data[i * N + k]!));
      const m = vals.reduce((s, v) => s + v, 0) / n;
      const importance = Math.sqrt(vals.reduce((s, v) => s + (v - m) ** 2, 0) / n);
      const t = Array.from({ length: gridPoints }, (_, i) => i / (gridPoints - 1));
      out.push({ neuron: k, weights: Array.from(this.W.row(k)), importance, t, f: t.map((tt) => fAt(k, tt)) });
    }
    return out.sort((p, q) => q.importance - p.importance);
  }

  summary(): Record<string, unknown> {
    return { ...this.info };
  }
}
