/**
 * Dense two-phase simplex for the small LPs of convex-hull work: minimize cᵀλ subject to
 * Aλ = b, λ ≥ 0, with few rows (number of components, ≤ ~10) and up to a few thousand columns.
 *
 * Why hand-written: each hull query is an LP with d rows; a tableau of d × n costs O(d·n) per
 * pivot and needs a handful of pivots, so a synchronous in-process solver is faster than
 * serializing CPLEX-LP text for a general solver (bench/hull.ts measures both; HiGHS is kept
 * as an independent cross-check in the tests). Bland's rule prevents cycling on the heavily
 * degenerate problems hulls produce (many points with zero weight).
 */

import { NumericalError } from '../core/errors.ts';

export type LPStatus = 'optimal' | 'infeasible' | 'unbounded';

export interface LPResult {
  status: LPStatus;
  /** Optimal λ (length n); zeros when not optimal. */
  x: Float64Array;
  objective: number;
}

/** A solver for min cᵀλ, Aλ = b, λ ≥ 0; A is m×n row-major. */
export type LPSolver = (A: Float64Array, m: number, n: number, b: ArrayLike<number>, c: ArrayLike<number>) => LPResult;

const EPS = 1e-11;

// Kept as one function (~105 lines): the textbook two-phase tableau simplex; the phases share
// the tableau and basis in place, which is what makes it fast on the hull's small LPs.
export const simplexLP: LPSolver = (A, m, n, b, c) => {
  // 1. Reduce [A | b] to full row rank by Gaussian elimination (hull problems have dependent
  //    rows whenever the points do not span every component).
  const rows: Float64Array[] = [];
  const rhs: number[] = [];
  {
    const work: Float64Array[] = [];
    const wb: number[] = [];
    for (let i = 0; i < m; i++) {
      work.push(A.slice(i * n, (i + 1) * n));
      wb.push(b[i]!);
    }
    let scale = 0;
    for (const r of work) for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(r[j]!));
    const tol = EPS * Math.max(scale, 1) * Math.max(n, 1);
    const used = new Uint8Array(m);
    const order: number[] = [];
    for (let col = 0; col < n && order.length < m; col++) {
      let best = -1;
      let bestVal = tol;
      for (let i = 0; i < m; i++) {
        if (used[i]) continue;
        const v = Math.abs(work[i]![col]!);
        if (v > bestVal) {
          bestVal = v;
          best = i;
        }
      }
      if (best < 0) continue;
      used[best] = 1;
      const pr = work[best]!;
      const pv = pr[col]!;
      for (let i = 0; i < m; i++) {
        if (i === best) continue;
        const f = work[i]![col]! / pv;
        if (f === 0) continue;
        const r = work[i]!;
        for (let j = 0; j < n; j++) r[j] = r[j]! - f * pr[j]!;
        wb[i] = wb[i]! - f * wb[best]!;
      }
      order.push(best);
    }
    // Collected after elimination: later pivots also update earlier pivot rows (reduced form).
    for (const i of order) {
      rows.push(work[i]!);
      rhs.push(wb[i]!);
    }
    for (let i = 0; i < m; i++) {
      if (!used[i] && Math.abs(wb[i]!) > 1e-9 * Math.max(1, Math.abs(b[i]!))) {
        return { status: 'infeasible', x: new Float64Array(n), objective: NaN };
      }
    }
  }
  const r = rows.length;
  // 2. Tableau: r constraint rows + objective row; columns = n structural + r artificial + rhs.
  const W = n + r + 1;
  const T = new Float64Array((r + 1) * W);
  const basis = new Int32Array(r);
  for (let i = 0; i < r; i++) {
    const sign = rhs[i]! < 0 ? -1 : 1;
    const row = rows[i]!;
    for (let j = 0; j < n; j++) T[i * W + j] = sign * row[j]!;
    T[i * W + n + i] = 1;
    T[i * W + W - 1] = sign * rhs[i]!;
    basis[i] = n + i;
  }
  const obj = r * W;
  // Phase I objective: minimize Σ artificials → reduced costs −Σ rows over structural columns.
  for (let i = 0; i < r; i++) for (let j = 0; j < n; j++) T[obj + j] = T[obj + j]! - T[i * W + j]!;
  for (let i = 0; i < r; i++) T[obj + W - 1] = T[obj + W - 1]! - T[i * W + W - 1]!;
  const cScale = Math.max(1, ...Array.from(c, Math.abs));
  let status = iterate(T, basis, r, W, n, 1e-10);
  if (status === 'unbounded') return { status: 'infeasible', x: new Float64Array(n), objective: NaN };
  if (-T[obj + W - 1]! > 1e-9) return { status: 'infeasible', x: new Float64Array(n), objective: NaN };
  // Drive artificials (at zero) out of the basis; rank reduction guarantees a pivot exists.
  for (let i = 0; i < r; i++) {
    if (basis[i]! < n) continue;
    let jBest = -1;
    let vBest = 1e-9;
    for (let j = 0; j < n; j++) {
      const v = Math.abs(T[i * W + j]!);
      if (v > vBest) {
        vBest = v;
        jBest = j;
      }
    }
    if (jBest >= 0) pivot(T, basis, r, W, i, jBest);
  }
  // Phase II objective row: c − c_Bᵀ B⁻¹A over the current tableau.
  for (let j = 0; j < W; j++) T[obj + j] = j < n ? c[j]! : 0;
  for (let i = 0; i < r; i++) {
    const bi = basis[i]!;
    const cb = bi < n ? c[bi]! : 0;
    if (cb === 0) continue;
    for (let j = 0; j < W; j++) T[obj + j] = T[obj + j]! - cb * T[i * W + j]!;
  }
  status = iterate(T, basis, r, W, n, 1e-12 * cScale);
  const x = new Float64Array(n);
  if (status === 'unbounded') return { status, x, objective: -Infinity };
  for (let i = 0; i < r; i++) {
    const bi = basis[i]!;
    if (bi < n) x[bi] = Math.max(0, T[i * W + W - 1]!);
  }
  let objective = 0;
  for (let j = 0; j < n; j++) objective += c[j]! * x[j]!;
  return { status: 'optimal', x, objective };
};

/** Bland's-rule simplex iterations over structural columns [0, nStruct). */
function iterate(T: Float64Array, basis: Int32Array, r: number, W: number, nStruct: number, tol: number): LPStatus {
  const obj = r * W;
  for (let it = 0; it < 50_000; it++) {
    let enter = -1;
    for (let j = 0; j < nStruct; j++) {
      if (T[obj + j]! < -tol) {
        enter = j;
        break;
      }
    }
    if (enter < 0) return 'optimal';
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < r; i++) {
      const a = T[i * W + enter]!;
      if (a <= 1e-12) continue;
      const ratio = T[i * W + W - 1]! / a;
      if (ratio < best - 1e-14 || (Math.abs(ratio - best) <= 1e-14 && leave >= 0 && basis[i]! < basis[leave]!)) {
        best = ratio;
        leave = i;
      }
    }
    if (leave < 0) return 'unbounded';
    pivot(T, basis, r, W, leave, enter);
  }
  throw new NumericalError('simplex iteration limit reached (degenerate hull LP); try --lp highs');
}

function pivot(T: Float64Array, basis: Int32Array, r: number, W: number, row: number, col: number): void {
  const pr = row * W;
  const pv = T[pr + col]!;
  for (let j = 0; j < W; j++) T[pr + j] = T[pr + j]! / pv;
  for (let i = 0; i <= r; i++) {
    if (i === row) continue;
    const base = i * W;
    const f = T[base + col]!;
    if (f === 0) continue;
    for (let j = 0; j < W; j++) T[base + j] = T[base + j]! - f * T[pr + j]!;
  }
  basis[row] = col;
}
