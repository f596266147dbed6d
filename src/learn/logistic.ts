/**
 * Logistic regression, binary and multinomial, with scikit-learn's objective so coefficients
 * are comparable:  C·Σ_i s_i·loss_i + penalty(W), intercepts unpenalized, where s_i is the
 * sample weight times the class weight and
 *   L2:          ½‖W‖²                       (solved by bounded-free L-BFGS)
 *   L1:          ‖W‖₁                        (accelerated proximal gradient, FISTA)
 *   elastic net: r‖W‖₁ + (1 − r)/2 ‖W‖²       (FISTA)
 * Two classes use one coefficient vector (log-odds of the second class), more classes the
 * full softmax with one row per class (scikit-learn's multinomial). Class weights: none,
 * 'balanced' (n / (K·count_k)) or explicit per-class values.
 */
import { InputError, NumericalError, OptionError } from '../core/errors.ts';
import { Mat } from '../core/matrix.ts';
import { minimizeLbfgs } from '../core/optimize.ts';
import type { BaseEstimator } from '../fit/estimator.ts';
import { ColumnScaler } from './scale.ts';

export type Penalty = 'l2' | 'l1' | 'elasticnet' | 'none';

export interface LogisticOptions {
  C?: number;
  penalty?: Penalty;
  l1Ratio?: number;
  classWeight?: 'balanced' | Record<string, number> | null;
  fitIntercept?: boolean;
  /** Standardize features first (coefficients then compare as importances). */
  standardize?: boolean;
  maxIter?: number;
  tol?: number;
}

export class LogisticRegression implements BaseEstimator<ArrayLike<string | number>, string[]> {
  readonly method = 'logistic';
  readonly C: number;
  readonly penalty: Penalty;
  readonly l1Ratio: number;
  readonly classWeight: LogisticOptions['classWeight'];
  readonly fitIntercept: boolean;
  readonly standardize: boolean;
  readonly maxIter: number;
  readonly tol: number;
  classes: string[] = [];
  /** K'×p coefficients (K' = 1 for two classes), in the (possibly standardized) feature units. */
  coef: Mat = new Mat(0, 0);
  intercept: Float64Array = new Float64Array(0);
  private scaler: ColumnScaler | null = null;
  info: Record<string, unknown> = {};

  constructor(opts: LogisticOptions = {}) {
    this.C = opts.C ?? 1;
    this.penalty = opts.penalty ?? 'l2';
    this.l1Ratio = opts.l1Ratio ?? 0.5;
    this.classWeight = opts.classWeight ?? null;
    this.fitIntercept = opts.fitIntercept ?? true;
    this.standardize = opts.standardize ?? false;
    this.maxIter = opts.maxIter ?? 10000;
    this.tol = opts.tol ?? 1e-10;
    if (!(this.C > 0)) throw new OptionError(`C must be > 0, got ${this.C}`, { field: 'C' });
    if (!['l2', 'l1', 'elasticnet', 'none'].includes(this.penalty)) throw new OptionError(`unknown penalty '${this.penalty}'`, { field: 'penalty' });
    if (!(this.l1Ratio >= 0 && this.l1Ratio <= 1)) throw new OptionError(`l1Ratio must be in [0, 1], got ${this.l1Ratio}`, { field: 'l1Ratio' });
  }

  private sampleWeights(codes: Int32Array, K: number): Float64Array {
    const n = codes.length;
    const w = new Float64Array(n).fill(1);
    if (!this.classWeight) return w;
    const cw = new Float64Array(K).fill(1);
    if (this.classWeight === 'balanced') {
      const count = new Float64Array(K);
      for (const c of codes) count[c]++;
      for (let k = 0; k < K; k++) cw[k] = n / (K * count[k]!);
    } else {
      for (const [label, v] of Object.entries(this.classWeight)) {
        const k = this.classes.indexOf(label);
        if (k < 0) throw new OptionError(`class weight for unknown class '${label}' (classes: ${this.classes.join(', ')})`, { field: 'classWeight' });
        if (!(v > 0)) throw new OptionError(`class weight for '${label}' must be > 0`, { field: 'classWeight' });
        cw[k] = v;
      }
    }
    for (let i = 0; i < n; i++) w[i] = cw[codes[i]!]!;
    return w;
  }

  fit(X: Mat, labels: ArrayLike<string | number>): this {
    const n = X.rows, p = X.cols;
    if (labels.length !== n) throw new InputError(`logistic regression: ${n} rows but ${labels.length} labels`);
    this.classes = [...new Set(Array.from(labels, String))].sort((a, b) => {
      const na = Number(a), nb = Number(b);
      return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a < b ? -1 : a > b ? 1 : 0;
    });
    const K = this.classes.length;
    if (K < 2) throw new InputError(`logistic regression needs at least two classes, got ${K} (${this.classes.join(', ')})`);
    const index = new Map(this.classes.map((c, k) => [c, k]));
    const codes = Int32Array.from(Array.from(labels, (l) => index.get(String(l))!));
    this.scaler = this.standardize ? ColumnScaler.standardize(X) : null;
    const Xs = this.scaler ? this.scaler.transform(X) : X;
    const sw = this.sampleWeights(codes, K);
    const R = K === 2 ? 1 : K; // coefficient rows
    const stride = p + 1;
    const nv = R * stride;
    const l2 = this.penalty === 'l2' ? 1 : this.penalty === 'elasticnet' ? 1 - this.l1Ratio : 0;
    const l1 = this.penalty === 'l1' ? 1 : this.penalty === 'elasticnet' ? this.l1Ratio : 0;

    const z = new Float64Array(R), pr = new Float64Array(K);
    // Smooth part: C·Σ s_i loss_i + l2/2 ‖W‖² (intercepts at index r·stride + p, unpenalized).
    const smooth = (v: Float64Array, g: Float64Array): number => {
      g.fill(0);
      let f = 0;
      for (let i = 0; i < n; i++) {
        const xi = Xs.data.subarray(i * p, (i + 1) * p);
        for (let r = 0; r < R; r++) {
          let s = this.fitIntercept ? v[r * stride + p]! : 0;
          for (let j = 0; j < p; j++) s += v[r * stride + j]! * xi[j]!;
          z[r] = s;
        }
        const wi = this.C * sw[i]!;
        if (R === 1) {
          const yi = codes[i] === 1 ? 1 : -1;
          const m = yi * z[0]!;
          // log(1 + e^{−m}) and its derivative, stable for either sign of m.
          f += wi * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
          const d = -yi * wi * (m > 0 ? Math.exp(-m) / (1 + Math.exp(-m)) : 1 / (1 + Math.exp(m)));
          for (let j = 0; j < p; j++) g[j] += d * xi[j]!;
          if (this.fitIntercept) g[p] += d;
        } else {
          let zmax = -Infinity;
          for (let k = 0; k < K; k++) zmax = Math.max(zmax, z[k]!);
          let se = 0;
          for (let k = 0; k < K; k++) { pr[k] = Math.exp(z[k]! - zmax); se += pr[k]!; }
          f += wi * (Math.log(se) + zmax - z[codes[i]!]!);
          for (let k = 0; k < K; k++) {
            const d = wi * (pr[k]! / se - (k === codes[i] ? 1 : 0));
            for (let j = 0; j < p; j++) g[k * stride + j] += d * xi[j]!;
            if (this.fitIntercept) g[k * stride + p] += d;
          }
        }
      }
      if (l2) {
        for (let r = 0; r < R; r++) {
          for (let j = 0; j < p; j++) {
            const c = v[r * stride + j]!;
            f += 0.5 * l2 * c * c;
            g[r * stride + j] += l2 * c;
          }
        }
      }
      return f;
    };

    let v: Float64Array;
    if (l1 === 0) {
      const res = minimizeLbfgs(smooth, new Float64Array(nv), { gtol: this.tol * Math.max(1, this.C * n), ftol: 0, maxIter: this.maxIter });
      if (!Number.isFinite(res.f)) throw new NumericalError('logistic regression objective is not finite');
      v = res.x;
      this.info = { solver: 'lbfgs', iterations: res.iterations, converged: res.converged, objective: res.f };
    } else {
      const r = fista(smooth, nv, (u, step) => {
        for (let rr = 0; rr < R; rr++) {
          for (let j = 0; j < p; j++) {
            const idx = rr * stride + j, t = step * l1;
            const c = u[idx]!;
            u[idx] = c > t ? c - t : c < -t ? c + t : 0;
          }
        }
      }, (u) => {
        let s = 0;
        for (let rr = 0; rr < R; rr++) for (let j = 0; j < p; j++) s += Math.abs(u[rr * stride + j]!);
        return l1 * s;
      }, this.maxIter, this.tol);
      v = r.x;
      this.info = { solver: 'fista', iterations: r.iterations, converged: r.converged, objective: r.f };
    }
    this.coef = new Mat(R, p);
    this.intercept = new Float64Array(R);
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < p; j++) this.coef.data[r * p + j] = v[r * stride + j]!;
      this.intercept[r] = this.fitIntercept ? v[r * stride + p]! : 0;
    }
    return this;
  }

  predictProba(X: Mat): Mat {
    if (!this.classes.length) throw new InputError('logistic regression: predict called before fit');
    const Xs = this.scaler ? this.scaler.transform(X) : X;
    const p = this.coef.cols, R = this.coef.rows, K = this.classes.length;
    if (Xs.cols !== p) throw new InputError(`logistic model has ${p} features, got ${Xs.cols}`);
    const out = new Mat(X.rows, K);
    const z = new Float64Array(R);
    for (let i = 0; i < X.rows; i++) {
      for (let r = 0; r < R; r++) {
        let s = this.intercept[r]!;
        for (let j = 0; j < p; j++) s += this.coef.data[r * p + j]! * Xs.data[i * p + j]!;
        z[r] = s;
      }
      if (R === 1) {
        const p1 = 1 / (1 + Math.exp(-z[0]!));
        out.data[i * K] = 1 - p1;
        out.data[i * K + 1] = p1;
      } else {
        let zmax = -Infinity;
        for (let k = 0; k < K; k++) zmax = Math.max(zmax, z[k]!);
        let se = 0;
        for (let k = 0; k < K; k++) se += Math.exp(z[k]! - zmax);
        for (let k = 0; k < K; k++) out.data[i * K + k] = Math.exp(z[k]! - zmax) / se;
      }
    }
    return out;
  }

  predict(X: Mat): string[] {
    const P = this.predictProba(X), K = this.classes.length;
    return Array.from({ length: X.rows }, (_, i) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (P.data[i * K + k]! > P.data[i * K + best]!) best = k;
      return this.classes[best]!;
    });
  }

  summary(): Record<string, unknown> {
    return { classes: this.classes, coef: this.coef.toRows(), intercept: Array.from(this.intercept), standardized: this.standardize, ...this.info };
  }
}

/** FISTA with backtracking on the Lipschitz estimate: min smooth(v) + nonsmooth(v). */
function fista(
  smooth: (v: Float64Array, g: Float64Array) => number,
  nv: number,
  prox: (u: Float64Array, step: number) => void,
  nonsmooth: (u: Float64Array) => number,
  maxIter: number,
  tol: number,
): { x: Float64Array; f: number; iterations: number; converged: boolean } {
  let x: Float64Array = new Float64Array(nv), yv: Float64Array = new Float64Array(nv);
  const g = new Float64Array(nv), gTmp = new Float64Array(nv);
  let L = 1, t = 1;
  let fx = smooth(x, g) + nonsmooth(x);
  let it = 0, converged = false;
  for (; it < maxIter; it++) {
    const fy = smooth(yv, g);
    let xn: Float64Array = yv;
    for (;;) {
      xn = yv.map((v, i) => v - g[i]! / L);
      prox(xn, 1 / L);
      let lin = 0, sq = 0;
      for (let i = 0; i < nv; i++) { const d = xn[i]! - yv[i]!; lin += g[i]! * d; sq += d * d; }
      if (smooth(xn, gTmp) <= fy + lin + 0.5 * L * sq + 1e-12 * Math.abs(fy)) break;
      L *= 2;
    }
    const fxn = smooth(xn, gTmp) + nonsmooth(xn);
    // Monotone restart: discard momentum when the objective went up.
    if (fxn > fx) { t = 1; yv = x.slice(); continue; }
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    let change = 0, scale = 0;
    for (let i = 0; i < nv; i++) {
      const d = xn[i]! - x[i]!;
      change = Math.max(change, Math.abs(d));
      scale = Math.max(scale, Math.abs(xn[i]!));
      yv[i] = xn[i]! + ((t - 1) / tn) * d;
    }
    t = tn;
    x = xn;
    const done = Math.abs(fx - fxn) <= tol * Math.max(1, Math.abs(fxn)) && change <= Math.sqrt(tol) * Math.max(1, scale);
    fx = fxn;
    L = Math.max(L / 1.5, 1e-12);
    if (done) { converged = true; break; }
  }
  return { x, f: fx, iterations: it, converged };
}
