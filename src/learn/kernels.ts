/**
 * Covariance kernels for Gaussian process regression with hyperparameters in log space (the
 * parametrization scikit-learn optimizes, so bounds and restarts mean the same thing) and
 * analytic gradients dK/dθ for the log-marginal-likelihood.
 *
 * Kernels compose by Sum and Product. `dims` restricts a stationary kernel to some input
 * columns, which is how an additive GPR is written in the general algebra.
 */
import { OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';

export interface KernelEval {
  K: Mat;
  /** dK/dθ_j for every free log-hyperparameter, in `theta` order. */
  grads: Mat[];
}

export interface Kernel {
  /** Free hyperparameters in log space (fixed ones are excluded). */
  theta: Float64Array;
  /** Log-space bounds of the free hyperparameters. */
  readonly bounds: Array<[number, number]>;
  readonly nTheta: number;
  /** K(X, X) with the gradients when asked. */
  evalSelf(X: Mat, withGrad: boolean): KernelEval;
  /** K(A, B) (white noise contributes nothing between distinct point sets). */
  cross(A: Mat, B: Mat): Mat;
  /** diag K(X, X), including white noise (as scikit-learn's `diag`). */
  diag(X: Mat): Float64Array;
  clone(): Kernel;
  describe(): string;
  toJSON(): Record<string, unknown>;
}

export type Bounds = [number, number] | 'fixed';

function logBounds(b: Bounds, what: string): [number, number] | null {
  if (b === 'fixed') return null;
  if (!(b[0] > 0 && b[1] >= b[0])) throw new OptionError(`${what} bounds must satisfy 0 < low ≤ high, got [${b[0]}, ${b[1]}]`);
  return [Math.log(b[0]), Math.log(b[1])];
}

function linearBounds(b: [number, number] | null): Bounds {
  return b ? [Math.exp(b[0]), Math.exp(b[1])] : 'fixed';
}

function checkPositive(v: number, what: string): void {
  if (!(v > 0) || !Number.isFinite(v)) throw new OptionError(`${what} must be a positive finite number, got ${v}`);
}

/** Profile k(d) of a stationary kernel in the scaled distance d, and −k'(d)/d (finite at 0). */
type Profile = { value(d: number): number; dOverD(d: number): number };

const PROFILES: Record<string, Profile> = {
  rbf: { value: (d) => Math.exp(-0.5 * d * d), dOverD: (d) => Math.exp(-0.5 * d * d) },
  matern12: { value: (d) => Math.exp(-d), dOverD: (d) => (d > 0 ? Math.exp(-d) / d : 0) },
  matern32: {
    value: (d) => (1 + Math.sqrt(3) * d) * Math.exp(-Math.sqrt(3) * d),
    dOverD: (d) => 3 * Math.exp(-Math.sqrt(3) * d),
  },
  matern52: {
    value: (d) => (1 + Math.sqrt(5) * d + (5 / 3) * d * d) * Math.exp(-Math.sqrt(5) * d),
    dOverD: (d) => (5 / 3) * (1 + Math.sqrt(5) * d) * Math.exp(-Math.sqrt(5) * d),
  },
};

export type StationaryType = 'rbf' | 'matern12' | 'matern32' | 'matern52';

/**
 * RBF or Matérn ν ∈ {1/2, 3/2, 5/2} with one length scale or one per dimension (ARD).
 * k = f(d), d² = Σ_k (x_k − x'_k)² / l_k².
 */
export class Stationary implements Kernel {
  lengthScale: Float64Array;
  private readonly lsBounds: [number, number] | null;
  private readonly profile: Profile;

  constructor(
    readonly type: StationaryType,
    lengthScale: number | ArrayLike<number> = 1,
    bounds: Bounds = [1e-5, 1e5],
    readonly dims: number[] | null = null,
  ) {
    if (!(type in PROFILES)) throw new OptionError(`unknown stationary kernel '${type}'`);
    this.profile = PROFILES[type]!;
    this.lengthScale = typeof lengthScale === 'number' ? Float64Array.of(lengthScale) : Float64Array.from(lengthScale);
    if (this.lengthScale.length === 0) throw new OptionError('length scale list is empty');
    this.lengthScale.forEach((l) => checkPositive(l, 'length scale'));
    this.lsBounds = logBounds(bounds, 'length scale');
  }

  get nTheta(): number {
    return this.lsBounds ? this.lengthScale.length : 0;
  }
  get theta(): Float64Array {
    return this.lsBounds ? this.lengthScale.map(Math.log) : new Float64Array(0);
  }
  set theta(t: Float64Array) {
    if (this.lsBounds) for (let i = 0; i < this.lengthScale.length; i++) this.lengthScale[i] = Math.exp(t[i]!);
  }
  get bounds(): Array<[number, number]> {
    return this.lsBounds ? Array.from(this.lengthScale, () => this.lsBounds!) : [];
  }

  private allCols: number[] = [];
  private columns(X: Mat): number[] {
    if (!this.dims && this.allCols.length !== X.cols) this.allCols = Array.from({ length: X.cols }, (_, i) => i);
    const cols = this.dims ?? this.allCols;
    for (const c of cols) if (c < 0 || c >= X.cols) throw new OptionError(`kernel dimension ${c} outside the ${X.cols} input columns`);
    if (this.lengthScale.length !== 1 && this.lengthScale.length !== cols.length) {
      throw new OptionError(`kernel has ${this.lengthScale.length} length scales for ${cols.length} input dimensions`);
    }
    return cols;
  }

  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const n = X.rows, cols = this.columns(X), nd = cols.length, p = X.cols;
    const ard = this.lengthScale.length > 1;
    const K = new Mat(n, n);
    const grads = withGrad ? Array.from({ length: this.nTheta }, () => new Mat(n, n)) : [];
    const inv = Float64Array.from({ length: nd }, (_, k) => 1 / this.lengthScale[ard ? k : 0]!);
    const comp = new Float64Array(nd);
    for (let i = 0; i < n; i++) {
      K.data[i * n + i] = 1;
      for (let j = i + 1; j < n; j++) {
        let d2 = 0;
        for (let k = 0; k < nd; k++) {
          const c = cols[k]!;
          const u = (X.data[i * p + c]! - X.data[j * p + c]!) * inv[k]!;
          comp[k] = u * u;
          d2 += comp[k]!;
        }
        const d = Math.sqrt(d2);
        const v = this.profile.value(d);
        K.data[i * n + j] = v;
        K.data[j * n + i] = v;
        if (withGrad && this.nTheta) {
          const w = this.profile.dOverD(d);
          if (ard) {
            for (let k = 0; k < nd; k++) {
              const gk = w * comp[k]!;
              grads[k]!.data[i * n + j] = gk;
              grads[k]!.data[j * n + i] = gk;
            }
          } else {
            const g0 = w * d2;
            grads[0]!.data[i * n + j] = g0;
            grads[0]!.data[j * n + i] = g0;
          }
        }
      }
    }
    return { K, grads };
  }

  cross(A: Mat, B: Mat): Mat {
    const cols = this.columns(A);
    this.columns(B);
    const nd = cols.length, ard = this.lengthScale.length > 1;
    const out = new Mat(A.rows, B.rows);
    const inv = Float64Array.from({ length: nd }, (_, k) => 1 / this.lengthScale[ard ? k : 0]!);
    for (let i = 0; i < A.rows; i++) {
      for (let j = 0; j < B.rows; j++) {
        let d2 = 0;
        for (let k = 0; k < nd; k++) {
          const c = cols[k]!;
          const u = (A.data[i * A.cols + c]! - B.data[j * B.cols + c]!) * inv[k]!;
          d2 += u * u;
        }
        out.data[i * B.rows + j] = this.profile.value(Math.sqrt(d2));
      }
    }
    return out;
  }

  diag(X: Mat): Float64Array {
    return new Float64Array(X.rows).fill(1);
  }

  clone(): Stationary {
    return new Stationary(this.type, this.lengthScale, linearBounds(this.lsBounds), this.dims ? [...this.dims] : null);
  }

  describe(): string {
    const ls = Array.from(this.lengthScale, (l) => l.toPrecision(4)).join(', ');
    const name = this.type === 'rbf' ? 'RBF' : `Matern(nu=${this.type.slice(-2, -1)}/2)`;
    return `${name}(length_scale=${this.lengthScale.length > 1 ? `[${ls}]` : ls}${this.dims ? `, dims=[${this.dims.join(',')}]` : ''})`;
  }

  toJSON(): Record<string, unknown> {
    return { type: this.type, lengthScale: Array.from(this.lengthScale), dims: this.dims };
  }
}

/** Constant kernel k = c (a signal variance when multiplied with a correlation kernel). */
export class Constant implements Kernel {
  private readonly b: [number, number] | null;
  constructor(public value = 1, bounds: Bounds = [1e-5, 1e5]) {
    checkPositive(value, 'constant value');
    this.b = logBounds(bounds, 'constant value');
  }
  get nTheta(): number { return this.b ? 1 : 0; }
  get theta(): Float64Array { return this.b ? Float64Array.of(Math.log(this.value)) : new Float64Array(0); }
  set theta(t: Float64Array) { if (this.b) this.value = Math.exp(t[0]!); }
  get bounds(): Array<[number, number]> { return this.b ? [this.b] : []; }
  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const n = X.rows;
    const K = new Mat(n, n);
    K.data.fill(this.value);
    return { K, grads: withGrad && this.b ? [K.clone()] : [] };
  }
  cross(A: Mat, B: Mat): Mat {
    const m = new Mat(A.rows, B.rows);
    m.data.fill(this.value);
    return m;
  }
  diag(X: Mat): Float64Array { return new Float64Array(X.rows).fill(this.value); }
  clone(): Constant {
    return new Constant(this.value, linearBounds(this.b));
  }
  describe(): string { return `${this.value.toPrecision(4)}`; }
  toJSON(): Record<string, unknown> { return { type: 'constant', value: this.value }; }
}

/** White noise: noise·I on the training set, nothing between distinct point sets. */
export class White implements Kernel {
  private readonly b: [number, number] | null;
  constructor(public noise = 1, bounds: Bounds = [1e-5, 1e5]) {
    checkPositive(noise, 'noise level');
    this.b = logBounds(bounds, 'noise level');
  }
  get nTheta(): number { return this.b ? 1 : 0; }
  get theta(): Float64Array { return this.b ? Float64Array.of(Math.log(this.noise)) : new Float64Array(0); }
  set theta(t: Float64Array) { if (this.b) this.noise = Math.exp(t[0]!); }
  get bounds(): Array<[number, number]> { return this.b ? [this.b] : []; }
  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const K = Mat.identity(X.rows, this.noise);
    return { K, grads: withGrad && this.b ? [K.clone()] : [] };
  }
  cross(A: Mat, B: Mat): Mat { return new Mat(A.rows, B.rows); }
  diag(X: Mat): Float64Array { return new Float64Array(X.rows).fill(this.noise); }
  clone(): White {
    return new White(this.noise, linearBounds(this.b));
  }
  describe(): string { return `WhiteKernel(noise_level=${this.noise.toPrecision(4)})`; }
  toJSON(): Record<string, unknown> { return { type: 'white', noise: this.noise }; }
}

abstract class Binary implements Kernel {
  constructor(readonly a: Kernel, readonly b: Kernel) {}
  get nTheta(): number { return this.a.nTheta + this.b.nTheta; }
  get theta(): Float64Array {
    const t = new Float64Array(this.nTheta);
    t.set(this.a.theta, 0);
    t.set(this.b.theta, this.a.nTheta);
    return t;
  }
  set theta(t: Float64Array) {
    this.a.theta = t.subarray(0, this.a.nTheta);
    this.b.theta = t.subarray(this.a.nTheta);
  }
  get bounds(): Array<[number, number]> { return [...this.a.bounds, ...this.b.bounds]; }
  abstract evalSelf(X: Mat, withGrad: boolean): KernelEval;
  abstract cross(A: Mat, B: Mat): Mat;
  abstract diag(X: Mat): Float64Array;
  abstract clone(): Kernel;
  abstract describe(): string;
  abstract toJSON(): Record<string, unknown>;
}

export class Sum extends Binary {
  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const ea = this.a.evalSelf(X, withGrad), eb = this.b.evalSelf(X, withGrad);
    for (let i = 0; i < ea.K.data.length; i++) ea.K.data[i] += eb.K.data[i]!;
    return { K: ea.K, grads: [...ea.grads, ...eb.grads] };
  }
  cross(A: Mat, B: Mat): Mat {
    const m = this.a.cross(A, B), o = this.b.cross(A, B);
    for (let i = 0; i < m.data.length; i++) m.data[i] += o.data[i]!;
    return m;
  }
  diag(X: Mat): Float64Array {
    const d = this.a.diag(X), e = this.b.diag(X);
    for (let i = 0; i < d.length; i++) d[i] += e[i]!;
    return d;
  }
  clone(): Sum { return new Sum(this.a.clone(), this.b.clone()); }
  describe(): string { return `${this.a.describe()} + ${this.b.describe()}`; }
  toJSON(): Record<string, unknown> { return { type: 'sum', terms: [this.a.toJSON(), this.b.toJSON()] }; }
}

export class Product extends Binary {
  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const ea = this.a.evalSelf(X, withGrad), eb = this.b.evalSelf(X, withGrad);
    const grads: Mat[] = [];
    for (const g of ea.grads) {
      for (let i = 0; i < g.data.length; i++) g.data[i] *= eb.K.data[i]!;
      grads.push(g);
    }
    for (const g of eb.grads) {
      for (let i = 0; i < g.data.length; i++) g.data[i] *= ea.K.data[i]!;
      grads.push(g);
    }
    for (let i = 0; i < ea.K.data.length; i++) ea.K.data[i] *= eb.K.data[i]!;
    return { K: ea.K, grads };
  }
  cross(A: Mat, B: Mat): Mat {
    const m = this.a.cross(A, B), o = this.b.cross(A, B);
    for (let i = 0; i < m.data.length; i++) m.data[i] *= o.data[i]!;
    return m;
  }
  diag(X: Mat): Float64Array {
    const d = this.a.diag(X), e = this.b.diag(X);
    for (let i = 0; i < d.length; i++) d[i] *= e[i]!;
    return d;
  }
  clone(): Product { return new Product(this.a.clone(), this.b.clone()); }
  describe(): string {
    const wrap = (k: Kernel) => (k instanceof Sum ? `(${k.describe()})` : k.describe());
    return `${wrap(this.a)} * ${wrap(this.b)}`;
  }
  toJSON(): Record<string, unknown> { return { type: 'product', factors: [this.a.toJSON(), this.b.toJSON()] }; }
}

export const sum = (...ks: Kernel[]): Kernel => ks.reduce((acc, k) => new Sum(acc, k));
export const product = (...ks: Kernel[]): Kernel => ks.reduce((acc, k) => new Product(acc, k));

/**
 * Additive RBF kernel with one shared length scale: K = Σ_n exp(−(y_n − y'_n)² / 2l²) over
 * all input columns (seed 004 Eq. 10's kernel). Written directly rather than as a Sum of N
 * one-dimensional RBFs because GPR-NN evaluates it with many columns, and so that its
 * equality with the general algebra is a real test.
 */
export class AdditiveRBF implements Kernel {
  private readonly b: [number, number] | null;
  constructor(public lengthScale = 1, bounds: Bounds = [1e-3, 1e3]) {
    checkPositive(lengthScale, 'length scale');
    this.b = logBounds(bounds, 'length scale');
  }
  get nTheta(): number { return this.b ? 1 : 0; }
  get theta(): Float64Array { return this.b ? Float64Array.of(Math.log(this.lengthScale)) : new Float64Array(0); }
  set theta(t: Float64Array) { if (this.b) this.lengthScale = Math.exp(t[0]!); }
  get bounds(): Array<[number, number]> { return this.b ? [this.b] : []; }
  evalSelf(X: Mat, withGrad: boolean): KernelEval {
    const n = X.rows, p = X.cols, c = 0.5 / (this.lengthScale * this.lengthScale);
    const K = new Mat(n, n);
    const G = withGrad && this.b ? new Mat(n, n) : null;
    for (let i = 0; i < n; i++) {
      K.data[i * n + i] = p;
      for (let j = i + 1; j < n; j++) {
        let s = 0, g = 0;
        for (let k = 0; k < p; k++) {
          const u = X.data[i * p + k]! - X.data[j * p + k]!;
          const q = u * u * c;
          const e = Math.exp(-q);
          s += e;
          g += 2 * q * e;
        }
        K.data[i * n + j] = s;
        K.data[j * n + i] = s;
        if (G) { G.data[i * n + j] = g; G.data[j * n + i] = g; }
      }
    }
    return { K, grads: G ? [G] : [] };
  }
  cross(A: Mat, B: Mat): Mat {
    const p = A.cols, c = 0.5 / (this.lengthScale * this.lengthScale);
    if (B.cols !== p) throw new OptionError(`additive kernel: ${A.cols} vs ${B.cols} columns`);
    const out = new Mat(A.rows, B.rows);
    for (let i = 0; i < A.rows; i++) {
      for (let j = 0; j < B.rows; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) {
          const u = A.data[i * p + k]! - B.data[j * p + k]!;
          s += Math.exp(-u * u * c);
        }
        out.data[i * B.rows + j] = s;
      }
    }
    return out;
  }
  diag(X: Mat): Float64Array { return new Float64Array(X.rows).fill(X.cols); }
  clone(): AdditiveRBF {
    return new AdditiveRBF(this.lengthScale, linearBounds(this.b));
  }
  describe(): string { return `AdditiveRBF(length_scale=${this.lengthScale.toPrecision(4)})`; }
  toJSON(): Record<string, unknown> { return { type: 'additive-rbf', lengthScale: this.lengthScale }; }
}
