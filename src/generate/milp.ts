/**
 * The ground-state MILP (the formulation behind icet's ground-state finder and smol's
 * periodic solver, written from the indicator polynomial of indicator.ts):
 *
 *   minimize   const + Σ_v c_v x_v + Σ_t c_t y_t − Σ μ_s N_s
 *   subject to Σ_s x_{i,s} = 1                  every active site (one-hot)
 *              y_t ≤ x_v  for v ∈ t             when c_t < 0
 *              y_t ≥ Σ_{v∈t} x_v − (|t| − 1)    when c_t > 0
 *              Σ_{i,s} q_{i,s} x_{i,s} = −Q_fixed   when the model has charged species
 *              Σ_{i ∈ sublattice} x_{i,s} = n_s      for each fixed count
 *   x binary, 0 ≤ y ≤ 1 continuous.
 *
 * One side of the linearization is enough: with c_t < 0 the objective pushes y_t up, so only
 * the upper bounds y ≤ x_v are active and y = min_v x_v = Π x_v at any optimum; with c_t > 0
 * it pushes y_t down to max(0, Σx − |t| + 1) = Π x_v. Every integer x with y = Π x is feasible,
 * so the MILP optimum equals the true minimum and HiGHS's dual bound is a valid lower bound
 * on it. A non-optimal incumbent may carry y ≠ Π x, which is why the energy is always
 * recomputed from the labeling.
 *
 * Tightening (default on, MilpOptions.clusterRows): for every energy-carrying cluster image,
 * one row per configuration of its sites saying that configuration's indicator product is ≥ 0,
 * written in product variables (missing sub-products get columns of cost 0). These contain both
 * linearization sides and the triangle-type inequalities of frustrated clusters; measured on fcc
 * 3×3×2 (pairs + triplet) the root LP bound moves from −22.95 to −19.35 eV (optimum −18.63).
 */
import type { Highs } from '../core/highs.ts';
import type { Rng } from '../core/rng.ts';
import type { GroundStateProblem } from './groundstate-problem.ts';

export interface MilpSize {
  binaries: number;
  products: number;
  rows: number;
  nonzeros: number;
}

export interface MilpBuild {
  size: MilpSize;
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  integrality: Int32Array;
  offset: number;
  /** Binaries multiplied by each product column (column nVars + k ↔ productVars[k]). */
  productVars: Int32Array[];
}

export interface MilpOptions {
  /**
   * Add, for every cluster image carrying energy, one row per configuration c of its sites:
   * P(c) = E[Π_a δ(σ_a, c_a)] ≥ 0 written in product variables (default true). They contain
   * both sides of the linearization and the triangle-type inequalities of frustrated
   * clusters, so the LP relaxation becomes the cluster-marginal (local-consistency) bound.
   */
  clusterRows?: boolean;
  /** A binary fixed to 1 (translation symmetry breaking, symmetry-break.ts). */
  fixed?: { site: number; code: number } | null;
}

/** Product columns keyed by their sorted binaries; new ones get cost 0. */
class ProductColumns {
  readonly vars: Int32Array[] = [];
  readonly cost: number[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly nX: number) {}
  column(vars: ArrayLike<number>): number {
    if (vars.length === 1) return vars[0]!;
    const key = Array.prototype.join.call(vars, ',');
    let k = this.index.get(key);
    if (k === undefined) {
      k = this.vars.length;
      this.index.set(key, k);
      this.vars.push(Int32Array.from(vars));
      this.cost.push(0);
    }
    return this.nX + k;
  }
}

class RowBuilder {
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly starts: number[] = [0];
  readonly idx: number[] = [];
  readonly val: number[] = [];
  add(cols: number[], vals: number[], lo: number, hi: number): void {
    for (let k = 0; k < cols.length; k++) { this.idx.push(cols[k]!); this.val.push(vals[k]!); }
    this.starts.push(this.idx.length);
    this.lower.push(lo);
    this.upper.push(hi);
  }
}

export function buildMilp(p: GroundStateProblem, inf: number, opts: MilpOptions = {}): MilpBuild {
  const h = p.h;
  const nX = h.nVars;
  const products = new ProductColumns(nX);
  const xCost = new Float64Array(nX);
  let offset = h.constant;
  for (let i = 0; i < p.nSites; i++) {
    if (h.varStart[i]! < 0) offset += p.muCost[i]![0]!;
    else for (let s = 0; s < p.species[i]!.length; s++) xCost[h.varStart[i]! + s] = p.muCost[i]![s]!;
  }
  const rows = new RowBuilder();
  addLabelingRows(p, rows);
  for (let t = 0; t < h.coef.length; t++) {
    const vars = h.vars.subarray(h.start[t]!, h.start[t + 1]!);
    if (vars.length === 1) { xCost[vars[0]!]! += h.coef[t]!; continue; }
    const y = products.column(vars);
    products.cost[y - nX]! += h.coef[t]!;
    // one side suffices: the objective pushes y against the other (see the header)
    if (h.coef[t]! < 0) for (const v of vars) rows.add([y, v], [1, -1], -inf, 0);
    else rows.add([...vars, y], [...Array.from(vars, () => 1), -1], -inf, vars.length - 1);
  }
  if (opts.clusterRows ?? true) addClusterRows(p, products, rows, inf);
  const numCols = nX + products.vars.length;
  const colCost = new Float64Array(numCols);
  colCost.set(xCost);
  colCost.set(products.cost, nX);
  const integrality = new Int32Array(numCols);
  integrality.fill(1, 0, nX);
  const numRows = rows.lower.length;
  const colLower = new Float64Array(numCols);
  if (opts.fixed) colLower[h.varStart[opts.fixed.site]! + opts.fixed.code] = 1;
  return {
    size: { binaries: nX, products: products.vars.length, rows: numRows, nonzeros: rows.idx.length },
    numCols, numRows, colCost, colLower, colUpper: new Float64Array(numCols).fill(1),
    rowLower: Float64Array.from(rows.lower), rowUpper: Float64Array.from(rows.upper),
    starts: Int32Array.from(rows.starts), indices: Int32Array.from(rows.idx), values: Float64Array.from(rows.val),
    integrality, offset, productVars: products.vars,
  };
}

/**
 * Configuration rows of every energy-carrying cluster: with the reference species r eliminated,
 * δ(σ_a, s) = x_{a,s} for s ≠ r and δ(σ_a, r) = 1 − Σ_{s≠r} x_{a,s}; the product over the
 * cluster's sites expands into ±1 monomials (sites sorted, so monomials come out sorted).
 */
function addClusterRows(p: GroundStateProblem, products: ProductColumns, rows: RowBuilder, inf: number): void {
  const h = p.h;
  for (let c = 0; c + 1 < h.clusterStart.length; c++) {
    const sites = h.clusterSites.subarray(h.clusterStart[c]!, h.clusterStart[c + 1]!);
    const sizes = Array.from(sites, (i) => p.species[i]!.length);
    const conf = new Array<number>(sites.length).fill(0);
    for (;;) {
      let terms: Array<{ vars: number[]; coef: number }> = [{ vars: [], coef: 1 }];
      sites.forEach((i, a) => {
        const v0 = h.varStart[i]!, ref = sizes[a]! - 1;
        if (conf[a] !== ref) { for (const t of terms) t.vars.push(v0 + conf[a]!); return; }
        const next = terms.map((t) => ({ vars: t.vars.slice(), coef: t.coef }));
        for (let s = 0; s < ref; s++) for (const t of terms) next.push({ vars: [...t.vars, v0 + s], coef: -t.coef });
        terms = next;
      });
      let constant = 0;
      const cols: number[] = [], vals: number[] = [];
      for (const t of terms) {
        if (t.vars.length === 0) constant += t.coef;
        else { cols.push(products.column(t.vars)); vals.push(t.coef); }
      }
      rows.add(cols, vals, -constant, inf);
      let a = sites.length - 1;
      for (; a >= 0; a--) { if (++conf[a]! < sizes[a]!) break; conf[a] = 0; }
      if (a < 0) break;
    }
  }
}

/** One-hot rows, charge balance and fixed counts: everything that makes a labeling feasible. */
function addLabelingRows(p: GroundStateProblem, rows: RowBuilder): void {
  const h = p.h;
  for (let i = 0; i < p.nSites; i++) {
    const v0 = h.varStart[i]!;
    if (v0 >= 0) rows.add(p.species[i]!.map((_, s) => v0 + s), p.species[i]!.map(() => 1), 1, 1);
  }
  if (p.charged) addChargeRow(p, rows);
  for (const c of p.counts) {
    const cols = p.sitesOfSublattice(c.sublattice).map((i) => h.varStart[i]! + p.species[i]!.findIndex((s) => s.key === c.species));
    if (cols.some((v) => v < 0)) continue; // an inactive sublattice: its count was checked against the site count
    rows.add(cols, cols.map(() => 1), c.count, c.count);
  }
}

/**
 * A feasible labeling (one-hot, charge balance, fixed counts) with random costs drawn from
 * `rng`, so different seeds start the annealer from different labelings; null if none exists.
 */
export function feasibleLabeling(highs: Highs, p: GroundStateProblem, rng: Rng): Int32Array | null {
  const rows = new RowBuilder();
  addLabelingRows(p, rows);
  const n = p.h.nVars;
  const inf = highs.infinity;
  const model = highs.createModel({
    numCols: n, numRows: rows.lower.length,
    colCost: Float64Array.from({ length: n }, () => rng.next()), colLower: new Float64Array(n), colUpper: new Float64Array(n).fill(1),
    rowLower: Float64Array.from(rows.lower, (v) => (v === -Infinity ? -inf : v)), rowUpper: Float64Array.from(rows.upper),
    matrix: { format: 'csr', numRows: rows.lower.length, numCols: n, starts: Int32Array.from(rows.starts), indices: Int32Array.from(rows.idx), values: Float64Array.from(rows.val) },
    integrality: new Int32Array(n).fill(1),
  });
  try {
    model.options.set({ output_flag: false, mip_rel_gap: 1, time_limit: 60 });
    model.run();
    if (Number(model.info.get('primal_solution_status')) !== highs.constants.solutionStatus.feasible) return null;
    return labelingOf(p, model.getSolution().colValue);
  } finally {
    model.dispose();
  }
}

function addChargeRow(p: GroundStateProblem, rows: RowBuilder): void {
  const h = p.h;
  let fixed = 0;
  const cols: number[] = [], vals: number[] = [];
  for (let i = 0; i < p.nSites; i++) {
    if (h.varStart[i]! < 0) { fixed += p.charge[i]![0]!; continue; }
    p.charge[i]!.forEach((q, s) => {
      if (q !== 0) { cols.push(h.varStart[i]! + s); vals.push(q); }
    });
  }
  rows.add(cols, vals, -fixed, -fixed);
}

/** Column values of a labeling (x one-hot, y = products), for a MIP start. */
export function columnsOf(p: GroundStateProblem, m: MilpBuild, codes: ArrayLike<number>): Float64Array {
  const h = p.h;
  const col = new Float64Array(m.numCols);
  for (let i = 0; i < p.nSites; i++) if (h.varStart[i]! >= 0) col[h.varStart[i]! + codes[i]!] = 1;
  m.productVars.forEach((vars, k) => {
    let y = 1;
    for (const v of vars) y *= col[v]!;
    col[h.nVars + k] = y;
  });
  return col;
}

export interface MilpOutcome {
  status: 'optimal' | 'time-limit' | 'infeasible' | 'other';
  statusName: string;
  codes: Int32Array | null;
  /** HiGHS objective (whole supercell, with the offset) and proven lower bound. */
  objective: number;
  dualBound: number;
  relGap: number;
  seconds: number;
}

export function solveMilp(highs: Highs, p: GroundStateProblem, m: MilpBuild, timeLimit: number, start: Int32Array | null): MilpOutcome {
  const model = highs.createModel({
    numCols: m.numCols, numRows: m.numRows, offset: m.offset,
    colCost: m.colCost, colLower: m.colLower, colUpper: m.colUpper, rowLower: m.rowLower, rowUpper: m.rowUpper,
    matrix: { format: 'csr', numRows: m.numRows, numCols: m.numCols, starts: m.starts, indices: m.indices, values: m.values },
    integrality: m.integrality,
  });
  const t0 = performance.now();
  try {
    // exact ground states: no relative-gap early stop; 1e-9 eV absolute on the supercell energy
    model.options.set({ output_flag: !!process.env.CELT_HIGHS_LOG, time_limit: Math.max(timeLimit, 0.01), mip_rel_gap: 0, mip_abs_gap: 1e-9, random_seed: 0 });
    if (start) model.setSolution({ colValue: columnsOf(p, m, start) });
    // CELT_HIGHS_LOG=1 prints HiGHS's log to stderr (the wasm build has no console sink of its own)
    model.run(process.env.CELT_HIGHS_LOG ? { [highs.constants.callbackType.logging]: (e) => void process.stderr.write(e.message) } : undefined);
    const code = model.getModelStatus();
    const S = highs.constants.modelStatus;
    const statusName = Object.entries(S).find(([, v]) => v === code)?.[0] ?? String(code);
    const status = code === S.optimal ? 'optimal' : code === S.timeLimit ? 'time-limit' : code === S.infeasible ? 'infeasible' : 'other';
    const hasPrimal = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    let codes: Int32Array | null = null;
    if (hasPrimal) codes = labelingOf(p, model.getSolution().colValue);
    return {
      status, statusName, codes,
      objective: hasPrimal ? model.getObjectiveValue() : NaN,
      dualBound: Number(model.info.get('mip_dual_bound')),
      relGap: Number(model.info.get('mip_gap')),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}

/** Species code per site from the binaries (largest x on each site; inactive sites code 0). */
function labelingOf(p: GroundStateProblem, x: Float64Array): Int32Array {
  const h = p.h;
  const codes = new Int32Array(p.nSites);
  for (let i = 0; i < p.nSites; i++) {
    const v0 = h.varStart[i]!;
    if (v0 < 0) continue;
    let best = 0;
    for (let s = 1; s < p.species[i]!.length; s++) if (x[v0 + s]! > x[v0 + best]!) best = s;
    codes[i] = best;
  }
  return codes;
}
