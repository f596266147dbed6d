/**
 * Evidence-maximization regressions with scikit-learn's updates and defaults (MacKay 1992;
 * Tipping 2001): Bayesian ridge (one prior precision λ for all ECIs, noise precision α) and
 * ARD (one λ_j per ECI, features whose λ_j exceeds threshold_lambda are pruned). Gamma(…)
 * hyperpriors alpha_1, alpha_2, lambda_1, lambda_2 = 1e-6 as in sklearn; iteration stops when
 * Σ|Δw| < tol (sklearn's rule). `max_iter` is sklearn ≥ 1.3's name for the old `n_iter`.
 */
import { cholInverse, choleskyJitter, svd, symEig } from '../../core/linalg.ts';
import { Mat, matTVec, matVec } from '../../core/matrix.ts';
import { FIT_INTERCEPT, LinearModel, countNonzero } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod, type ParamSpec } from '../method-spec.ts';

const EPS = 2.220446049250313e-16;

const HYPER: Record<string, ParamSpec> = {
  max_iter: { type: 'integer', default: 300, min: 1, description: 'maximum evidence iterations' },
  tol: { type: 'number', default: 1e-3, gt: 0, description: 'stop when Σ|Δw| < tol' },
  alpha_1: { type: 'number', default: 1e-6, min: 0, description: 'Gamma shape of the noise precision prior' },
  alpha_2: { type: 'number', default: 1e-6, min: 0, description: 'Gamma rate of the noise precision prior' },
  lambda_1: { type: 'number', default: 1e-6, min: 0, description: 'Gamma shape of the weight precision prior' },
  lambda_2: { type: 'number', default: 1e-6, min: 0, description: 'Gamma rate of the weight precision prior' },
  fit_intercept: FIT_INTERCEPT,
};

function variance(y: Float64Array): number {
  let m = 0;
  for (const v of y) m += v;
  m /= y.length;
  let s = 0;
  for (const v of y) s += (v - m) ** 2;
  return s / y.length;
}

function sse(X: Mat, y: Float64Array, w: Float64Array): number {
  const f = matVec(X, w);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i]! - f[i]!) ** 2;
  return s;
}

class BayesianRidge extends LinearModel {
  protected solve(P: Prepared): Float64Array {
    const h = this.params as Record<string, number>;
    const X = P.X, y = P.y, n = X.rows, p = X.cols;
    const { U, s, V } = svd(X);
    const k = s.length;
    const eig = s.map((v) => v * v);
    const Uty = matTVec(U, y); // k
    // w(λ/α) = V diag(s/(s²+λ/α)) Uᵀy — sklearn's _update_coef_ in either branch.
    const coefAt = (ratio: number) => {
      const w = new Float64Array(p);
      for (let j = 0; j < k; j++) {
        const c = (s[j]! * Uty[j]!) / (eig[j]! + ratio);
        if (c === 0) continue;
        for (let i = 0; i < p; i++) w[i] += c * V.data[i * k + j]!;
      }
      return w;
    };
    let alpha = 1 / (variance(y) + EPS);
    let lambda = 1;
    let old: Float64Array | null = null;
    let it = 0, converged = false;
    for (; it < h.max_iter!; it++) {
      const w = coefAt(lambda / alpha);
      const rmse = sse(X, y, w);
      let gamma = 0;
      for (let j = 0; j < k; j++) gamma += (alpha * eig[j]!) / (lambda + alpha * eig[j]!);
      let ww = 0;
      for (const v of w) ww += v * v;
      lambda = (gamma + 2 * h.lambda_1!) / (ww + 2 * h.lambda_2!);
      alpha = (n - gamma + 2 * h.alpha_1!) / (rmse + 2 * h.alpha_2!);
      if (old) {
        let d = 0;
        for (let j = 0; j < p; j++) d += Math.abs(old[j]! - w[j]!);
        if (d < h.tol!) {
          converged = true;
          break;
        }
      }
      old = w;
    }
    const w = coefAt(lambda / alpha);
    // Posterior covariance σ = (1/α)·V diag(1/(s² + λ/α)) Vᵀ, as sklearn's sigma_.
    const sigmaDiag = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < k; j++) t += V.data[i * k + j]! ** 2 / (eig[j]! + lambda / alpha);
      // Directions outside the row space keep the prior variance 1/λ.
      sigmaDiag[i] = t / alpha;
    }
    this.info = { alpha, lambda, iterations: Math.min(it + 1, h.max_iter!), converged, coefStd: Array.from(sigmaDiag, Math.sqrt) };
    return w;
  }
}

registerMethod({
  name: 'bayesian-ridge',
  summary: 'Bayesian ridge: evidence maximization of noise and weight precisions (sklearn BayesianRidge)',
  params: HYPER,
  create: (params) => new BayesianRidge('bayesian-ridge', params),
});

/** Pseudo-inverse of a symmetric matrix (sklearn uses pinvh; Cholesky when it is PD). */
function pinvh(A: Mat): Mat {
  try {
    const { L, jitter } = choleskyJitter(A, 0);
    if (jitter === 0) return cholInverse(L);
  } catch {
    /* fall through to the eigen route */
  }
  const { values, vectors } = symEig(A);
  const n = A.rows;
  const top = Math.max(...Array.from(values, Math.abs));
  const cut = top * n * EPS;
  const out = new Mat(n, n);
  for (let k = 0; k < n; k++) {
    if (Math.abs(values[k]!) <= cut) continue;
    const inv = 1 / values[k]!;
    for (let i = 0; i < n; i++) {
      const vi = vectors.data[i * n + k]! * inv;
      for (let j = 0; j < n; j++) out.data[i * n + j] += vi * vectors.data[j * n + k]!;
    }
  }
  return out;
}

class ARD extends LinearModel {
  // Kept as one method (~105 lines): scikit-learn's ARDRegression iteration, statement for
  // statement in its order (so the 1e-6 agreement can be read off side by side).
  protected solve(P: Prepared): Float64Array {
    const h = this.params as Record<string, number>;
    const X = P.X, y = P.y, n = X.rows, p = X.cols;
    const thr = h.threshold_lambda!;
    const coef = new Float64Array(p);
    const lambda = new Float64Array(p).fill(1);
    let keep = Array.from({ length: p }, (_, j) => j);
    let alpha = 1 / (variance(y) + EPS);
    let old: Float64Array | null = null;
    let it = 0, converged = false;
    let sigma: Mat = new Mat(0, 0);

    const sigmaFor = (idx: number[]): Mat => {
      const Xk = X.selectCols(idx);
      const m = idx.length;
      if (n >= p) {
        // Σ = (diag(λ_keep) + α XₖᵀXₖ)⁻¹
        const A = new Mat(m, m);
        for (let i = 0; i < n; i++) {
          const r = Xk.row(i);
          for (let a = 0; a < m; a++) {
            const va = r[a]! * alpha;
            if (va === 0) continue;
            for (let b = 0; b < m; b++) A.data[a * m + b] += va * r[b]!;
          }
        }
        for (let a = 0; a < m; a++) A.data[a * m + a] += lambda[idx[a]!]!;
        return pinvh(A);
      }
      // Woodbury on the n×n side: Σ = Λ⁻¹ − Λ⁻¹Xᵀ(I/α + XΛ⁻¹Xᵀ)⁻¹XΛ⁻¹.
      const inv = idx.map((j) => 1 / lambda[j]!);
      const B = new Mat(n, n);
      for (let i = 0; i < n; i++) {
        B.data[i * n + i] += 1 / alpha;
        for (let l = 0; l < n; l++) {
          let t = 0;
          for (let a = 0; a < m; a++) t += Xk.data[i * m + a]! * inv[a]! * Xk.data[l * m + a]!;
          B.data[i * n + l] += t;
        }
      }
      const Bi = pinvh(B);
      const S = new Mat(m, m);
      // S = −(Λ⁻¹Xᵀ) Bi (XΛ⁻¹) + Λ⁻¹
      const T = new Mat(n, m); // Bi · XΛ⁻¹
      for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) {
        let t = 0;
        for (let l = 0; l < n; l++) t += Bi.data[i * n + l]! * Xk.data[l * m + a]! * inv[a]!;
        T.data[i * m + a] = t;
      }
      for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
        let t = 0;
        for (let i = 0; i < n; i++) t += inv[a]! * Xk.data[i * m + a]! * T.data[i * m + b]!;
        S.data[a * m + b] = -t + (a === b ? inv[a]! : 0);
      }
      return S;
    };

    const updateCoef = (idx: number[], S: Mat) => {
      const m = idx.length;
      const Xty = new Float64Array(m);
      for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) Xty[a] += X.data[i * p + idx[a]!]! * y[i]!;
      for (let a = 0; a < m; a++) {
        let t = 0;
        for (let b = 0; b < m; b++) t += S.data[a * m + b]! * Xty[b]!;
        coef[idx[a]!] = alpha * t;
      }
    };

    for (; it < h.max_iter!; it++) {
      sigma = sigmaFor(keep);
      updateCoef(keep, sigma);
      const rmse = sse(X, y, coef);
      let gsum = 0;
      const m = keep.length;
      for (let a = 0; a < m; a++) {
        const j = keep[a]!;
        const g = 1 - lambda[j]! * sigma.data[a * m + a]!;
        gsum += g;
        lambda[j] = (g + 2 * h.lambda_1!) / (coef[j]! ** 2 + 2 * h.lambda_2!);
      }
      alpha = (n - gsum + 2 * h.alpha_1!) / (rmse + 2 * h.alpha_2!);
      keep = [];
      for (let j = 0; j < p; j++) {
        if (lambda[j]! < thr) keep.push(j);
        else coef[j] = 0;
      }
      if (old) {
        let d = 0;
        for (let j = 0; j < p; j++) d += Math.abs(old[j]! - coef[j]!);
        if (d < h.tol!) {
          converged = true;
          break;
        }
      }
      old = coef.slice();
      if (keep.length === 0) break;
    }
    if (keep.length) {
      sigma = sigmaFor(keep);
      updateCoef(keep, sigma);
    }
    const coefStd = new Float64Array(p);
    keep.forEach((j, a) => (coefStd[j] = Math.sqrt(Math.max(sigma.data[a * keep.length + a]!, 0))));
    this.info = { alpha, lambda: Array.from(lambda), iterations: Math.min(it + 1, h.max_iter!), converged, nKept: keep.length, nNonzero: countNonzero(coef), coefStd: Array.from(coefStd) };
    return coef;
  }
}

registerMethod({
  name: 'ard',
  summary: 'automatic relevance determination (sklearn ARDRegression, threshold_lambda pruning)',
  params: { ...HYPER, threshold_lambda: { type: 'number', default: 1e4, gt: 0, description: 'prune features whose precision λ_j exceeds this' } },
  create: (params) => new ARD('ard', params),
});
