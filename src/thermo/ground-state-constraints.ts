/**
 * Ground-state-preserving constraints (Huang et al., npj Comput. Mater. 3, 30 (2017)) for a
 * binary (one composition coordinate x): with the DFT lower hull vertices g, require of the
 * predicted energies E = b + X w
 *   - every non-vertex structure s stays at least `margin` above the predicted line between
 *     the vertices that bracket its composition (or above the vertex at the same x);
 *   - every interior vertex stays at least `margin` below the line between its neighbours.
 * Each row compares combinations whose weights sum to one, so the intercept cancels and the
 * rows act on w alone. Energies must be per the same unit as x (per site / primitive cell).
 * Lives in thermo (not fit) because it needs the hull; the constrained fit takes plain rows.
 */
import { InputError } from '../core/errors.ts';
import type { Mat } from '../core/matrix.ts';
import type { LinearConstraints } from '../fit/methods/constrained.ts';
import { type HullPoint, lowerHull } from './hull.ts';

/**
 * Indices of the lower-hull vertices of points (x, e), sorted by x, from the one hull
 * (thermo/hull.ts) on the composition segment: x is mapped affinely onto fractions
 * (1 − t, t), which leaves the vertex set unchanged. Points on a hull edge are not vertices.
 */
function hullVerticesByX(x: ArrayLike<number>, e: ArrayLike<number>): number[] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    lo = Math.min(lo, x[i]!);
    hi = Math.max(hi, x[i]!);
  }
  const span = hi > lo ? hi - lo : 1;
  const points: HullPoint[] = Array.from({ length: x.length }, (_, i) => {
    const t = (x[i]! - lo) / span;
    return { x: [1 - t, t], e: e[i]! };
  });
  // tol 1e-12: the rows below need the exact vertex set, not one within a DFT-noise tolerance.
  return lowerHull(points, { tol: 1e-12 }).vertices.sort((a, b) => x[a]! - x[b]!);
}

export function groundStateConstraints(X: Mat, x: ArrayLike<number>, e: ArrayLike<number>, opts: { margin?: number } = {}): LinearConstraints & { vertices: number[] } {
  const n = X.rows, p = X.cols;
  if (x.length !== n || e.length !== n) throw new InputError(`ground-state constraints: ${n} rows but ${x.length} compositions and ${e.length} energies`);
  const margin = opts.margin ?? 0;
  const V = hullVerticesByX(x, e);
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
