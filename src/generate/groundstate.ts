/**
 * Exact periodic ground state of a cluster expansion in one supercell.
 *
 * Steps: (1) the model is rewritten exactly as an indicator polynomial (indicator.ts);
 * (2) a feasible labeling comes from a tiny MILP with the constraints only, and simulated
 * annealing (CorrelationEvaluator local deltas + Ewald potentials) improves it; (3) if the
 * full MILP fits the size limit, HiGHS solves it warm-started from the annealed labeling,
 * within the time limit; otherwise the annealed labeling is returned as a heuristic answer.
 * The energy returned is always recomputed from the model (correlations · ECIs + Ewald).
 *
 * Status honesty: 'optimal' only when HiGHS proved optimality with zero relative gap
 * (absolute gap ≤ 1e-9 eV per supercell); 'time-limit' returns the incumbent with HiGHS's
 * proven lower bound and gap; 'heuristic' (MILP too big) has no bound.
 */
import { InputError, NumericalError, OptionError } from '../core/errors.ts';
import { loadHighs } from '../core/highs.ts';
import type { Mat3 } from '../core/mat3.ts';
import { Rng } from '../core/rng.ts';
import type { ClusterExpansion } from '../model/cluster-expansion.ts';
import type { Structure } from '../structure/structure.ts';
import { annealGroundState } from './groundstate-anneal.ts';
import { GroundStateProblem, type ProblemOptions } from './groundstate-problem.ts';
import { symmetryBreak, translateToFixed } from './symmetry-break.ts';
import { type MilpOutcome, type MilpSize, buildMilp, feasibleLabeling, solveMilp } from './milp.ts';

/**
 * Default size limit: product variables of the model's indicator polynomial. Measured (README
 * table): fcc with 2,448 products ends 60 s with a 3.9 % proven gap, with 10,200 products with
 * 72 % — past this size the MILP gives no useful bound and annealing is the honest answer.
 */
export const DEFAULT_MAX_PRODUCTS = 10000;

export interface GroundStateOptions extends ProblemOptions {
  scMatrix: Mat3;
  /** Seconds for the whole search (annealing + MILP); default 60. */
  timeLimit?: number;
  /** Refuse the MILP (annealing only) above this many product variables. */
  maxProducts?: number;
  /** Cluster-configuration rows in the MILP (tighter LP bound; default true, see milp.ts). */
  clusterRows?: boolean;
  /**
   * Fix one site by translation symmetry when a fixed count allows it (symmetry-break.ts). Off by
   * default: measured mixed (CPU s with/without: fcc 4×2×2 at 8 Au 4.0/1.8, fcc 3×3×2 at 6 Au
   * 1.6/3.2, lno 3×2×1 at Li 3 1.0/1.4), as it competes with HiGHS's own symmetry handling.
   */
  symmetryBreak?: boolean;
  /** Annealing warm start: proposals per site (0 = none; default 2000, at most a quarter of the time limit) and seed. */
  annealSweeps?: number;
  /** Independent annealing runs (seeds drawn from `seed`); the best one is used. Default 4. */
  annealRuns?: number;
  seed?: number;
}

export type GroundStateStatus = 'optimal' | 'time-limit' | 'heuristic';

export interface GroundStateResult {
  codes: Int32Array;
  /** Species key per supercell site. */
  occupancy: string[];
  structure: Structure;
  /** Model energy per primitive cell (eV), recomputed from the labeling. */
  energy: number;
  /** energy − Σ μ_s N_s / N_prims: what was minimized (equals energy without μ). */
  objective: number;
  /** Proven lower bound on the objective per primitive cell (null when no MILP ran). */
  lowerBound: number | null;
  /** HiGHS's relative gap (0 when optimal; null when no MILP ran). */
  gap: number | null;
  status: GroundStateStatus;
  method: 'milp' | 'anneal';
  composition: Record<string, number>;
  nPrims: number;
  size: MilpSize;
  seconds: number;
  /** Why the MILP did not run or stopped early, if it did. */
  note?: string;
}

export async function groundState(ce: ClusterExpansion, opts: GroundStateOptions): Promise<GroundStateResult> {
  const t0 = performance.now();
  const timeLimit = opts.timeLimit ?? 60;
  if (!(timeLimit > 0 && Number.isFinite(timeLimit))) throw new OptionError(`time limit must be a positive number of seconds, got ${timeLimit}`, { field: 'time-limit' });
  const maxProducts = opts.maxProducts ?? DEFAULT_MAX_PRODUCTS;
  const highs = await loadHighs();
  const p = new GroundStateProblem(ce, opts.scMatrix, opts);
  // the products of the model itself decide up front; cluster rows only add rows and a few columns
  const tooBig = productCount(p) > maxProducts;
  const fixed = opts.symmetryBreak ? symmetryBreak(p) : null;
  const m = tooBig ? null : buildMilp(p, highs.infinity, { clusterRows: opts.clusterRows ?? true, fixed });
  const size = m ? m.size : { binaries: p.h.nVars, products: productCount(p), rows: -1, nonzeros: -1 };
  const rng = new Rng(opts.seed ?? 0);
  const start = feasibleLabeling(highs, p, rng);
  if (!start) throw new InputError(`no configuration of this ${p.nPrims}-cell supercell satisfies ${p.charged ? 'charge balance' : ''}${p.charged && p.counts.length ? ' and ' : ''}${p.counts.length ? 'the requested composition' : ''}`, { field: 'composition' });
  const sweeps = opts.annealSweeps ?? 2000;
  const elapsed = () => (performance.now() - t0) / 1000;
  const objectiveOf = (codes: Int32Array) => p.energy(codes) + p.muTerm(codes) / p.nPrims;
  // best of several seeds: one run can stall in a local minimum the MILP then needs long to leave
  const runs = opts.annealRuns ?? 4;
  const budgetMs = ((tooBig ? 1 : 0.25) * timeLimit * 1000) / runs;
  let annealed = start;
  for (let k = 0; k < runs && sweeps > 0; k++) {
    const cand = annealGroundState(p, start, { seed: rng.nextU32(), sweeps, timeLimitMs: budgetMs });
    if (k === 0 || objectiveOf(cand) < objectiveOf(annealed) - 1e-12) annealed = cand;
  }
  if (!m) {
    return result(p, annealed, { status: 'heuristic', method: 'anneal', lowerBound: null, gap: null, size, seconds: elapsed(), note: `MILP has ${size.products} product variables, above the limit of ${maxProducts}: simulated annealing only, no optimality bound` });
  }
  const out = solveMilp(highs, p, m, timeLimit - elapsed(), fixed ? translateToFixed(p, annealed, fixed) : annealed);
  if (out.status === 'infeasible') throw new InputError('no configuration satisfies the constraints (HiGHS: infeasible)', { field: 'composition' });
  let codes = out.codes ?? annealed;
  // the annealed start can only be beaten, but HiGHS may report an incumbent within its tolerances: keep the better one
  if (objectiveOf(annealed) < objectiveOf(codes) - 1e-12) codes = annealed;
  if (!p.feasible(codes)) throw new NumericalError('HiGHS returned a labeling that violates the constraints');
  checkSolverObjective(p, out, objectiveOf);
  // HiGHS reports ±inf (or its 1e30-style infinity) before the root LP has given a bound
  const lowerBound = Number.isFinite(out.dualBound) && Math.abs(out.dualBound) < 1e20 ? out.dualBound / p.nPrims : null;
  const obj = objectiveOf(codes);
  // relative gap of the recomputed objective to the proven bound (HiGHS's definition, |primal|)
  const gap = lowerBound === null ? null : Math.max(0, obj - lowerBound) / Math.max(Math.abs(obj), 1e-12);
  if (out.status === 'optimal') return result(p, codes, { status: 'optimal', method: 'milp', lowerBound, gap, size, seconds: elapsed() });
  const noBound = lowerBound === null ? ' (no lower bound proven yet)' : '';
  const note = (out.status === 'time-limit' ? `time limit of ${timeLimit} s reached before optimality was proven` : `HiGHS stopped with status ${out.statusName}`) + noBound;
  return result(p, codes, { status: out.status === 'time-limit' ? 'time-limit' : 'heuristic', method: 'milp', lowerBound, gap: Number.isFinite(gap) ? gap : null, size, seconds: elapsed(), note });
}

/** Products of two or more binaries in the model's indicator polynomial (the MILP size limit). */
function productCount(p: GroundStateProblem): number {
  let n = 0;
  for (let t = 0; t < p.h.coef.length; t++) if (p.h.start[t + 1]! - p.h.start[t]! >= 2) n++;
  return n;
}

/**
 * For integer x every product column is ≥ (objective-wise) its true product, so the model's
 * objective can never exceed HiGHS's; at a proven optimum they must agree (to 1e-6 relative).
 */
function checkSolverObjective(p: GroundStateProblem, out: MilpOutcome, objectiveOf: (c: Int32Array) => number): void {
  if (!out.codes || !Number.isFinite(out.objective)) return;
  const diff = (objectiveOf(out.codes) - out.objective / p.nPrims) * p.nPrims;
  const tol = 1e-6 * Math.max(1, Math.abs(out.objective));
  if (diff > tol || (out.status === 'optimal' && Math.abs(diff) > tol)) {
    throw new NumericalError(`the MILP objective (${out.objective} eV) disagrees with the model energy of its labeling (${objectiveOf(out.codes) * p.nPrims} eV): indicator conversion or solver tolerance problem`);
  }
}

function result(p: GroundStateProblem, codes: Int32Array, r: Pick<GroundStateResult, 'status' | 'method' | 'lowerBound' | 'gap' | 'size' | 'seconds' | 'note'>): GroundStateResult {
  const energy = p.energy(codes);
  return {
    codes,
    occupancy: Array.from(codes, (c, i) => p.species[i]![c]!.key),
    structure: p.structure(codes),
    energy,
    objective: energy + p.muTerm(codes) / p.nPrims,
    composition: p.composition(codes),
    nPrims: p.nPrims,
    ...r,
  };
}
