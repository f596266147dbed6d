/**
 * Evidence-maximization regressions with scikit-learn's updates and defaults (MacKay 1992;
 * Tipping 2001): Bayesian ridge (one prior precision λ for all ECIs, noise precision α) and
 * ARD (one λ_j per ECI, features whose λ_j exceeds threshold_lambda are pruned). Gamma(…)
 * hyperpriors alpha_1, alpha_2, lambda_1, lambda_2 = 1e-6 as in sklearn; iteration stops when
 * Σ|Δw| < tol (sklearn's rule). `max_iter` is sklearn ≥ 1.3's name for the old `n_iter`.
 */
import { cholInverse, cholSolveInPlace, choleskyInto, choleskyJitter, forwardSolveRowsInPlace, symEig } from '../../core/linalg.ts';
import { Mat, gram, matMul, matTVec, matVec } from '../../core/matrix.ts';
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

/**
 * Spectral factors of X for the Bayesian-ridge iteration (sklearn's two branches): n > p
 * eigendecomposes XᵀX (p×p), else XXᵀ (n×n). Eigenvalues of the Gram matrix are sklearn's
 * eigen_vals_ = s², and the coefficient formulas below need only them and the eigenvectors,
 * so one symmetric eigendecomposition replaces the SVD (on lmo_drx 238 × 386 the one-sided
 * Jacobi SVD took ≈ 1.5 s CPU; Gram + tridiagonal QL on 238 × 238 ≈ 0.15–0.26 s).
 * Eigenvalues are clamped at 0 (rounding makes null directions ±1e-10).
 */
function gramSpectrum(X: Mat): { primal: boolean; e: Float64Array; Q: Mat } {
  const primal = X.rows > X.cols;
  const { values, vectors } = symEig(primal ? gram(X) : gram(X.transpose()));
  return { primal, e: values.map((v) => Math.max(v, 0)), Q: vectors };
}

class BayesianRidge extends LinearModel {
  protected solve(P: Prepared): Float64Array {
    const h = this.params as Record<string, number>;
    const X = P.X, y = P.y, n = X.rows, p = X.cols;
    const { primal, e: eig, Q } = gramSpectrum(X);
    const k = eig.length;
    // Projected target: Vᵀ(Xᵀy) in the primal branch, Uᵀy in the dual one.
    const b = matTVec(Q, primal ? matTVec(X, y) : y);
    const tmp = new Float64Array(k);
    // sklearn's _update_coef_: w = V diag(1/(s²+λ/α)) VᵀXᵀy (n > p) or Xᵀ U diag(1/(s²+λ/α)) Uᵀy.
    const coefAt = (ratio: number): Float64Array => {
      for (let j = 0; j < k; j++) tmp[j] = b[j]! / (eig[j]! + ratio);
      const v = matVec(Q, tmp);
      return primal ? v : matTVec(X, v);
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
    this.info = { alpha, lambda, iterations: Math.min(it + 1, h.max_iter!), converged, coefStd: Array.from(posteriorVariance(X, primal, eig, Q, lambda, alpha), Math.sqrt) };
    return w;
  }
}

/**
 * Posterior variances diag((αXᵀX + λI)⁻¹). n > p: sklearn's sigma_ exactly,
 * (1/α)·V diag(1/(s² + λ/α)) Vᵀ over all p right singular vectors. n ≤ p: row-space directions
 * v_j = Xᵀu_j/s_j contribute 1/(α(s_j² + λ/α)) and every direction outside the row space keeps
 * the prior variance 1/λ, so the diagonal does not depend on how a null-space basis is chosen.
 * sklearn's thin-SVD sigma_ keeps only n of the p directions, the null ones in whatever basis
 * LAPACK returns. On rank-deficient CE matrices (lmo_drx: rank 76 of 238 × 386) that makes its
 * sigma_ basis-dependent, so this branch deliberately differs from it.
 */
function posteriorVariance(X: Mat, primal: boolean, eig: Float64Array, Q: Mat, lambda: number, alpha: number): Float64Array {
  const p = X.cols, k = eig.length, ratio = lambda / alpha;
  const out = new Float64Array(p);
  if (primal) {
    for (let i = 0; i < p; i++) {
      let t = 0;
      for (let j = 0; j < k; j++) t += Q.data[i * k + j]! ** 2 / (eig[j]! + ratio);
      out[i] = t / alpha;
    }
    return out;
  }
  // Eigenvalues at rounding level (≤ k·eps·s²_max) are null directions of X.
  const cut = k * EPS * Math.max(...eig, 0);
  const XtU = matMul(X.transpose(), Q); // p × k: column j is Xᵀu_j = s_j v_j
  for (let i = 0; i < p; i++) {
    let t = 0, inRow = 0;
    for (let j = 0; j < k; j++) {
      if (!(eig[j]! > cut)) continue;
      const v2 = XtU.data[i * k + j]! ** 2 / eig[j]!; // v_ij²
      t += v2 / (eig[j]! + ratio);
      inRow += v2;
    }
    out[i] = (t + Math.max(1 - inRow, 0) / ratio) / alpha;
  }
  return out;
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

/**
 * What one ARD iteration needs from the posterior Σ over the kept features: μ = α·Σ·Xₖᵀy and
 * diag Σ — never Σ itself (forming it, m²·n per iteration, made ARD take 18 s CPU on lmo_drx).
 * Both come from one m×m (n ≥ p) or n×n (Woodbury, n < p; sklearn's branch rule) Cholesky
 * factor M = LLᵀ: solves for μ and column norms of L⁻¹·(…) for diag Σ. A matrix that is not
 * numerically PD falls back to pinvh (sklearn's route) with the same two products.
 */
interface SpdOps {
  solve(b: Float64Array): Float64Array;
  /** For each column c of the r×m row-major Y: cᵀ M⁻¹ c. */
  quad(Y: Float64Array, m: number): Float64Array;
}

function spdOps(M: Mat): SpdOps {
  const r = M.rows;
  const L = new Float64Array(r * r);
  if (choleskyInto(M.data, r, L) < 0) {
    return {
      solve: (b) => cholSolveInPlace(L, r, b.slice()),
      quad: (Y, m) => {
        const Z = forwardSolveRowsInPlace(L, r, Y.slice(), m);
        return colSumSq(Z, r, m);
      },
    };
  }
  const Mi = pinvh(M);
  return {
    solve: (b) => matVec(Mi, b),
    quad: (Y, m) => {
      const MY = matMul(Mi, new Mat(r, m, Y)).data;
      const out = new Float64Array(m);
      for (let i = 0; i < r; i++) for (let a = 0; a < m; a++) out[a] += Y[i * m + a]! * MY[i * m + a]!;
      return out;
    },
  };
}

function colSumSq(Z: Float64Array, r: number, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < r; i++) for (let a = 0; a < m; a++) out[a] += Z[i * m + a]! ** 2;
  return out;
}

/** μ and diag Σ for Σ = (diag λₖ + α XₖᵀXₖ)⁻¹; G is the full Gram XᵀX (made once). */
function posteriorPrimal(G: Mat, Xty: Float64Array, idx: number[], lambda: Float64Array, alpha: number): { mu: Float64Array; diag: Float64Array } {
  const m = idx.length, p = G.cols;
  const A = new Mat(m, m);
  for (let a = 0; a < m; a++) {
    const ga = idx[a]! * p;
    for (let b = 0; b < m; b++) A.data[a * m + b] = alpha * G.data[ga + idx[b]!]!;
    A.data[a * m + a] += lambda[idx[a]!]!;
  }
  const ops = spdOps(A);
  const mu = ops.solve(Float64Array.from(idx, (j) => Xty[j]!));
  for (let a = 0; a < m; a++) mu[a] *= alpha;
  return { mu, diag: ops.quad(Mat.identity(m).data, m) };
}

/**
 * Woodbury on the n×n side: Σ = Λ⁻¹ − Λ⁻¹Xₖᵀ B⁻¹ XₖΛ⁻¹ with B = I/α + XₖΛ⁻¹Xₖᵀ, so
 * μ = α(Λ⁻¹v − Λ⁻¹XₖᵀB⁻¹XₖΛ⁻¹v), v = Xₖᵀy, and diag Σ_a = 1/λ_a − x_aᵀB⁻¹x_a / λ_a².
 */
function posteriorWoodbury(X: Mat, y: Float64Array, idx: number[], lambda: Float64Array, alpha: number): { mu: Float64Array; diag: Float64Array } {
  const n = X.rows, m = idx.length;
  const Xk = X.selectCols(idx).data;
  const inv = Float64Array.from(idx, (j) => 1 / lambda[j]!);
  // B − I/α = XₖΛ⁻¹Xₖᵀ = gram of (XₖΛ^(−1/2))ᵀ: the tuned four-rows-per-pass kernel.
  const XsT = new Mat(m, n);
  for (let i = 0; i < n; i++) for (let a = 0; a < m; a++) XsT.data[a * n + i] = Xk[i * m + a]! * Math.sqrt(inv[a]!);
  const B = gram(XsT);
  for (let i = 0; i < n; i++) B.data[i * n + i] += 1 / alpha;
  const ops = spdOps(B);
  const Xkm = new Mat(n, m, Xk);
  const av = matTVec(Xkm, y);
  for (let a = 0; a < m; a++) av[a] *= inv[a]!;
  const d = matTVec(Xkm, ops.solve(matVec(Xkm, av)));
  const mu = new Float64Array(m);
  for (let a = 0; a < m; a++) mu[a] = alpha * (av[a]! - inv[a]! * d[a]!);
  const q = ops.quad(Xk, m);
  const diag = new Float64Array(m);
  for (let a = 0; a < m; a++) diag[a] = inv[a]! - inv[a]! * inv[a]! * q[a]!;
  return { mu, diag };
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
    const woodbury = n < p;
    const G = woodbury ? null : gram(X);
    const Xty = woodbury ? null : matTVec(X, y);
    const posterior = (idx: number[]) => (woodbury ? posteriorWoodbury(X, y, idx, lambda, alpha) : posteriorPrimal(G!, Xty!, idx, lambda, alpha));
    let post: { mu: Float64Array; diag: Float64Array } = { mu: new Float64Array(0), diag: new Float64Array(0) };
    const setCoef = () => keep.forEach((j, a) => (coef[j] = post.mu[a]!));

    for (; it < h.max_iter!; it++) {
      post = posterior(keep);
      setCoef();
      const rmse = sse(X, y, coef);
      let gsum = 0;
      for (let a = 0; a < keep.length; a++) {
        const j = keep[a]!;
        const g = 1 - lambda[j]! * post.diag[a]!;
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
      post = posterior(keep);
      setCoef();
    }
    const coefStd = new Float64Array(p);
    keep.forEach((j, a) => (coefStd[j] = Math.sqrt(Math.max(post.diag[a]!, 0))));
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
