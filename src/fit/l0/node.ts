/**
 * One node of the branch-and-bound: its fixing state and the relaxation that bounds it.
 * Kept apart from the search (bnb.ts) because the same code runs on the calling thread and
 * in the search worker (bnb-worker.ts): a node solve is a pure function of the node, the
 * cutoff and the tolerance, so where it runs cannot change the result.
 */
import { OptionError } from '../../core/errors.ts';
import { choleskyInto, cholSolveInPlace } from '../../core/linalg.ts';
import type { L0Problem } from './problem.ts';
import { OFF, type RelaxationSolver } from './relaxation.ts';
import { ZRelaxation } from './zrelax.ts';

/**
 * Curvature shift for stronger perspective bounds: with δ ≤ λmin(G_AA) on the features A not
 * fixed off at a node, ‖XJ‖² = Jᵀ(G − δI)J + δ‖J‖² there, and moving δ‖J‖² into the
 * per-feature term raises the perspective weight from μ2 to μ2 + δ while the remaining
 * quadratic stays convex on A. Correlated CE features make λmin(G) tiny for the full set,
 * but it grows quickly as features are fixed off (agpd_fcc: 1.3e-3 for all 66 columns,
 * ~0.1 with 26 off), so it is recomputed down the tree (interlacing: a child with more
 * features off may keep its parent's δ). δ is certified by a successful Cholesky of
 * G_AA − 1.05δ·I; the estimate comes from inverse iteration.
 */
export function certifiedShift(G: Float64Array, p: number, A: Int32Array, prev: number): number {
  const m = A.length;
  if (m === 0) return prev;
  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) H[i * m + k] = G[A[i]! * p + A[k]!]!;
  const L = cholFactor(H, m, 0);
  if (!L) return prev;
  let x: Float64Array = new Float64Array(m).fill(1 / Math.sqrt(m));
  let rq = 0;
  for (let it = 0; it < 30; it++) {
    const y = cholApply(L, m, x);
    let ny = 0;
    for (let i = 0; i < m; i++) ny += y[i]! * y[i]!;
    ny = Math.sqrt(ny);
    if (!(ny > 0)) return prev;
    for (let i = 0; i < m; i++) y[i] /= ny;
    const prevRq = rq;
    rq = 0;
    for (let i = 0; i < m; i++) {
      let hy = 0;
      for (let k = 0; k < m; k++) hy += H[i * m + k]! * y[k]!;
      rq += y[i]! * hy;
    }
    x = y;
    if (it > 3 && Math.abs(rq - prevRq) <= 1e-6 * rq) break;
  }
  let cand = 0.9 * rq;
  for (let t = 0; t < 3 && cand > prev; t++, cand *= 0.5) {
    if (cholFactor(H, m, 1.05 * cand)) return cand;
  }
  return prev;
}

function cholFactor(H: Float64Array, m: number, shift: number): Float64Array | null {
  const L = new Float64Array(m * m);
  return choleskyInto(H, m, L, shift) < 0 ? L : null;
}

function cholApply(L: Float64Array, m: number, b: Float64Array): Float64Array {
  return cholSolveInPlace(L, m, Float64Array.from(b));
}

export interface Node {
  state: Int8Array;
  bound: number;
  /** Certified curvature shift and the number of units off when it was computed. */
  delta: number;
  deltaOff: number;
  depth: number;
  id: number;
  /** Parent's relaxed solution (J for the J-form solver, z for the z-form), shared by siblings. */
  warm: Float64Array | null;
  /** The split that made this node (for pseudocosts): unit, side, fractionality removed, parent bound. */
  split?: { unit: number; on: boolean; frac: number; parentBound: number };
}

/** What every node relaxation hands back to the search. */
export interface NodeSolve {
  /** Certified lower bound for every integer point of the node (a Fenchel-dual value). */
  bound: number;
  /** Relaxed z per unit, for branching and rounding. */
  z: Float64Array;
  /** Relaxation J and g = G·J (for the branching fallback). */
  J: Float64Array;
  g: Float64Array;
  /** Warm start for the children. */
  warm: Float64Array;
  /** Reduced costs at the certificate's dual point (null when not used); see fixByReducedCosts. */
  rc: { Dsep: number; w: Float64Array; theta: number } | null;
  /** Curvature shift certified for this node (J form) and the #off it was computed at. */
  delta: number;
  deltaOff: number;
}

/** What a node solve needs besides the node: all fixed when a batch starts (determinism). */
export interface NodeTask {
  node: Node;
  isRoot: boolean;
  cutoff: number;
  tol: number;
}

export interface NodeRelaxer {
  readonly kind: 'cd' | 'z';
  /** Curvature shift certified at the root (J-form only). */
  rootShift: number;
  solve(task: NodeTask, deadline: number): NodeSolve;
}

/** The options a node relaxer reads (a subset of BnbOptions, shipped to the worker as is). */
export interface RelaxerOptions {
  relaxation?: 'auto' | 'cd' | 'z';
  maxSweeps?: number;
  maxZIter?: number;
  hierarchyRelaxation?: boolean;
  reducedCostFixing?: boolean;
}

/** Features not fixed off at a node (always-in included). */
function nonOff(prob: L0Problem, state: Int8Array): Int32Array {
  const A: number[] = [...prob.alwaysIn];
  for (let u = 0; u < state.length; u++) if (state[u] !== OFF) A.push(...prob.units[u]!);
  return Int32Array.from(A);
}

/** Reduced costs right after the node's certificate (they read the solver's last dual point). */
function reducedCostsOf(solver: RelaxationSolver, state: Int8Array, J: Float64Array, g: Float64Array, on: boolean): NodeSolve['rc'] {
  return on ? solver.reducedCosts(state, J, g) : null;
}

/**
 * The J-form relaxation (coordinate descent + pattern Newton, relaxation.ts), with the
 * certified curvature shift recomputed down the tree; warm start = the parent's J.
 */
function cdRelaxer(prob: L0Problem, solver: RelaxationSolver, maxSweeps: number, rcOn: boolean): NodeRelaxer {
  const m = prob.units.length, p = prob.p;
  const shiftable = prob.dualMode && !prob.grouped && p <= 1500;
  const self: NodeRelaxer = {
    kind: 'cd',
    rootShift: 0,
    solve({ node, isRoot, cutoff, tol }, deadline) {
      let delta = node.delta, deltaOff = node.deltaOff;
      if (shiftable) {
        let off = 0;
        for (let u = 0; u < m; u++) if (node.state[u] === OFF) off++;
        if (off >= deltaOff + 3) {
          const A = nonOff(prob, node.state);
          if (prob.n === undefined || A.length <= prob.n) delta = certifiedShift(prob.G, p, A, delta);
          deltaOff = off;
          if (isRoot) self.rootShift = delta;
        }
        solver.setShift(delta);
      }
      const Gr = solver.gram;
      // Warm start from the parent's relaxed solution, restricted to what the node allows.
      const J = new Float64Array(p), g = new Float64Array(p);
      if (node.warm) {
        for (let c = 0; c < p; c++) {
          const u = prob.unitOf[c]!;
          if (u < 0 || node.state[u] !== OFF) J[c] = node.warm[c]!;
        }
      }
      for (let c = 0; c < p; c++) {
        if (J[c] === 0) continue;
        const row = c * p, jc = J[c]!;
        for (let r = 0; r < p; r++) g[r] += jc * Gr[row + r]!;
      }
      const rel = solver.solve(node.state, J, g, { cutoff, tol, maxSweeps: isRoot ? 5 * maxSweeps : maxSweeps, deadline });
      const rc = rel.bound < cutoff ? reducedCostsOf(solver, node.state, J, g, rcOn) : null;
      return { bound: rel.bound, z: rel.z, J, g, warm: J, rc, delta, deltaOff };
    },
  };
  return self;
}

/**
 * The z-form relaxation (zrelax.ts: spectral projected gradient on the indicators, low-rank
 * factor of G), certified by the J-form dual of `solver` at J(z); warm start = the parent's z.
 */
function zRelaxer(prob: L0Problem, solver: RelaxationSolver, maxIter: number, hierZ: boolean, rcOn: boolean): NodeRelaxer {
  const zr = new ZRelaxation(prob);
  const m = prob.units.length, p = prob.p;
  return {
    kind: 'z',
    rootShift: 0,
    solve({ node, isRoot, cutoff, tol }, deadline) {
      const J = new Float64Array(p), g = new Float64Array(p);
      solver.setState(node.state);
      let bound = -Infinity;
      const z0 = node.warm ?? new Float64Array(m).fill(0.5);
      const res = zr.solve(node.state, z0, isRoot ? 10 * maxIter : maxIter, deadline, (zf, f) => {
        zr.primalJ(zf, J);
        const d = solver.certify(node.state, J, g);
        bound = Math.max(bound, d);
        return bound >= cutoff || f - bound <= tol;
      }, hierZ && isRoot ? solver.closureGraph : null);
      // The solver's last certificate was at this J (zrelax.solve ends with a check), so the
      // reduced costs are read at the same dual point.
      const rc = bound < cutoff ? reducedCostsOf(solver, node.state, J, g, rcOn) : null;
      return { bound, z: res.z, J, g, warm: res.z, rc, delta: node.delta, deltaOff: node.deltaOff };
    },
  };
}

/** Which node relaxation a problem gets (see BnbOptions.relaxation). */
export function pickRelaxer(prob: L0Problem, solver: RelaxationSolver, opts: RelaxerOptions): NodeRelaxer {
  const zOk = prob.dualMode && prob.mu2 > 0 && prob.mu1 === 0 && !Number.isFinite(prob.M) && !Number.isFinite(prob.k);
  const want = opts.relaxation ?? 'auto';
  if (want === 'z' && !zOk) throw new OptionError('the z-form relaxation needs mu2 > 0 and no mu1, M or k', { field: 'relaxation' });
  const rcOn = opts.reducedCostFixing !== false;
  // auto: the z form where the J form stalls, i.e. when G is rank-deficient (n < p) and so
  // the curvature shift of the J form is zero anyway.
  const useZ = want === 'z' || (want === 'auto' && zOk && prob.n !== undefined && prob.n < prob.p);
  return useZ ? zRelaxer(prob, solver, opts.maxZIter ?? 200, opts.hierarchyRelaxation ?? true, rcOn) : cdRelaxer(prob, solver, opts.maxSweeps ?? 200, rcOn);
}
