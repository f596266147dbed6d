/**
 * Ground-state-preserving constraints (Huang et al., npj Comput. Mater. 3, 30 (2017)) for a
 * binary (one composition coordinate x): with the DFT lower hull vertices g, require of the
 * predicted energies E = b + X w
 *   - every non-vertex structure s stays at least `margin` above the predicted line between
 *     the vertices that bracket its composition (or above the vertex at the same x);
 *   - every interior vertex stays at least `margin` below the line between its neighbours.
 * Each row compares combinations whose weights sum to one, so the intercept cancels and the
 * rows act on w alone. Energies must be per the same unit as x (per site / primitive cell).
 */
import { InputError } from '../../core/errors.ts';
import type { Mat } from '../../core/matrix.ts';
import type { LinearConstraints } from '../methods/constrained.ts';

/** Indices of the lower convex hull of points (x, e), sorted by x; collinear points excluded. */
export function lowerHull1D(x: ArrayLike<number>, e: ArrayLike<number>, tol = 1e-12): number[] {
  const idx = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || e[a]! - e[b]!);
  const best: number[] = [];
  for (const i of idx) if (!best.length || Math.abs(x[best[best.length - 1]!]! - x[i]!) > tol) best.push(i);
  const hull: number[] = [];
  for (const i of best) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!, b = hull[hull.length - 1]!;
      const cross = (x[b]! - x[a]!) * (e[i]! - e[a]!) - (e[b]! - e[a]!) * (x[i]! - x[a]!);
      if (cross <= tol) hull.pop();
      else break;
    }
    hull.push(i);
  }
  return hull;
}

export function groundStateConstraints(X: Mat, x: ArrayLike<number>, e: ArrayLike<number>, opts: { margin?: number } = {}): LinearConstraints & { vertices: number[] } {
  const n = X.rows, p = X.cols;
  if (x.length !== n || e.length !== n) throw new InputError(`ground-state constraints: ${n} rows but ${x.length} compositions and ${e.length} energies`);
  const margin = opts.margin ?? 0;
  const V = lowerHull1D(x, e);
  const isV = new Set(V);
  const A: Float64Array[] = [], lower: number[] = [], upper: number[] = [];
  const row = (terms: [number, number][]) => {
    const r = new Float64Array(p);
    for (const [i, c] of terms) for (let j = 0; j < p; j++) r[j] += c * X.data[i * p + j]!;
    return r;
  };
  for (let s = 0; s < n; s++) {
    if (isV.has(s)) continue;
    let k = 0;
    while (k < V.length - 1 && x[V[k + 1]!]! < x[s]!) k++;
    const g1 = V[k]!, g2 = V[Math.min(k + 1, V.length - 1)]!;
    let terms: [number, number][];
    if (Math.abs(x[s]! - x[g1]!) < 1e-12) terms = [[s, 1], [g1, -1]];
    else if (Math.abs(x[s]! - x[g2]!) < 1e-12) terms = [[s, 1], [g2, -1]];
    else {
      const t = (x[g2]! - x[s]!) / (x[g2]! - x[g1]!);
      terms = [[s, 1], [g1, -t], [g2, -(1 - t)]];
    }
    A.push(row(terms));
    lower.push(margin);
    upper.push(Infinity);
  }
  for (let k = 1; k < V.length - 1; k++) {
    const l = V[k - 1]!, g = V[k]!, r = V[k + 1]!;
    const t = (x[r]! - x[g]!) / (x[r]! - x[l]!);
    A.push(row([[g, 1], [l, -t], [r, -(1 - t)]]));
    lower.push(-Infinity);
    upper.push(-margin);
  }
  return { A, lower, upper, vertices: V };
}
