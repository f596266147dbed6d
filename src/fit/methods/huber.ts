/**
 * Huber robust regression (sklearn HuberRegressor's objective): jointly over w, b and scale σ,
 *   min Σ_i [σ + H_ε((y_i − b − x_i·w)/σ)·σ] + α‖w‖²,  H_ε(z) = z² if |z| ≤ ε else 2ε|z| − ε².
 * Solved by alternating exact updates: for fixed σ, iteratively reweighted least squares
 * (weights 1 inside the ε-tube, ε/|z| outside — each step decreases the convex objective); for
 * fixed w, σ has the closed form σ² = Σ_in r_i² / (n − n_out·... ) derived from ∂/∂σ = 0:
 * n − Σ_in (r_i/σ)² − n_out·ε² = 0. The intercept is unpenalized and fitted inside the loop
 * (not by centering, since the loss is not quadratic).
 */
import { Mat } from '../../core/matrix.ts';
import type { Estimator, EstimatorJSON, FitOptions, Params } from '../estimator.ts';
import { validateXy } from '../prepare.ts';
import { registerMethod } from '../method-spec.ts';
import { penalizedLstsq } from './ridge.ts';

class Huber implements Estimator {
  readonly method = 'huber';
  coef = new Float64Array(0);
  intercept = 0;
  info: Record<string, unknown> = {};
  constructor(readonly params: Params) {}
  get fitIntercept(): boolean {
    return this.params.fit_intercept !== false;
  }

  fit(X: Mat, y: Float64Array, opts: FitOptions = {}): this {
    validateXy(X, y, opts);
    const eps = this.params.epsilon as number, alpha = this.params.alpha as number;
    const n = X.rows, p = X.cols, q = p + (this.fitIntercept ? 1 : 0);
    const sw = opts.sampleWeight ?? new Float64Array(n).fill(1);
    // Augmented design [X, 1]; ridge only on w.
    const Z = new Mat(n, q);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) Z.data[i * q + j] = X.data[i * p + j]!;
      if (q > p) Z.data[i * q + p] = 1;
    }
    const Lam = new Mat(q, q);
    for (let j = 0; j < p; j++) Lam.data[j * q + j] = alpha;
    let theta: Float64Array = new Float64Array(q);
    let sigma = 1;
    const r = new Float64Array(n);
    let it = 0, converged = false;
    for (; it < (this.params.max_iter as number); it++) {
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let j = 0; j < q; j++) f += Z.data[i * q + j]! * theta[j]!;
        r[i] = y[i]! - f;
      }
      // σ update (closed form of ∂objective/∂σ = 0, weights included).
      let sIn = 0, wOut = 0, wAll = 0;
      for (let i = 0; i < n; i++) {
        wAll += sw[i]!;
        if (Math.abs(r[i]!) <= eps * sigma) sIn += sw[i]! * r[i]! ** 2;
        else wOut += sw[i]!;
      }
      const denom = wAll - wOut * eps * eps;
      const newSigma = denom > 0 && sIn > 0 ? Math.sqrt(sIn / denom) : sigma;
      // IRLS step for fixed σ: minimize Σ w_i·H(r_i/σ)·σ + α‖w‖² ≈ weighted LS with ω_i.
      const sq = new Float64Array(n);
      const Zw = new Mat(n, q);
      const yw = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const z = Math.abs(r[i]!) / newSigma;
        const om = (z <= eps ? 1 : eps / z) * sw[i]! / newSigma;
        sq[i] = Math.sqrt(om);
        for (let j = 0; j < q; j++) Zw.data[i * q + j] = Z.data[i * q + j]! * sq[i]!;
        yw[i] = y[i]! * sq[i]!;
      }
      const next = penalizedLstsq(Zw, yw, Lam).w;
      let d = Math.abs(newSigma - sigma);
      for (let j = 0; j < q; j++) d = Math.max(d, Math.abs(next[j]! - theta[j]!));
      theta = next;
      sigma = newSigma;
      if (d < (this.params.tol as number)) {
        converged = true;
        break;
      }
    }
    this.coef = theta.slice(0, p);
    this.intercept = q > p ? theta[p]! : 0;
    let outliers = 0;
    for (let i = 0; i < n; i++) if (Math.abs(r[i]!) > eps * sigma) outliers++;
    this.info = { scale: sigma, iterations: it + 1, converged, outliers };
    return this;
  }

  predict(X: Mat): Float64Array {
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j]! * this.coef[j]!;
      out[i] = s;
    }
    return out;
  }

  toJSON(): EstimatorJSON {
    return { method: this.method, params: { ...this.params }, coef: Array.from(this.coef), intercept: this.intercept, info: this.info };
  }
}

registerMethod({
  name: 'huber',
  summary: 'Huber robust regression with jointly estimated scale (sklearn HuberRegressor objective)',
  params: {
    epsilon: { type: 'number', default: 1.35, min: 1, description: 'ε: residuals beyond ε·σ count linearly' },
    alpha: { type: 'number', default: 1e-4, min: 0, description: 'ℓ2 penalty α‖w‖²' },
    max_iter: { type: 'integer', default: 1000, min: 1, description: 'maximum IRLS iterations' },
    tol: { type: 'number', default: 1e-10, gt: 0, description: 'stop when parameters change less than this' },
    fit_intercept: { type: 'boolean', default: true, description: 'fit an unpenalized intercept' },
  },
  create: (params) => new Huber(params),
});
