/**
 * Strictly convex QP with ℓ1 terms, bounds and linear (in)equalities, solved on its dual:
 *
 *   min_w ½wᵀHw + cᵀw   with "rows" r: d_r·w ≥ t_r (ν_r ≥ 0), d_r·w = t_r (ν_r free),
 *                        and ℓ1 terms α|w_j| as rows d = e_j, t = 0, ν ∈ [−α, α].
 *
 * The dual max_ν −½(Dᵀν − c)ᵀH⁻¹(Dᵀν − c) + tᵀν over a box is solved by exact coordinate
 * ascent (w = H⁻¹(Dᵀν − c) kept current, O(p) per update), and then polished: the rows whose
 * multipliers sit strictly inside their box are treated as equalities and the KKT system is
 * solved exactly; the polish is accepted only if it is primal and dual feasible. Why not
 * HiGHS: measured on agpd_fcc (66 features, 288 ground-state rows) its QP returned status −1
 * beyond ~100 rows, and its built-in Hessian regularization (1e-7) moves coefficients by ~1e-6.
 */
import { NumericalError } from '../../core/errors.ts';
import { cholSolve, choleskyJitter } from '../../core/linalg.ts';
import { Mat, axpy, dot } from '../../core/matrix.ts';

export interface DualRow {
  d: Float64Array;
  t: number;
  lo: number;
  hi: number;
}

export interface BoxQPResult {
  w: Float64Array;
  nu: Float64Array;
  sweeps: number;
  polished: boolean;
  /** Largest primal violation of the constraint rows (ℓ1 rows excluded). */
  primalViolation: number;
  /** Largest violation of stationarity Hw + c − Dᵀν = 0. */
  stationarity: number;
  jitter: number;
}

export function solveBoxDualQP(H: Mat, c: Float64Array, rows: DualRow[], opts: { tol?: number; maxSweeps?: number } = {}): BoxQPResult {
  const p = H.rows, m = rows.length;
  const tol = opts.tol ?? 1e-10;
  const maxSweeps = opts.maxSweeps ?? 20000;
  const { L, jitter } = choleskyJitter(H);
  const U = rows.map((r) => cholSolve(L, r.d));
  const Mrr = rows.map((r, k) => dot(r.d, U[k]!));
  const nu = new Float64Array(m);
  for (let k = 0; k < m; k++) nu[k] = Math.min(Math.max(0, rows[k]!.lo), rows[k]!.hi);
  const negc = c.map((v) => -v);
  const w = cholSolve(L, negc);
  for (let k = 0; k < m; k++) if (nu[k] !== 0) axpy(nu[k]!, U[k]!, w);
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(c[j]!));
  for (const r of rows) scale = Math.max(scale, Math.abs(r.t));
  scale = scale || 1;

  let sweeps = 0;
  let polishedResult: { w: Float64Array; nu: Float64Array } | null = null;
  for (; sweeps < maxSweeps; sweeps++) {
    let change = 0;
    for (let k = 0; k < m; k++) {
      if (!(Mrr[k]! > 0)) continue;
      const r = rows[k]!;
      const g = r.t - dot(r.d, w);
      let v = nu[k]! + g / Mrr[k]!;
      v = Math.min(Math.max(v, r.lo), r.hi);
      const delta = v - nu[k]!;
      if (delta !== 0) {
        nu[k] = v;
        axpy(delta, U[k]!, w);
        change = Math.max(change, Math.abs(delta) * Math.sqrt(Mrr[k]!));
      }
    }
    for (let k = 0; k < m; k++) {
      if (Math.abs(nu[k]!) > 1e12 * scale * (1 + Math.sqrt(Mrr[k]!))) throw new NumericalError('the constraints are infeasible (dual multipliers diverge)', { field: 'constraints' });
    }
    if (sweeps % 10 === 9 || change === 0) {
      polishedResult = solveActiveSetKkt(H, L, c, rows, U, nu, tol * scale);
      if (polishedResult) break;
      if (change === 0) break;
    }
  }
  const wf = polishedResult ? polishedResult.w : w;
  const nf = polishedResult ? polishedResult.nu : nu;
  const { primal, stat } = residuals(H, c, rows, wf, nf);
  return { w: wf, nu: nf, sweeps, polished: !!polishedResult, primalViolation: primal, stationarity: stat, jitter };
}

/** Treat rows with interior multipliers as equalities, rows at a nonzero bound as fixed forces; solve exactly. */
function solveActiveSetKkt(H: Mat, L: Mat, c: Float64Array, rows: DualRow[], U: Float64Array[], nu: Float64Array, tol: number): { w: Float64Array; nu: Float64Array } | null {
  const p = H.rows, m = rows.length;
  const eps = 1e-12;
  const act: number[] = [];
  const fixed = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const r = rows[k]!, v = nu[k]!;
    const atLo = Number.isFinite(r.lo) && Math.abs(v - r.lo) <= eps * (1 + Math.abs(r.lo));
    const atHi = Number.isFinite(r.hi) && Math.abs(v - r.hi) <= eps * (1 + Math.abs(r.hi));
    if (!atLo && !atHi) act.push(k);
    else fixed[k] = atLo ? r.lo : r.hi;
  }
  // w = H⁻¹(Σ_fixed ν d + Σ_act ν d − c); act rows must satisfy d·w = t.
  const w0 = cholSolve(L, c.map((v) => -v));
  for (let k = 0; k < m; k++) if (fixed[k] !== 0) axpy(fixed[k]!, U[k]!, w0);
  const a = act.length;
  const nuOut = Float64Array.from(fixed);
  const w = w0.slice();
  if (a > 0) {
    if (a > p) return null;
    const M = new Mat(a, a);
    const rhs = new Float64Array(a);
    for (let i = 0; i < a; i++) {
      const ri = rows[act[i]!]!;
      rhs[i] = ri.t - dot(ri.d, w0);
      for (let j = 0; j < a; j++) M.data[i * a + j] = dot(ri.d, U[act[j]!]!);
    }
    let sol: Float64Array;
    try {
      const f = choleskyJitter(M, 0);
      if (f.jitter !== 0) return null;
      sol = cholSolve(f.L, rhs);
    } catch {
      return null;
    }
    for (let i = 0; i < a; i++) {
      const k = act[i]!, r = rows[k]!;
      if (sol[i]! < r.lo - tol || sol[i]! > r.hi + tol) return null;
      nuOut[k] = Math.min(Math.max(sol[i]!, r.lo), r.hi);
      axpy(sol[i]!, U[k]!, w);
    }
  }
  // Complementarity for fixed rows: a row at ν = lo = 0 (inactive inequality) must be satisfied;
  // a row pinned at a nonzero bound (ℓ1 at ±α) must have its sign-consistent slack.
  for (let k = 0; k < m; k++) {
    if (act.includes(k)) continue;
    const r = rows[k]!;
    const s = dot(r.d, w) - r.t;
    const v = nuOut[k]!;
    // KKT for box-constrained dual: ν at lo ⇒ s ≥ 0; ν at hi ⇒ s ≤ 0.
    if (v === r.lo && r.lo !== r.hi && s < -tol) return null;
    if (v === r.hi && r.lo !== r.hi && s > tol) return null;
  }
  void p;
  return { w, nu: nuOut };
}

function residuals(H: Mat, c: Float64Array, rows: DualRow[], w: Float64Array, nu: Float64Array): { primal: number; stat: number } {
  const p = H.rows;
  let primal = 0;
  const g = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = c[j]!;
    for (let k = 0; k < p; k++) s += H.data[j * p + k]! * w[k]!;
    g[j] = s;
  }
  rows.forEach((r, k) => {
    axpy(-nu[k]!, r.d, g);
    if (r.lo === 0 && r.hi === Infinity) primal = Math.max(primal, r.t - dot(r.d, w));
    else if (r.lo === -Infinity && r.hi === Infinity) primal = Math.max(primal, Math.abs(r.t - dot(r.d, w)));
  });
  let stat = 0;
  for (let j = 0; j < p; j++) stat = Math.max(stat, Math.abs(g[j]!));
  return { primal: Math.max(primal, 0), stat };
}

/**
 * Rows for: bounds lower ≤ w ≤ upper, linear rows lo ≤ A w ≤ hi (two-sided → two rows,
 * lo = hi → equality), and ℓ1 weight alpha on every coefficient.
 */
export function buildDualRows(p: number, o: { lower?: ArrayLike<number>; upper?: ArrayLike<number>; A?: ArrayLike<number>[]; rowLower?: ArrayLike<number>; rowUpper?: ArrayLike<number>; alpha?: number }): DualRow[] {
  const rows: DualRow[] = [];
  const unit = (j: number, s: number) => {
    const d = new Float64Array(p);
    d[j] = s;
    return d;
  };
  for (let j = 0; j < p; j++) {
    const lo = o.lower?.[j] ?? -Infinity, hi = o.upper?.[j] ?? Infinity;
    if (lo === hi) rows.push({ d: unit(j, 1), t: lo, lo: -Infinity, hi: Infinity });
    else {
      if (Number.isFinite(lo)) rows.push({ d: unit(j, 1), t: lo, lo: 0, hi: Infinity });
      if (Number.isFinite(hi)) rows.push({ d: unit(j, -1), t: -hi, lo: 0, hi: Infinity });
    }
  }
  (o.A ?? []).forEach((a, k) => {
    const lo = o.rowLower?.[k] ?? -Infinity, hi = o.rowUpper?.[k] ?? Infinity;
    if (lo > hi) throw new NumericalError(`constraint row ${k}: lower ${lo} > upper ${hi}`, { field: 'constraints', entry: k });
    const d = Float64Array.from(a);
    if (lo === hi) rows.push({ d, t: lo, lo: -Infinity, hi: Infinity });
    else {
      if (Number.isFinite(lo)) rows.push({ d, t: lo, lo: 0, hi: Infinity });
      if (Number.isFinite(hi)) rows.push({ d: d.map((v) => -v), t: -hi, lo: 0, hi: Infinity });
    }
  });
  const alpha = o.alpha ?? 0;
  if (alpha > 0) for (let j = 0; j < p; j++) rows.push({ d: unit(j, 1), t: 0, lo: -alpha, hi: alpha });
  return rows;
}
