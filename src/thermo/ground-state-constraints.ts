/**
 * Ground-state-preserving constraints (Huang et al., npj Comput. Mater. 3, 30 (2017)) over a
 * composition simplex of any dimension. With the DFT lower-hull vertices g (src/thermo/hull.ts)
 * and predicted energies per unit Ê_i = s_i·(b + X_i·w) (s_i converts the design matrix's unit,
 * e.g. per primitive cell, into the hull's, e.g. per atom), require
 *   - every non-vertex s to stay at least `margin` above the DFT facet under its composition:
 *     Ê_s − Σ_k λ_k Ê_{g_k} ≥ margin, λ = its DFT decomposition into ground states;
 *   - every vertex g that the other vertices can reach to stay at least `margin` below them:
 *     Ê_g − Σ_k μ_k Ê_{g_k} ≤ −margin, μ = g's decomposition into the other vertices.
 * Together they make the predicted hull's vertex set the DFT one when the facets keep their
 * triangulation (always on a binary segment; in more components a predicted hull may
 * re-triangulate, which the vertex rows only linearize — measure the result, as src/loop does).
 * Each row is linear in (b, w): the coefficient of b is Σ cᵢsᵢ, zero when s is constant (the
 * weights sum to one). `centredConstraints` folds b out for a fit that centres X and y.
 * Lives in thermo (not fit) because it needs the hull; the constrained fit takes plain rows.
 */
import { InputError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import type { LinearConstraints } from '../fit/methods/constrained.ts';
import { type HullPoint, lowerHull } from './hull.ts';

/** Constraint rows over the columns of X, plus each row's coefficient of the intercept b. */
export interface GroundStateRows extends LinearConstraints {
  vertices: number[];
  intercept: Float64Array;
}

// tol 1e-12: the rows need the exact vertex set, not one within a DFT-noise tolerance.
const EXACT = { tol: 1e-12 };

/**
 * Rows for points (composition fractions x_i, energy e_i per hull unit). `scale` (default 1)
 * maps a design-matrix row's energy to the hull unit. Points with equal feature rows must be
 * reduced to one (the lowest) first: a vertex and its twin admit no margin.
 */
export function groundStateRows(X: Mat, x: ArrayLike<number>[], e: ArrayLike<number>, opts: { margin?: number; scale?: ArrayLike<number> } = {}): GroundStateRows {
  const n = X.rows, p = X.cols;
  if (x.length !== n || e.length !== n) throw new InputError(`ground-state constraints: ${n} rows but ${x.length} compositions and ${e.length} energies`);
  const margin = opts.margin ?? 0;
  const s = (i: number) => opts.scale?.[i] ?? 1;
  const hull = lowerHull(Array.from({ length: n }, (_, i): HullPoint => ({ x: x[i]!, e: e[i]! })), EXACT);
  const V = hull.vertices;
  const isV = new Set(V);
  const A: Float64Array[] = [], lower: number[] = [], upper: number[] = [], intercept: number[] = [];
  const push = (terms: [number, number][], lo: number, hi: number) => {
    const r = new Float64Array(p);
    let b = 0;
    for (const [i, c] of terms) {
      b += c * s(i);
      for (let j = 0; j < p; j++) r[j] += c * s(i) * X.data[i * p + j]!;
    }
    A.push(r);
    intercept.push(b);
    lower.push(lo);
    upper.push(hi);
  };
  for (let i = 0; i < n; i++) {
    if (isV.has(i)) continue;
    push([[i, 1], ...hull.decomposition[i]!.map((d): [number, number] => [d.index, -d.fraction])], margin, Infinity);
  }
  // g's decomposition into the other vertices: g with an energy above every vertex joins them.
  const top = Math.max(...V.map((v) => e[v]!)) + 1;
  for (const g of V) {
    const others = V.filter((v) => v !== g);
    if (!others.length) continue;
    const pts = [...others.map((v): HullPoint => ({ x: x[v]!, e: e[v]! })), { x: x[g]!, e: top }];
    const h = lowerHull(pts, EXACT);
    if (h.vertices.includes(others.length)) continue; // the others cannot reach g's composition (an end member)
    push([[g, 1], ...h.decomposition[others.length]!.map((d): [number, number] => [others[d.index]!, -d.fraction])], -Infinity, -margin);
  }
  return { A, lower, upper, vertices: V, intercept: Float64Array.from(intercept) };
}

/**
 * Binary form: one composition coordinate x per row (mapped affinely onto fractions (1 − t, t),
 * which leaves the vertex set unchanged), energies in the design matrix's own unit.
 */
export function groundStateConstraints(X: Mat, x: ArrayLike<number>, e: ArrayLike<number>, opts: { margin?: number } = {}): LinearConstraints & { vertices: number[] } {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  const span = hi > lo ? hi - lo : 1;
  const fractions = Array.from(x, (v) => [1 - (v - lo) / span, (v - lo) / span]);
  const { A, lower, upper, vertices } = groundStateRows(X, fractions, e, opts);
  return { A, lower, upper, vertices: vertices.sort((a, b) => x[a]! - x[b]!) };
}

/**
 * Rows on w alone for a fit that centres (b = ȳ − x̄·w, src/fit/prepare.ts without weights):
 * a·w + k·b = (a − k·x̄)·w + k·ȳ, so the bounds shift by −k·ȳ.
 */
export function centredConstraints(rows: GroundStateRows, xMean: ArrayLike<number>, yMean: number): LinearConstraints {
  const A = rows.A.map((a, r) => {
    const k = rows.intercept[r]!;
    return k === 0 ? a : Float64Array.from(a as ArrayLike<number>, (v, j) => v - k * xMean[j]!);
  });
  return { A, lower: Array.from(rows.lower, (v, r) => v - rows.intercept[r]! * yMean), upper: Array.from(rows.upper, (v, r) => v - rows.intercept[r]! * yMean) };
}
