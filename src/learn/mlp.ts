/**
 * Single-hidden-layer perceptron with tanh neurons and a linear output, trained on the sum
 * of squared errors by Levenberg–Marquardt (the setting of MATLAB's trainlm used in seed
 * 004: μ starts at 1e-3, ×0.1 after a successful step, ×10 after a failed one, stop at μ >
 * 1e10, a tiny gradient or the epoch limit). Features and target are standardized on the
 * training rows. Initial weights are seeded (uniform, scaled by fan-in).
 */
import { InputError, OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { choleskyJitter, cholSolve } from '../core/linalg.ts';
import { Rng } from '../core/rng.ts';
import type { BaseEstimator } from '../fit/estimator.ts';
import { ColumnScaler, meanStd } from './scale.ts';

export interface MlpOptions {
  neurons?: number;
  epochs?: number;
  mu?: number;
  seed?: number;
  /** Extra L2 weight decay on the SSE (0 = plain trainlm). */
  decay?: number;
}

export class Mlp implements BaseEstimator {
  readonly method = 'mlp';
  readonly neurons: number;
  readonly epochs: number;
  readonly mu0: number;
  readonly seed: number;
  readonly decay: number;
  private params: Float64Array | null = null;
  private scaler: ColumnScaler | null = null;
  private yMean = 0;
  private yStd = 1;
  private D = 0;
  info: Record<string, unknown> = {};

  constructor(opts: MlpOptions = {}) {
    this.neurons = opts.neurons ?? 2;
    this.epochs = opts.epochs ?? 200;
    this.mu0 = opts.mu ?? 1e-3;
    this.seed = opts.seed ?? 0;
    this.decay = opts.decay ?? 0;
    if (!Number.isInteger(this.neurons) || this.neurons < 1) throw new OptionError(`neurons must be a positive integer, got ${this.neurons}`, { field: 'neurons' });
    if (!Number.isInteger(this.epochs) || this.epochs < 1) throw new OptionError(`epochs must be a positive integer, got ${this.epochs}`, { field: 'epochs' });
  }

  // Parameter layout: W1 (H×D, row-major), b1 (H), w2 (H), b2.
  private forward(p: Float64Array, X: Mat, out: Float64Array, hidden?: Float64Array): void {
    const H = this.neurons, D = this.D;
    const b1 = H * D, w2 = b1 + H, b2 = w2 + H;
    for (let i = 0; i < X.rows; i++) {
      let o = p[b2]!;
      for (let h = 0; h < H; h++) {
        let a = p[b1 + h]!;
        for (let j = 0; j < D; j++) a += p[h * D + j]! * X.data[i * D + j]!;
        const t = Math.tanh(a);
        if (hidden) hidden[i * H + h] = t;
        o += p[w2 + h]! * t;
      }
      out[i] = o;
    }
  }

  fit(X: Mat, y: Float64Array): this {
    const n = X.rows;
    if (n < 2) throw new InputError('MLP needs at least two training rows');
    this.D = X.cols;
    this.scaler = ColumnScaler.standardize(X);
    const Xs = this.scaler.transform(X);
    const ms = meanStd(y);
    this.yMean = ms.mean;
    this.yStd = ms.std > 0 ? ms.std : 1;
    const t = y.map((v) => (v - this.yMean) / this.yStd);
    const H = this.neurons, D = this.D, P = H * D + 2 * H + 1;
    const rng = new Rng(this.seed);
    let p = new Float64Array(P);
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < D; j++) p[h * D + j] = rng.uniform(-1, 1) / Math.sqrt(D);
      p[H * D + h] = rng.uniform(-1, 1);
      p[H * D + H + h] = rng.uniform(-1, 1) / Math.sqrt(H);
    }
    const out = new Float64Array(n), hid = new Float64Array(n * H);
    const J = new Mat(n, P), e = new Float64Array(n);
    const sse = (q: Float64Array) => {
      this.forward(q, Xs, out);
      let s = 0;
      for (let i = 0; i < n; i++) s += (t[i]! - out[i]!) ** 2;
      if (this.decay) for (let k = 0; k < P; k++) s += this.decay * q[k]! * q[k]!;
      return s;
    };
    let mu = this.mu0;
    let f = sse(p);
    let epoch = 0, stop = 'epoch limit';
    for (; epoch < this.epochs; epoch++) {
      this.forward(p, Xs, out, hid);
      for (let i = 0; i < n; i++) {
        e[i] = t[i]! - out[i]!;
        const row = i * P;
        for (let h = 0; h < H; h++) {
          const th = hid[i * H + h]!;
          const g = p[H * D + H + h]! * (1 - th * th);
          for (let j = 0; j < D; j++) J.data[row + h * D + j] = g * Xs.data[i * D + j]!;
          J.data[row + H * D + h] = g;
          J.data[row + H * D + H + h] = th;
        }
        J.data[row + P - 1] = 1;
      }
      // Normal equations of the linearized residual: (JᵀJ + (μ + decay) I) δ = Jᵀe − decay·p.
      const JtJ = new Mat(P, P), Jte = new Float64Array(P);
      for (let i = 0; i < n; i++) {
        const row = i * P;
        for (let a = 0; a < P; a++) {
          const ja = J.data[row + a]!;
          if (ja === 0) continue;
          Jte[a] += ja * e[i]!;
          for (let b = a; b < P; b++) JtJ.data[a * P + b] += ja * J.data[row + b]!;
        }
      }
      for (let a = 0; a < P; a++) for (let b = 0; b < a; b++) JtJ.data[a * P + b] = JtJ.data[b * P + a]!;
      if (this.decay) for (let a = 0; a < P; a++) Jte[a] -= this.decay * p[a]!;
      let gmax = 0;
      for (let a = 0; a < P; a++) gmax = Math.max(gmax, Math.abs(Jte[a]!));
      if (gmax < 1e-9) { stop = 'gradient below 1e-9'; break; }
      let improved = false;
      while (mu <= 1e10) {
        const A = JtJ.clone();
        for (let a = 0; a < P; a++) A.data[a * P + a] += mu + this.decay;
        const delta = cholSolve(choleskyJitter(A).L, Jte);
        const q = p.map((v, k) => v + delta[k]!);
        const fq = sse(q);
        if (fq < f) {
          p = q;
          f = fq;
          mu *= 0.1;
          improved = true;
          break;
        }
        mu *= 10;
      }
      if (!improved) { stop = 'mu above 1e10'; break; }
    }
    this.params = p;
    this.info = { epochs: epoch, stop, trainSse: f * this.yStd * this.yStd };
    return this;
  }

  predict(X: Mat): Float64Array {
    if (!this.params || !this.scaler) throw new InputError('MLP: predict called before fit');
    const out = new Float64Array(X.rows);
    this.forward(this.params, this.scaler.transform(X), out);
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * this.yStd + this.yMean;
    return out;
  }

  summary(): Record<string, unknown> {
    return { neurons: this.neurons, ...this.info };
  }
}
