/**
 * Lower convex hull of energy over a composition simplex in any number of components.
 *
 * Method (linear programming): the hull energy at composition x is
 *   min Σ_k λ_k e_k  subject to  Σ_k λ_k x_k = x,  λ ≥ 0
 * (Σλ = 1 follows from the fractions summing to 1). A point's energy above the hull is its
 * energy minus that minimum, and the optimal λ is its decomposition into hull phases. No
 * facet enumeration, so no dimension-specific degeneracy handling (collinear/coplanar
 * points, duplicates, components absent from all points) — those are just degenerate LPs.
 *
 *   1. hull energy at the lowest point of every distinct composition, using those points →
 *      candidates with e_above_hull ≤ tol (plus their twins within tol);
 *   2. a candidate is a vertex (ground state) when the other candidates cannot reach its
 *      energy at its composition (LP infeasible or optimum > e + tol); among twins (same
 *      composition, energies within tol) the lowest energy, then the lowest index, is the vertex;
 *   3. e_above_hull and decomposition from LPs over the vertices only, so decompositions
 *      name ground states.
 */
import { InputError } from '../core/errors.ts';
import { type LPSolver, simplexLP } from './lp-simplex.ts';

export interface HullPoint {
  /** Composition fractions over the components (non-negative, summing to 1). */
  x: ArrayLike<number>;
  /** Energy per unit amount of the components (e.g. eV/atom, or eV per end-member formula unit). */
  e: number;
  id?: string | number;
}

export interface HullOptions {
  /** Energy tolerance for "on the hull" (same unit as e). Default 1e-6. */
  tol?: number;
  /** LP backend; default the built-in dense simplex. `await highsLP()` gives HiGHS. */
  lp?: LPSolver;
}

export interface Decomposition {
  /** Index into the input points (always a hull vertex). */
  index: number;
  /** Molar fraction of that phase (fractions sum to 1). */
  fraction: number;
}

export interface HullResult {
  /** Indices of hull vertices (ground states), ascending. */
  vertices: number[];
  /** Per point: hull energy at its composition. */
  hullEnergy: Float64Array;
  /** Per point: e − hull energy (≥ 0; 0 for vertices). */
  eAboveHull: Float64Array;
  /** Per point: whether e_above_hull ≤ tol (vertices plus points lying on a hull facet or duplicating a vertex). */
  onHull: boolean[];
  /** Per point: hull phases whose mixture has the lowest energy at that composition. */
  decomposition: Decomposition[][];
  tol: number;
}

export function validateHullPoints(points: HullPoint[]): number {
  if (!Array.isArray(points) || points.length === 0) throw new InputError('the convex hull needs at least one point');
  const d = points[0]!.x.length;
  if (d < 1) throw new InputError('compositions must have at least one component', { entry: 0, field: 'x' });
  points.forEach((p, i) => {
    const where = { entry: p.id ?? i };
    if (p.x.length !== d) throw new InputError(`composition has ${p.x.length} components, expected ${d}`, { ...where, field: 'x' });
    let s = 0;
    for (let k = 0; k < d; k++) {
      const v = p.x[k]!;
      if (!Number.isFinite(v) || v < -1e-9) throw new InputError(`composition fraction ${v} is negative or not finite`, { ...where, field: 'x' });
      s += v;
    }
    if (Math.abs(s - 1) > 1e-6) throw new InputError(`composition fractions sum to ${s}, not 1`, { ...where, field: 'x' });
    if (!Number.isFinite(p.e)) throw new InputError(`energy ${p.e} is not a finite number`, { ...where, field: 'energy' });
  });
  return d;
}

export function lowerHull(points: HullPoint[], opts: HullOptions = {}): HullResult {
  const d = validateHullPoints(points);
  const n = points.length;
  const tol = opts.tol ?? 1e-6;
  if (!(tol >= 0)) throw new InputError(`hull tolerance must be ≥ 0 (got ${tol})`, { field: 'tol' });
  const lp = opts.lp ?? simplexLP;

  // Subtracting a plane fitted to the energies leaves hull membership and e_above_hull
  // unchanged but makes the LP costs O(formation energy) instead of O(total energy).
  const plane = leastSquaresPlane(points, d);
  const c = Float64Array.from(points, (p) => p.e - planeAt(plane, p.x));

  const solveAt = (cols: number[], x: ArrayLike<number>) => {
    const m = cols.length;
    const A = new Float64Array(d * m);
    const cc = new Float64Array(m);
    cols.forEach((k, j) => {
      const xk = points[k]!.x;
      for (let r = 0; r < d; r++) A[r * m + j] = xk[r]!;
      cc[j] = c[k]!;
    });
    return lp(A, d, m, x, cc);
  };

  // Only the lowest energy at each distinct composition can touch the hull (CE data sets have
  // many structures per composition), so the all-points LPs run over those representatives.
  const lowestAt = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = Array.from(points[i]!.x, (v) => Math.round(v * 1e9)).join(',');
    const j = lowestAt.get(key);
    if (j === undefined || c[i]! < c[j]!) lowestAt.set(key, i);
  }
  const reps = [...lowestAt.values()].sort((a, b) => a - b);
  const candidates: number[] = [];
  for (const i of reps) {
    const res = solveAt(reps, points[i]!.x);
    if (res.status !== 'optimal') throw new InputError(`hull LP failed at point ${i} (${res.status})`, { entry: points[i]!.id ?? i });
    if (c[i]! - res.objective <= tol) candidates.push(i);
  }
  // Points within tol of their composition's lowest energy are candidates too (duplicates).
  const isCandidate = new Set(candidates);
  for (let i = 0; i < n; i++) {
    if (isCandidate.has(i)) continue;
    const key = Array.from(points[i]!.x, (v) => Math.round(v * 1e9)).join(',');
    const j = lowestAt.get(key)!;
    if (isCandidate.has(j) && c[i]! - c[j]! <= tol) candidates.push(i);
  }
  candidates.sort((a, b) => a - b);

  const vertices: number[] = [];
  for (const i of candidates) {
    // Twins (same composition, energy within tol) are represented by the lowest energy one,
    // ties by the lowest index.
    if (candidates.some((k) => k !== i && samePoint(points[k]!, points[i]!, tol) && (c[k]! < c[i]! || (c[k] === c[i] && k < i)))) continue;
    const rest = candidates.filter((k) => k !== i && !samePoint(points[k]!, points[i]!, tol));
    if (rest.length === 0) {
      vertices.push(i);
      continue;
    }
    const res = solveAt(rest, points[i]!.x);
    if (res.status === 'infeasible' || res.objective > c[i]! + tol) vertices.push(i);
  }

  const hullEnergy = new Float64Array(n);
  const eAboveHull = new Float64Array(n);
  const onHull: boolean[] = [];
  const decomposition: Decomposition[][] = [];
  for (let i = 0; i < n; i++) {
    const res = solveAt(vertices, points[i]!.x);
    if (res.status !== 'optimal') throw new InputError(`hull LP over ground states failed at point ${i} (${res.status})`, { entry: points[i]!.id ?? i });
    const dec: Decomposition[] = [];
    let sum = 0;
    vertices.forEach((v, j) => {
      if (res.x[j]! > 1e-10) {
        dec.push({ index: v, fraction: res.x[j]! });
        sum += res.x[j]!;
      }
    });
    for (const t of dec) t.fraction /= sum;
    const hc = dec.reduce((a, t) => a + t.fraction * c[t.index]!, 0);
    const above = Math.max(0, c[i]! - hc);
    hullEnergy[i] = points[i]!.e - above;
    eAboveHull[i] = above;
    onHull.push(above <= tol);
    decomposition.push(dec.sort((a, b) => b.fraction - a.fraction));
  }
  return { vertices, hullEnergy, eAboveHull, onHull, decomposition, tol };
}

function samePoint(a: HullPoint, b: HullPoint, tol: number): boolean {
  if (Math.abs(a.e - b.e) > tol) return false;
  for (let k = 0; k < a.x.length; k++) if (Math.abs(a.x[k]! - b.x[k]!) > 1e-9) return false;
  return true;
}

function leastSquaresPlane(points: HullPoint[], d: number): Float64Array {
  // Normal equations on d unknowns (d is small); a singular system just means some
  // components never vary — fall back to the mean energy then.
  const G = new Float64Array(d * d);
  const r = new Float64Array(d);
  for (const p of points) {
    for (let a = 0; a < d; a++) {
      r[a] = r[a]! + p.x[a]! * p.e;
      for (let b = 0; b < d; b++) G[a * d + b] = G[a * d + b]! + p.x[a]! * p.x[b]!;
    }
  }
  const y = solveSmall(G, r, d);
  if (y) return y;
  const mean = points.reduce((s, p) => s + p.e, 0) / points.length;
  return new Float64Array(d).fill(mean); // Σx = 1, so a constant plane
}

function planeAt(y: Float64Array, x: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < y.length; k++) s += y[k]! * x[k]!;
  return s;
}

function solveSmall(G: Float64Array, r: Float64Array, d: number): Float64Array | null {
  const M = Float64Array.from(G);
  const v = Float64Array.from(r);
  let scale = 0;
  for (const g of M) scale = Math.max(scale, Math.abs(g));
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let i = col + 1; i < d; i++) if (Math.abs(M[i * d + col]!) > Math.abs(M[piv * d + col]!)) piv = i;
    if (Math.abs(M[piv * d + col]!) < 1e-10 * Math.max(scale, 1e-300)) return null;
    if (piv !== col) {
      for (let j = 0; j < d; j++) {
        const t = M[col * d + j]!;
        M[col * d + j] = M[piv * d + j]!;
        M[piv * d + j] = t;
      }
      const t = v[col]!;
      v[col] = v[piv]!;
      v[piv] = t;
    }
    for (let i = col + 1; i < d; i++) {
      const f = M[i * d + col]! / M[col * d + col]!;
      for (let j = col; j < d; j++) M[i * d + j] = M[i * d + j]! - f * M[col * d + j]!;
      v[i] = v[i]! - f * v[col]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = v[i]!;
    for (let j = i + 1; j < d; j++) s -= M[i * d + j]! * y[j]!;
    y[i] = s / M[i * d + i]!;
  }
  return y;
}

/**
 * Formation energies relative to end members: e − Σ_k x_k·E_k, where E_k is the energy (same
 * normalization as e) of pure component k.
 */
export function formationEnergies(points: HullPoint[], endMemberEnergies: ArrayLike<number>): Float64Array {
  const d = validateHullPoints(points);
  if (endMemberEnergies.length !== d) throw new InputError(`got ${endMemberEnergies.length} end-member energies for ${d} components`, { field: 'endMemberEnergies' });
  return Float64Array.from(points, (p) => p.e - planeAt(Float64Array.from(endMemberEnergies), p.x));
}

/**
 * End-member reference energies taken from the data: the lowest energy among points that are
 * pure component k. Throws naming the component when no such point exists.
 */
export function referenceEnergiesFromPoints(points: HullPoint[], componentNames?: string[]): Float64Array {
  const d = validateHullPoints(points);
  const ref = new Float64Array(d).fill(Infinity);
  for (const p of points) {
    for (let k = 0; k < d; k++) if (p.x[k]! > 1 - 1e-9 && p.e < ref[k]!) ref[k] = p.e;
  }
  for (let k = 0; k < d; k++) {
    if (ref[k] === Infinity) throw new InputError(`no entry is pure ${componentNames?.[k] ?? `component ${k}`}; give its reference energy explicitly`, { field: 'endMembers' });
  }
  return ref;
}
