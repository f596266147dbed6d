/**
 * Node relaxation of the branch-and-bound and its certified lower bound.
 *
 * Relaxing z_u ∈ {0,1} to [0,1] for the free units and minimizing over z in closed form
 * gives the perspective relaxation (for one feature, the reverse-Huber penalty
 * 2√(μ0μ2)|t| for |t| ≤ √(μ0/μ2), μ0 + μ2t² beyond; with a big-M bound or ℓ1 term it
 * changes as derived in `freeStep`). It is solved by coordinate descent in Gram form,
 * warm-started from the parent's solution.
 *
 * The bound is NOT the CD objective (which is only as good as convergence) but the Fenchel
 * dual value at the scaled residual u = θ(y − XJ):
 *   D(u) = 2uᵀy − ‖u‖² − Σ_units h_u*(2X_uᵀu),
 * with h*(s) = max(0, Σ_c φ_c(s_c) − μ0) for a free unit, Σφ − μ0 for a unit fixed on,
 * where φ_c is the conjugate of μ1|t| + μ2t² on the feasible interval of J_c. D(u) is a valid
 * lower bound for ANY u, so bounds stay rigorous after an early stop or a time-out.
 * Best subset (Σz ≤ k) dualizes the cardinality row too; its optimal multiplier makes the
 * bound subtract the sum of the m largest positive unit terms (m = k − #on).
 */
import type { L0Problem } from './problem.ts';
import { choleskySolveInPlace, solveSym, smoothValue } from './subset.ts';
import { ClosureGraph } from './closure.ts';

export const OFF = 0, ON = 1, FREE = 2;

export interface RelaxResult {
  /** Certified lower bound for every integer point of the node. */
  bound: number;
  /** Value of the relaxed primal at the returned J. */
  primal: number;
  /** Relaxed z per unit (0/1 for fixed units), for branching and rounding. */
  z: Float64Array;
  sweeps: number;
}

export interface RelaxOptions {
  /** Stop as soon as the bound reaches this (node will be pruned). */
  cutoff: number;
  /** Stop when primal − bound ≤ tol. */
  tol: number;
  maxSweeps: number;
  deadline: number;
}

/** Per-problem scratch (group curvature constants). */
const groupLip = new WeakMap<L0Problem, Float64Array>();

function lipschitz(prob: L0Problem): Float64Array {
  let L = groupLip.get(prob);
  if (L) return L;
  L = new Float64Array(prob.units.length);
  const p = prob.p, G = prob.G;
  prob.units.forEach((feats, u) => {
    if (feats.length === 1) {
      L![u] = G[feats[0]! * p + feats[0]!]!;
      return;
    }
    // Largest eigenvalue of G_uu by power iteration (only the majorization needs it, so an
    // overestimate by the 1% margin is harmless).
    const m = feats.length;
    let v = new Float64Array(m).fill(1 / Math.sqrt(m));
    let lam = 0;
    for (let it = 0; it < 100; it++) {
      const w = new Float64Array(m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) w[i] += G[feats[i]! * p + feats[j]!]! * v[j]!;
      let nw = 0;
      for (let i = 0; i < m; i++) nw += w[i]! * w[i]!;
      nw = Math.sqrt(nw);
      if (nw === 0) break;
      const prev = lam;
      lam = nw;
      v = w.map((x) => x / nw);
      if (Math.abs(lam - prev) <= 1e-10 * lam) break;
    }
    L![u] = lam * 1.01;
  });
  groupLip.set(prob, L);
  return L;
}

/** Conjugate of μ1|t| + μ2t² restricted to |t| ≤ M (and t ≥ 0 if sign-constrained). */
function phi(prob: L0Problem, c: number, s: number): number {
  let a = prob.nonneg[c] ? Math.max(0, s) : Math.abs(s);
  a -= prob.mu1;
  if (a <= 0) return 0;
  const { mu2, M } = prob;
  if (mu2 > 0) {
    if (a <= 2 * mu2 * M) return (a * a) / (4 * mu2);
    return M * a - mu2 * M * M;
  }
  return M * a;
}

/**
 * Minimizer over t of A t² − 2 a t + h(t), h the perspective penalty of a free feature with
 * ℓ0 weight mu0e: h = λ|t| on |t| ≤ T, μ1|t| + mu0e + μ2t² on T < |t| ≤ M, where
 * T = min(√(mu0e/μ2), M) and λ = μ1 + mu0e/T + μ2T (so h is convex and, when T < M, C¹).
 */
export function freeStep(prob: L0Problem, c: number, A: number, a: number, mu0e: number): number {
  if (prob.nonneg[c] === 1 && a <= 0) return 0;
  const mu1 = prob.mu1, mu2 = prob.mu2, M = prob.M;
  const aa = a < 0 ? -a : a;
  const tau = mu2 > 0 ? Math.sqrt(mu0e / mu2) : Infinity;
  const T = tau < M ? tau : M;
  let best = 0, bestVal = 0;
  if (T > 0) {
    const lam = mu1 + mu0e / T + mu2 * T;
    let t1 = A > 0 ? (aa - lam / 2) / A : aa > lam / 2 ? T : 0;
    if (t1 < 0) t1 = 0;
    if (t1 > T) t1 = T;
    const v1 = A * t1 * t1 - 2 * aa * t1 + lam * t1;
    if (v1 < bestVal) { best = t1; bestVal = v1; }
  }
  if (T < M) {
    const curv = A + mu2;
    let t2 = curv > 0 ? (aa - mu1 / 2) / curv : aa > mu1 / 2 ? M : T;
    if (t2 < T) t2 = T;
    if (t2 > M) t2 = M;
    const v2 = A * t2 * t2 - 2 * aa * t2 + mu1 * t2 + mu0e + mu2 * t2 * t2;
    if (v2 < bestVal) { best = t2; bestVal = v2; }
  }
  return a >= 0 ? best : -best;
}

/** Exact coordinate minimizer for a feature that is on (or always in). */
function onStep(prob: L0Problem, c: number, A: number, a: number): number {
  const curv = A + prob.mu2;
  if (!(curv > 0)) return 0;
  const t = (Math.abs(a) - prob.mu1 / 2) / curv;
  if (t <= 0) return 0;
  if (a < 0 && prob.nonneg[c]) return 0;
  return (a > 0 ? 1 : -1) * Math.min(t, prob.M);
}

function perspectiveValue(prob: L0Problem, t: number, mu0e: number): number {
  const { mu1, mu2, M } = prob;
  const at = Math.abs(t);
  const tau = mu2 > 0 ? Math.sqrt(mu0e / mu2) : Infinity;
  const T = Math.min(tau, M);
  if (at <= T) return T > 0 ? (mu1 + mu0e / T + mu2 * T) * at : 0;
  return mu1 * at + mu0e + mu2 * at * at;
}

/** Sum of the m largest positive entries of v[0..len). */
function topPositiveSum(v: Float64Array, len: number, m: number): { sum: number; next: number } {
  if (m <= 0) {
    let mx = 0;
    for (let i = 0; i < len; i++) mx = Math.max(mx, v[i]!);
    return { sum: 0, next: mx };
  }
  let count = 0;
  for (let i = 0; i < len; i++) if (v[i]! > 0) count++;
  if (count <= m) {
    let s = 0;
    for (let i = 0; i < len; i++) if (v[i]! > 0) s += v[i]!;
    return { sum: s, next: 0 };
  }
  const pos = Array.from(v.subarray(0, len)).filter((x) => x > 0).sort((a, b) => b - a);
  let s = 0;
  for (let i = 0; i < m; i++) s += pos[i]!;
  return { sum: s, next: pos[m]! };
}

export class RelaxationSolver {
  private readonly v: Float64Array;
  /** Current cardinality multiplier (best subset); 0 otherwise. */
  lambda = 0;

  private readonly single: Int32Array;
  /** Size of the last Newton system: large ones (O(m³)) are tried less often. */
  private lastActive = 0;

  /** When the Gram matrix was shifted (see bnb.ts), only θ = 1 gives a valid dual. */
  private prob: L0Problem;
  private shifted = false;
  private readonly G0: Float64Array;
  private readonly mu2base: number;
  private delta = 0;
  /** Hierarchy closure network of the node being solved (null: separable max). */
  private closure: ClosureGraph | null = null;
  private readonly w: Float64Array;
  /** θ of the last bestDual and the separable dual value of the last dualAt (reduced costs). */
  private lastTheta = 1;
  private closureInSearch = true;
  private lastSep = -Infinity;
  /** Use the hierarchy rows in the dual bound (max-weight closure); off only for A/B runs. */
  hierarchyDual = true;

  constructor(base: L0Problem) {
    this.v = new Float64Array(base.units.length);
    this.w = new Float64Array(base.units.length);
    this.single = Int32Array.from(base.units, (f) => (f.length === 1 ? f[0]! : -1));
    this.G0 = base.G;
    this.mu2base = base.mu2;
    this.prob = base;
  }

  /**
   * Move δ·‖J‖² from the quadratic into the perspective term (μ2 → μ2 + δ). Valid when
   * G_AA − δI ⪰ 0 on the features A not fixed off at the node (see bnb.ts). With δ > 0 the
   * scaled-residual dual no longer applies, so only θ = 1 (the linearization bound) is used.
   */
  setShift(delta: number): void {
    if (delta === this.delta) return;
    const p = this.prob.p;
    if (this.prob.G === this.G0) this.prob = { ...this.prob, G: Float64Array.from(this.G0) };
    const G = this.prob.G;
    for (let c = 0; c < p; c++) G[c * p + c] = this.G0[c * p + c]! - delta;
    this.prob.mu2 = this.mu2base + delta;
    this.delta = delta;
    this.shifted = delta > 0;
  }

  /** The (possibly shifted) Gram matrix the relaxation works with; g must be G·J for it. */
  get gram(): Float64Array {
    return this.prob.G;
  }

  /** Dual bound at u = θ·r for the given θ, plus the implied multiplier. */
  private dualAt(state: Int8Array, g: Float64Array, theta: number, bJ: number, Jg: number, nOn: number): { D: number; lambda: number } {
    const prob = this.prob, b = prob.b, mu0 = prob.mu0, single = this.single;
    const t2 = 2 * theta;
    let D = t2 * (prob.yy - bJ) - theta * theta * (prob.yy - 2 * bJ + Jg);
    const ai = prob.alwaysIn;
    for (let i = 0; i < ai.length; i++) { const c = ai[i]!; D -= phi(prob, c, t2 * (b[c]! - g[c]!)); }
    let nFree = 0;
    const m = prob.units.length;
    for (let u = 0; u < m; u++) {
      const st = state[u];
      if (st === OFF) continue;
      const f = single[u]!;
      let s: number;
      if (f >= 0) s = phi(prob, f, t2 * (b[f]! - g[f]!));
      else if (prob.grouped) s = groupPhi(prob, u, b, g, theta);
      else {
        s = 0;
        const feats = prob.units[u]!;
        for (let i = 0; i < feats.length; i++) { const c = feats[i]!; s += phi(prob, c, t2 * (b[c]! - g[c]!)); }
      }
      if (st === ON) D -= s - mu0;
      else { this.v[nFree++] = s - mu0; this.w[u] = s - mu0; }
    }
    const mm = Number.isFinite(prob.k) ? prob.k - nOn : nFree;
    const { sum, next } = topPositiveSum(this.v, nFree, mm);
    // Both the cardinality-dualized sum and the hierarchy closure bound max_z Σ z·w from
    // above over the node's integer points; the smaller one gives the larger valid bound.
    const hier = this.closure && this.closureInSearch && sum > 0 ? this.closure.maxClosure(this.w) : Infinity;
    this.lastSep = D - sum;
    return { D: D - Math.min(sum, hier), lambda: Number.isFinite(prob.k) ? next : 0 };
  }

  private products(J: Float64Array, g: Float64Array): { bJ: number; Jg: number } {
    const p = this.prob.p, b = this.prob.b;
    let bJ = 0, Jg = 0;
    for (let c = 0; c < p; c++) { const j = J[c]!; if (j !== 0) { bJ += b[c]! * j; Jg += j * g[c]!; } }
    return { bJ, Jg };
  }

  /** Dual at θ = 1 (tight at the relaxation optimum) — the cheap check between sweeps. */
  private unitDual(state: Int8Array, J: Float64Array, g: Float64Array, nOn: number): { D: number; lambda: number } {
    const { bJ, Jg } = this.products(J, g);
    return this.dualAt(state, g, 1, bJ, Jg, nOn);
  }

  /** Best dual over the scaling θ of the residual (D(θ) is concave): for unconverged J. */
  private bestDual(state: Int8Array, J: Float64Array, g: Float64Array, nOn: number): { D: number; lambda: number } {
    const { bJ, Jg } = this.products(J, g);
    let best = this.dualAt(state, g, 1, bJ, Jg, nOn);
    this.lastTheta = 1;
    if (this.shifted) return best;
    // The θ search runs on the separable dual (one max-flow per candidate θ would dominate the
    // node time); the closure is applied at θ = 1 (above) and at the θ found.
    this.closureInSearch = false;
    const gr = (Math.sqrt(5) - 1) / 2;
    let lo = 0, hi = 2;
    let x1 = hi - gr * (hi - lo), x2 = lo + gr * (hi - lo);
    let f1 = this.dualAt(state, g, x1, bJ, Jg, nOn).D, f2 = this.dualAt(state, g, x2, bJ, Jg, nOn).D;
    for (let it = 0; it < 40 && hi - lo > 1e-7; it++) {
      if (f1 < f2) { lo = x1; x1 = x2; f1 = f2; x2 = lo + gr * (hi - lo); f2 = this.dualAt(state, g, x2, bJ, Jg, nOn).D; }
      else { hi = x2; x2 = x1; f2 = f1; x1 = hi - gr * (hi - lo); f1 = this.dualAt(state, g, x1, bJ, Jg, nOn).D; }
    }
    const th = f1 > f2 ? x1 : x2;
    this.closureInSearch = true;
    const cand = this.dualAt(state, g, th, bJ, Jg, nOn);
    this.lastTheta = 1;
    if (cand.D > best.D) { best = { D: cand.D, lambda: best.lambda }; this.lastTheta = th; }
    return best;
  }

  /**
   * Reduced costs of the free units at the dual point of the last certificate (u = θ·r):
   * with D_sep the separable dual value and w_u the unit's term (conjugate − μ0), every
   * integer point with z_u = 0 has objective ≥ D_sep + max(0, w_u) and every one with z_u = 1
   * has ≥ D_sep + max(0, −w_u) — the same Fenchel inequality with z_u fixed. Valid for any
   * J (converged or not). Without the cardinality row only (null when k is finite).
   */
  reducedCosts(state: Int8Array, J: Float64Array, g: Float64Array): { Dsep: number; w: Float64Array; theta: number } | null {
    const prob = this.prob;
    if (Number.isFinite(prob.k) || !prob.dualMode) return null;
    const { bJ, Jg } = this.products(J, g);
    let nOn = 0;
    for (let u = 0; u < prob.units.length; u++) if (state[u] === ON) nOn++;
    this.dualAt(state, g, this.lastTheta, bJ, Jg, nOn);
    return { Dsep: this.lastSep, w: Float64Array.from(this.w), theta: this.lastTheta };
  }

  /**
   * Active-pattern Newton step: with the sign and penalty region of every nonzero fixed
   * (ℓ1-like inside the perspective kink, ridge beyond it, held at ±M on the bound), the
   * relaxation optimum solves one linear system. Accepted only if the pattern survives;
   * CD then checks the zeros. This is what makes node bounds tight on correlated CE data.
   */
  private newton(state: Int8Array, J: Float64Array, g: Float64Array, mu0e: number): boolean {
    const prob = this.prob, p = prob.p, G = prob.G, { mu1, mu2, M } = prob;
    if (prob.grouped) return false;
    const T = Math.min(mu2 > 0 ? Math.sqrt(mu0e / mu2) : Infinity, M);
    const lam = T > 0 ? mu1 + mu0e / T + mu2 * T : Infinity;
    let full = false;
    for (let iter = 0; iter < 10 && !full; iter++) {
      const F: number[] = [], diag: number[] = [], shift: number[] = [], region: number[] = [], Bnd: number[] = [];
      const take = (c: number, free: boolean) => {
        const j = J[c]!;
        if (j === 0) return;
        const aj = Math.abs(j);
        if (aj >= M) { Bnd.push(c); return; }
        F.push(c);
        if (free && aj < T) { diag.push(0); shift.push((lam / 2) * Math.sign(j)); region.push(1); }
        else { diag.push(mu2); shift.push((mu1 / 2) * Math.sign(j)); region.push(free ? 2 : 0); }
      };
      for (const c of prob.alwaysIn) take(c, false);
      for (let u = 0; u < prob.units.length; u++) {
        if (state[u] === OFF) continue;
        for (const c of prob.units[u]!) take(c, state[u] === FREE);
      }
      const m = F.length;
      this.lastActive = m;
      if (m === 0) return false;
      const H = new Float64Array(m * m), rhs = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const ci = F[i]!;
        for (let k = 0; k < m; k++) H[i * m + k] = G[ci * p + F[k]!]!;
        H[i * m + i] += diag[i]!;
        let r = prob.b[ci]! - shift[i]!;
        for (const d of Bnd) r -= G[ci * p + d]! * J[d]!;
        rhs[i] = r;
      }
      const x = this.patternSolve(H, rhs, m, Float64Array.from(F, (c) => J[c]!));
      if (!x) return false;
      // The pattern's quadratic decreases all the way to x; stop at the first breakpoint
      // (a sign change, the perspective kink T, or the bound M) so the pattern stays valid.
      let alpha = 1;
      for (let i = 0; i < m; i++) {
        const j0 = J[F[i]!]!, d = x[i]! - j0;
        if (d === 0) continue;
        const s0 = Math.sign(j0);
        if (Math.sign(x[i]!) !== s0) alpha = Math.min(alpha, -j0 / d);
        const a0 = Math.abs(j0), a1 = Math.abs(x[i]!);
        if (region[i] === 1 && a1 > T) alpha = Math.min(alpha, (T - a0) / (a1 - a0));
        if (region[i] === 2 && a1 < T) alpha = Math.min(alpha, (a0 - T) / (a0 - a1));
        if (a1 > M) alpha = Math.min(alpha, (M - a0) / (a1 - a0));
      }
      if (!(alpha > 1e-12)) return iter > 0;
      full = alpha >= 1;
      for (let i = 0; i < m; i++) {
        const c = F[i]!, j0 = J[c]!;
        let t = full ? x[i]! : j0 + alpha * (x[i]! - j0);
        if (Math.sign(t) !== Math.sign(j0)) t = 0;
        if (Math.abs(t) < 1e-300) t = 0;
        J[c] = t;
      }
      gramTimes(G, J, p, g);
    }
    return true;
  }

  /**
   * Solve the pattern system H x = rhs. Collinear CE columns make H singular (lmo_drx: rank 76
   * of 386); then x solves (H + εI)x = rhs + εJ0 (J0 the current values), a proximal Newton step: the
   * step still decreases the pattern quadratic (Δq = −½dᵀHd − ε‖d‖²), is the Newton step on
   * the range of H, and along null directions (where an ℓ1-region penalty is linear) it is long,
   * so the breakpoint search moves to the next coefficient hitting zero or the kink — a pivot.
   */
  private patternSolve(H: Float64Array, rhs: Float64Array, m: number, J0?: Float64Array): Float64Array | null {
    const Hc = Float64Array.from(H);
    const x = choleskySolveInPlace(Hc, rhs, m);
    if (x) return x;
    let dmax = 0;
    for (let i = 0; i < m; i++) dmax = Math.max(dmax, H[i * m + i]!);
    for (const rel of [1e-10, 1e-7]) {
      const eps = rel * dmax;
      const Hr = Float64Array.from(H);
      for (let i = 0; i < m; i++) Hr[i * m + i] += eps;
      const r = Float64Array.from(rhs);
      if (J0) for (let i = 0; i < m; i++) r[i] += eps * J0[i]!;
      const y = choleskySolveInPlace(Hr, r, m);
      if (y) return y;
    }
    return null;
  }

  private primalValue(state: Int8Array, J: Float64Array, g: Float64Array, mu0e: number): number {
    const prob = this.prob, { b, yy, mu0, mu1, mu2 } = prob;
    let val = yy;
    for (let c = 0; c < prob.p; c++) if (J[c] !== 0) val += J[c]! * g[c]! - 2 * b[c]! * J[c]!;
    val = Math.max(val, 0);
    for (const c of prob.alwaysIn) val += mu1 * Math.abs(J[c]!) + mu2 * J[c]! * J[c]!;
    for (let u = 0; u < prob.units.length; u++) {
      const feats = prob.units[u]!;
      if (state[u] === ON) {
        val += mu0;
        for (const c of feats) val += mu1 * Math.abs(J[c]!) + mu2 * J[c]! * J[c]!;
      } else if (state[u] === FREE) {
        if (feats.length === 1) val += perspectiveValue(prob, J[feats[0]!]!, mu0e);
        else {
          let nn = 0;
          for (const c of feats) nn += J[c]! * J[c]!;
          val += perspectiveValue(prob, Math.sqrt(nn), mu0e);
        }
      }
    }
    return val;
  }

  private update(c: number, t: number, J: Float64Array, g: Float64Array): void {
    const d = t - J[c]!;
    if (d === 0) return;
    J[c] = t;
    const p = this.prob.p, G = this.prob.G;
    const row = c * p;
    for (let r = 0; r < p; r++) g[r] += d * G[row + r]!;
  }

  private sweep(state: Int8Array, J: Float64Array, g: Float64Array, mu0e: number): void {
    const prob = this.prob, p = prob.p, G = prob.G, b = prob.b;
    for (const c of prob.alwaysIn) {
      const A = G[c * p + c]!;
      this.update(c, onStep(prob, c, A, b[c]! - g[c]! + A * J[c]!), J, g);
    }
    const Lip = prob.grouped ? lipschitz(prob) : null;
    for (let u = 0; u < prob.units.length; u++) {
      const st = state[u];
      const feats = prob.units[u]!;
      if (st === OFF) {
        for (const c of feats) this.update(c, 0, J, g);
      } else if (st === ON || feats.length === 1) {
        for (const c of feats) {
          const A = G[c * p + c]!;
          const a = b[c]! - g[c]! + A * J[c]!;
          this.update(c, st === ON ? onStep(prob, c, A, a) : freeStep(prob, c, A, a, mu0e), J, g);
        }
      } else {
        // Block proximal step on a free group: majorize the quadratic by Lip·‖Δ‖²; the prox
        // of the radial perspective penalty shrinks ‖w‖ by the 1-D rule.
        const L = Lip![u]!;
        if (!(L > 0)) continue;
        for (let inner = 0; inner < 3; inner++) {
          const m = feats.length;
          const w = new Float64Array(m);
          let nw = 0;
          for (let i = 0; i < m; i++) {
            const c = feats[i]!;
            w[i] = J[c]! + (b[c]! - g[c]!) / L;
            nw += w[i]! * w[i]!;
          }
          nw = Math.sqrt(nw);
          const rho = nw > 0 ? Math.abs(freeStep(prob, feats[0]!, L, L * nw, mu0e)) : 0;
          for (let i = 0; i < m; i++) this.update(feats[i]!, nw > 0 ? (w[i]! * rho) / nw : 0, J, g);
        }
      }
    }
  }

  /** Relaxed z of each unit at J (1 beyond the perspective kink). */
  relaxedZ(state: Int8Array, J: Float64Array, mu0e: number): Float64Array {
    const prob = this.prob;
    const z = new Float64Array(prob.units.length);
    const tau = prob.mu2 > 0 ? Math.sqrt(mu0e / prob.mu2) : Infinity;
    const T = Math.min(tau, prob.M);
    for (let u = 0; u < prob.units.length; u++) {
      if (state[u] !== FREE) { z[u] = state[u] === ON ? 1 : 0; continue; }
      let nn = 0;
      for (const c of prob.units[u]!) nn += J[c]! * J[c]!;
      const r = Math.sqrt(nn);
      z[u] = r === 0 ? 0 : T > 0 ? Math.min(1, r / T) : 1;
    }
    return z;
  }

  solve(state: Int8Array, J: Float64Array, g: Float64Array, opts: RelaxOptions): RelaxResult {
    const prob = this.prob;
    let nOn = 0;
    for (let u = 0; u < prob.units.length; u++) if (state[u] === ON) nOn++;
    if (!prob.dualMode) return this.solveLeastSquares(state, J, g, nOn);
    this.setState(state);
    let bound = -Infinity, primal = Infinity, sweeps = 0, newtonFails = 0;
    this.lastTheta = 1;
    let lambda = this.lambda;
    for (; sweeps < opts.maxSweeps; sweeps++) {
      this.sweep(state, J, g, prob.mu0 + lambda);
      // Newton on the active pattern every sweep while it makes progress; after failures
      // (pattern still moving) only every fourth sweep, to keep CD sweeps cheap.
      if (sweeps >= 1 && (newtonFails < 2 || sweeps % 4 === 0) && (this.lastActive <= 200 || sweeps % 10 === 0)) {
        if (this.newton(state, J, g, prob.mu0 + lambda)) newtonFails = 0;
        else newtonFails++;
      }
      {
        const d = this.unitDual(state, J, g, nOn);
        bound = Math.max(bound, d.D);
        lambda = d.lambda;
        primal = this.primalValue(state, J, g, prob.mu0 + lambda);
        if (bound >= opts.cutoff) break;
        if (primal - bound <= opts.tol) break;
        if (performance.now() > opts.deadline) break;
      }
    }
    if (bound < opts.cutoff && primal - bound > opts.tol) bound = Math.max(bound, this.bestDual(state, J, g, nOn).D);
    this.lambda = lambda;
    return { bound, primal, z: this.relaxedZ(state, J, prob.mu0 + lambda), sweeps };
  }

  /** The closure network of the current node (null without hierarchy rows among free units). */
  get closureGraph(): ClosureGraph | null {
    return this.closure;
  }

  /** Build the node's hierarchy closure network (used by every dual evaluation). */
  setState(state: Int8Array): void {
    this.closure = null;
    if (this.hierarchyDual) {
      const cg = ClosureGraph.forState(this.prob.parents, state, FREE);
      if (cg.arcs > 0) this.closure = cg;
    }
  }

  /**
   * Certified bound at an arbitrary J (from another relaxation solver): g = G·J is formed
   * here and the dual is maximized over the residual scaling θ. Call setState first.
   */
  certify(state: Int8Array, J: Float64Array, g: Float64Array): number {
    const prob = this.prob, p = prob.p, G = prob.G;
    gramTimes(G, J, p, g);
    let nOn = 0;
    for (let u = 0; u < prob.units.length; u++) if (state[u] === ON) nOn++;
    return this.bestDual(state, J, g, nOn).D;
  }

  /**
   * The global cut of the dual point u = θ(y − XJ) (unshifted Gram form): for every z in the
   * box, and so every integer point, objective(z) ≥ A − Σ_u z_u w_u — the Fenchel inequality
   * of the node bound with no unit fixed. Outer-approximation masters collect these.
   */
  cutAt(J: Float64Array, theta: number): { A: number; w: Float64Array } {
    const prob = this.prob, p = prob.p, m = prob.units.length;
    if (this.shifted) throw new Error('cutAt needs the unshifted Gram matrix');
    const g = new Float64Array(p);
    gramTimes(prob.G, J, p, g);
    const { bJ, Jg } = this.products(J, g);
    const t2 = 2 * theta;
    let A = t2 * (prob.yy - bJ) - theta * theta * (prob.yy - 2 * bJ + Jg);
    for (const c of prob.alwaysIn) A -= phi(prob, c, t2 * (prob.b[c]! - g[c]!));
    const w = new Float64Array(m);
    for (let u = 0; u < m; u++) {
      let s = 0;
      if (prob.grouped) s = groupPhi(prob, u, prob.b, g, theta);
      else for (const c of prob.units[u]!) s += phi(prob, c, t2 * (prob.b[c]! - g[c]!));
      w[u] = s - prob.mu0;
    }
    return { A, w };
  }

  /** μ2 = 0 and no bound: the relaxation is plain least squares on every feature not off. */
  private solveLeastSquares(state: Int8Array, J: Float64Array, g: Float64Array, nOn: number): RelaxResult {
    const prob = this.prob, p = prob.p;
    const A: number[] = [...prob.alwaysIn];
    for (let u = 0; u < prob.units.length; u++) if (state[u] !== OFF) A.push(...prob.units[u]!);
    A.sort((a, b) => a - b);
    const Ai = Int32Array.from(A);
    J.fill(0);
    if (Ai.length) {
      const x = solveSym(prob, Ai, Float64Array.from(Ai, (c) => prob.b[c]!), 0);
      for (let i = 0; i < Ai.length; i++) J[Ai[i]!] = x[i]!;
    }
    g.fill(0);
    for (let c = 0; c < p; c++) if (J[c] !== 0) for (let r = 0; r < p; r++) g[r] += J[c]! * prob.G[c * p + r]!;
    const value = smoothValue(prob, J) + prob.mu0 * nOn;
    // Branching weight: the share of the fit each free unit carries.
    const z = new Float64Array(prob.units.length);
    let mx = 0;
    for (let u = 0; u < prob.units.length; u++) {
      if (state[u] !== FREE) { z[u] = state[u] === ON ? 1 : 0; continue; }
      let s = 0;
      for (const c of prob.units[u]!) s += J[c]! * J[c]! * prob.G[c * p + c]!;
      z[u] = Math.sqrt(s);
      mx = Math.max(mx, z[u]!);
    }
    for (let u = 0; u < prob.units.length; u++) if (state[u] === FREE) z[u] = mx > 0 ? 0.5 * (z[u]! / mx) : 0;
    return { bound: value, primal: value, z, sweeps: 1 };
  }
}

/** Group conjugate at s = 2θ(b − g)_u: ‖s‖²/(4μ2) (group form has no ℓ1, no bound). */
function groupPhi(prob: L0Problem, u: number, b: Float64Array, g: Float64Array, theta: number): number {
  let ss = 0;
  for (const c of prob.units[u]!) {
    const s = 2 * theta * (b[c]! - g[c]!);
    ss += s * s;
  }
  return ss / (4 * prob.mu2);
}

/** g = G·J for the symmetric p×p Gram matrix G, skipping the zero coefficients of a sparse J. */
function gramTimes(G: Float64Array, J: Float64Array, p: number, g: Float64Array): void {
  g.fill(0);
  for (let c = 0; c < p; c++) {
    const jc = J[c]!;
    if (jc === 0) continue;
    const row = c * p;
    for (let r = 0; r < p; r++) g[r] += jc * G[row + r]!;
  }
}
