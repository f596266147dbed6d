/**
 * Exact objective of one fixed support (the leaves of the branch-and-bound and every
 * incumbent candidate): the continuous problem over the selected features only.
 *
 * - Ridge case (no ℓ1, no bound, no sign constraint among the active features): one Cholesky
 *   solve of (G_AA + μ2 I) J = b_A; the value is yᵀy − b_Aᵀ J.
 * - μ2 = 0 (pure ℓ0): G_AA may be singular (correlated or rank-deficient CE features); the
 *   minimum-norm solution through the eigendecomposition of G_AA is used, dropping
 *   eigenvalues below λmax·max(1e-13, p·ε) — the residual, which is all the objective needs,
 *   does not depend on that choice, only the reported J does.
 * - Otherwise (ℓ1, big-M, signs): coordinate descent to tight convergence, then an exact
 *   re-solve on the identified pattern of free / zero / at-bound coefficients.
 */
import { choleskyInto, cholSolveInPlace, symEig } from '../../core/linalg.ts';
import { Mat } from '../../core/matrix.ts';
import type { L0Problem } from './problem.ts';

export interface SubsetResult {
  value: number;
  /** Full-length coefficient vector (zeros off the support). */
  J: Float64Array;
}

/** Active feature list of a set of selected units (always-in features first). */
export function activeFeatures(prob: L0Problem, on: ArrayLike<number>): Int32Array {
  const out: number[] = [...prob.alwaysIn];
  for (let i = 0; i < on.length; i++) for (const c of prob.units[on[i]!]!) out.push(c);
  return Int32Array.from(out.sort((a, b) => a - b));
}

/** Solve (G_AA + ridge·I) x = rhs; pseudo-inverse when ridge = 0 and G_AA is singular. */
export function solveSym(prob: L0Problem, A: Int32Array, rhs: Float64Array, ridge: number): Float64Array {
  const m = A.length, p = prob.p, G = prob.G;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = G[A[i]! * p + A[j]!]! + (i === j ? ridge : 0);
  if (ridge > 0) {
    const x = choleskySolveInPlace(H, rhs, m);
    if (x) return x;
  }
  const { values, vectors } = symEig(new Mat(m, m, H));
  const lmax = values[m - 1] ?? 0;
  const cut = lmax * Math.max(1e-13, p * Number.EPSILON);
  const x = new Float64Array(m);
  const V = vectors.data;
  for (let k = 0; k < m; k++) {
    if (!(values[k]! > cut)) continue;
    let c = 0;
    for (let i = 0; i < m; i++) c += V[i * m + k]! * rhs[i]!;
    c /= values[k]!;
    for (let i = 0; i < m; i++) x[i] += c * V[i * m + k]!;
  }
  return x;
}

/** Dense Cholesky solve that factors H in place (a scratch copy); null when H is not numerically PD. */
export function choleskySolveInPlace(H: Float64Array, rhs: Float64Array, m: number): Float64Array | null {
  return choleskyInto(H, m, H) < 0 ? cholSolveInPlace(H, m, Float64Array.from(rhs)) : null;
}

/** ‖y − XJ‖² + μ1‖J‖₁ + μ2‖J‖² in Gram form (no μ0 term). */
export function smoothValue(prob: L0Problem, J: Float64Array): number {
  const p = prob.p, G = prob.G;
  let quad = 0, lin = 0, l1 = 0, l2 = 0;
  for (let i = 0; i < p; i++) {
    const ji = J[i]!;
    if (ji === 0) continue;
    let gi = 0;
    for (let j = 0; j < p; j++) if (J[j] !== 0) gi += G[i * p + j]! * J[j]!;
    quad += ji * gi;
    lin += prob.b[i]! * ji;
    l1 += Math.abs(ji);
    l2 += ji * ji;
  }
  return Math.max(prob.yy - 2 * lin + quad, 0) + prob.mu1 * l1 + prob.mu2 * l2;
}

export function evaluateSubset(prob: L0Problem, on: ArrayLike<number>): SubsetResult {
  const A = activeFeatures(prob, on);
  const p = prob.p;
  const J = new Float64Array(p);
  const cost = prob.mu0 * on.length;
  if (A.length === 0) return { value: prob.yy + cost, J };
  let constrained = prob.mu1 > 0 || Number.isFinite(prob.M);
  for (const c of A) if (prob.nonneg[c]) constrained = true;
  if (!constrained) {
    const rhs = Float64Array.from(A, (c) => prob.b[c]!);
    const x = solveSym(prob, A, rhs, prob.mu2);
    for (let i = 0; i < A.length; i++) J[A[i]!] = x[i]!;
    // The closed form yᵀy − bᵀJ holds only at an exact ridge optimum; the direct sum is
    // equally cheap here and also right for the pseudo-inverse branch.
    return { value: smoothValue(prob, J) + cost, J };
  }
  if (prob.mu1 === 0 && !Number.isFinite(prob.M) && prob.mu2 > 0 && signActiveSet(prob, A, J)) return { value: smoothValue(prob, J) + cost, J };
  J.fill(0);
  constrainedSolve(prob, A, J);
  return { value: smoothValue(prob, J) + cost, J };
}

/**
 * Ridge with a few sign constraints by an active-set loop (Lawson–Hanson style): clamp the
 * most negative sign-constrained coefficient to 0, re-solve; release a clamped one whose
 * gradient points into the feasible side. Exact when it terminates; false sends the caller to
 * coordinate descent.
 */
function signActiveSet(prob: L0Problem, A: Int32Array, J: Float64Array): boolean {
  const p = prob.p, G = prob.G;
  const clamped = new Set<number>(), released = new Set<number>();
  for (let iter = 0; iter < 4 * A.length + 10; iter++) {
    const F = Int32Array.from([...A].filter((c) => !clamped.has(c)));
    const x = F.length ? solveSym(prob, F, Float64Array.from(F, (c) => prob.b[c]!), prob.mu2) : new Float64Array(0);
    // A clamp needs a clearly negative value: a coefficient at −1e-17 from rounding (collinear
    // columns) would otherwise be clamped and released forever (measured: 650 solves per call
    // on lmo_drx, most of a 60 s search spent here).
    let xmax = 0;
    for (let i = 0; i < F.length; i++) xmax = Math.max(xmax, Math.abs(x[i]!));
    let worst = -1, worstVal = -1e-12 * xmax;
    for (let i = 0; i < F.length; i++) if (prob.nonneg[F[i]!] && x[i]! < worstVal) { worst = F[i]!; worstVal = x[i]!; }
    J.fill(0);
    for (let i = 0; i < F.length; i++) J[F[i]!] = prob.nonneg[F[i]!] && x[i]! < 0 ? 0 : x[i]!;
    if (worst >= 0) {
      // Re-clamping a released coefficient means the loop cycles: stop; CD takes over.
      if (released.has(worst)) return false;
      clamped.add(worst);
      continue;
    }
    // KKT for clamped coefficients: the descent direction 2(b − G J)_c must not be positive.
    let release = -1, best = 0;
    for (const c of clamped) {
      let gc = prob.b[c]!;
      for (let i = 0; i < F.length; i++) gc -= G[c * p + F[i]!]! * x[i]!;
      if (gc > best * (1 + 1e-12) + 1e-14 * Math.sqrt(prob.yy)) { release = c; best = gc; }
    }
    if (release < 0) return true;
    clamped.delete(release);
    released.add(release);
  }
  return false;
}

/** Exact minimizer of A t² − 2 a t + μ1|t| + μ2 t² over the feasible interval of feature c. */
function coordStep(prob: L0Problem, c: number, A: number, a: number): number {
  const curv = A + prob.mu2;
  if (!(curv > 0)) return 0;
  let t = (Math.abs(a) - prob.mu1 / 2) / curv;
  if (t <= 0) return 0;
  t = Math.min(t, prob.M);
  const s = a > 0 ? 1 : -1;
  if (s < 0 && prob.nonneg[c]) return 0;
  return s * t;
}

function constrainedSolve(prob: L0Problem, A: Int32Array, J: Float64Array): void {
  const p = prob.p, G = prob.G, m = A.length;
  const g = new Float64Array(m); // (G_AA J_A)
  for (let sweep = 0; sweep < 20000; sweep++) {
    let maxDelta = 0;
    for (let i = 0; i < m; i++) {
      const c = A[i]!;
      const Gcc = G[c * p + c]!;
      const a = prob.b[c]! - g[i]! + Gcc * J[c]!;
      const t = coordStep(prob, c, Gcc, a);
      const d = t - J[c]!;
      if (d !== 0) {
        J[c] = t;
        for (let r = 0; r < m; r++) g[r] += d * G[A[r]! * p + c]!;
        maxDelta = Math.max(maxDelta, Math.abs(d) * Math.sqrt(Gcc + prob.mu2));
      }
    }
    if (maxDelta <= 1e-15 * Math.sqrt(prob.yy + 1e-300)) break;
  }
  polish(prob, A, J);
}

/**
 * Re-solve exactly on the pattern CD found: free coefficients satisfy
 * (G_FF + μ2 I) J_F = b_F − G_FB J_B − μ1/2·sign(J_F) with at-bound ones held at ±M.
 * Kept only when it preserves the pattern and does not raise the objective.
 */
function polish(prob: L0Problem, A: Int32Array, J: Float64Array): void {
  const p = prob.p, G = prob.G, M = prob.M;
  const F: number[] = [], B: number[] = [];
  for (const c of A) {
    if (J[c] === 0) continue;
    if (Math.abs(J[c]!) >= M) B.push(c);
    else F.push(c);
  }
  if (!F.length) return;
  const Fi = Int32Array.from(F);
  const rhs = new Float64Array(F.length);
  for (let i = 0; i < F.length; i++) {
    const c = F[i]!;
    let s = prob.b[c]! - (prob.mu1 / 2) * Math.sign(J[c]!);
    for (const d of B) s -= G[c * p + d]! * J[d]!;
    rhs[i] = s;
  }
  const x = solveSym(prob, Fi, rhs, prob.mu2);
  for (let i = 0; i < F.length; i++) {
    const c = F[i]!;
    if (Math.sign(x[i]!) !== Math.sign(J[c]!) || Math.abs(x[i]!) > M) return;
  }
  const before = smoothValue(prob, J);
  const trial = Float64Array.from(J);
  for (let i = 0; i < F.length; i++) trial[F[i]!] = x[i]!;
  if (smoothValue(prob, trial) <= before) J.set(trial);
}
