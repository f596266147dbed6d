/**
 * Constrained least squares, solved by celt's own box-constrained dual QP (solvers/box-dual-qp.ts;
 * HiGHS only checks feasibility by LP first, and `solver=highs` selects its QP instead — see
 * src/fit/README.md for why):
 *
 *   min_w 1/(2n)‖y − Xw‖² + alpha‖w‖₁ + ½·ridge‖w‖²
 *   s.t.  lower ≤ w ≤ upper,  rowLower ≤ A w ≤ rowUpper
 *
 * (same scaling as lasso/elastic-net; ℓ1 through the split w = w⁺ − w⁻). The intercept is
 * free and eliminated by centering, so constraints act on the coefficients only; constraints
 * that compare predicted energies (ground-state preservation) use combination weights that sum
 * to one, in which the intercept cancels (see groundStateConstraints).
 *
 * Bounds come from params (`lower`/`upper`: one value for all or one per feature,
 * `nonnegative`: feature indices), linear rows from `constraints_file` (JSON
 * {"A": [[…]], "lower": […], "upper": […]}) or, in code, from the constructor.
 */
import { readJsonFile } from '../../core/files.ts';
import { InputError, NumericalError, OptionError } from '../../core/errors.ts';
import { type Highs, loadHighs, loadedHighs } from '../../core/highs.ts';
import { Mat } from '../../core/matrix.ts';
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel, countNonzero } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod } from '../method-spec.ts';
import { EnetProblem } from '../solvers/enet-cd.ts';
import { buildDualRows, solveBoxDualQP } from '../solvers/box-dual-qp.ts';

/** The HiGHS instance; fit() is synchronous, so its caller awaited prepareMethod('constrained') (or loadHighs) first. */
function solver(): Highs {
  const h = loadedHighs();
  if (!h) throw new Error("HiGHS is not loaded: await prepareMethod('constrained') (fit/registry.ts) or loadHighs() before fitting");
  return h;
}

export interface LinearConstraints {
  /** Rows of A (each length p). */
  A: ArrayLike<number>[];
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

export interface QPResult {
  w: Float64Array;
  status: string;
  objective: number;
  /** Largest violation of bounds and rows at the returned w (≥ 0). */
  maxViolation: number;
  seconds: number;
}

/**
 * Solve the constrained problem on a centered (X, y). Exposed so other code (e.g. an ℓ0
 * heuristic or hull-driven refits) can reuse it. Kept as one function (~120 lines): it is the
 * straight sequence scale → feasibility LP → dual QP → unscale, each step using the previous
 * step's arrays.
 */
export function constrainedLstsq(X: Mat, y: Float64Array, o: { alpha?: number; ridge?: number; lower?: Float64Array; upper?: Float64Array; rows?: LinearConstraints; timeLimit?: number }): QPResult {
  const n = X.rows, p = X.cols;
  const alpha = o.alpha ?? 0, ridge = o.ridge ?? 0;
  const prob = new EnetProblem(X, y, { precompute: true });
  const split = alpha > 0;
  const nv = split ? 2 * p : p;
  const lower = o.lower ?? new Float64Array(p).fill(-Infinity);
  const upper = o.upper ?? new Float64Array(p).fill(Infinity);
  for (let j = 0; j < p; j++) if (lower[j]! > upper[j]!) throw new OptionError(`bound ${j}: lower ${lower[j]} > upper ${upper[j]}`, { field: 'lower' });
  const H = (j: number, k: number) => prob.col(j)[k]! / n + (j === k ? ridge : 0);
  // Lower-triangular CSC Hessian of the (possibly split) variables.
  const starts = new Int32Array(nv + 1);
  const idx: number[] = [], val: number[] = [];
  for (let c = 0; c < nv; c++) {
    starts[c] = idx.length;
    for (let r = c; r < nv; r++) {
      const j = c % p, k = r % p;
      const sign = split && (c < p) !== (r < p) ? -1 : 1;
      const v = sign * H(j, k);
      if (v !== 0) {
        idx.push(r);
        val.push(v);
      }
    }
  }
  starts[nv] = idx.length;
  const cost = new Float64Array(nv);
  const colLower = new Float64Array(nv), colUpper = new Float64Array(nv);
  for (let j = 0; j < p; j++) {
    const g = -prob.Xty[j]! / n;
    if (split) {
      cost[j] = g + alpha;
      cost[p + j] = -g + alpha;
      // w = w⁺ − w⁻ with w⁺, w⁻ ≥ 0; a sign-restricted bound fixes one part at zero.
      colLower[j] = 0;
      colUpper[j] = upper[j]! <= 0 ? 0 : Math.max(upper[j]!, 0);
      colLower[p + j] = 0;
      colUpper[p + j] = lower[j]! >= 0 ? 0 : -Math.min(lower[j]!, 0);
    } else {
      cost[j] = g;
      colLower[j] = lower[j]!;
      colUpper[j] = upper[j]!;
    }
  }
  const rows = o.rows ?? { A: [], lower: [], upper: [] };
  const m = rows.A.length;
  const rs = new Int32Array(m + 1), ri: number[] = [], rv: number[] = [];
  const extraRows: { j: number; lo: number; hi: number }[] = [];
  if (split) {
    // Bounds that do not straddle zero need a row on w⁺ − w⁻ as well.
    for (let j = 0; j < p; j++) {
      const lo = lower[j]!, hi = upper[j]!;
      if ((lo > 0 && Number.isFinite(lo)) || (hi < 0 && Number.isFinite(hi))) extraRows.push({ j, lo, hi });
    }
  }
  for (let r = 0; r < m; r++) {
    rs[r] = ri.length;
    const a = rows.A[r]!;
    if (a.length !== p) throw new InputError(`constraint row ${r} has ${a.length} coefficients, expected ${p}`, { field: 'constraints', entry: r });
    for (let j = 0; j < p; j++) {
      const v = a[j]!;
      if (v === 0) continue;
      ri.push(j);
      rv.push(v);
      if (split) {
        ri.push(p + j);
        rv.push(-v);
      }
    }
  }
  rs[m] = ri.length;
  const allStarts = new Int32Array(m + extraRows.length + 1);
  allStarts.set(rs.subarray(0, m + 1));
  const rowLower = [...Array.from(rows.lower)], rowUpper = [...Array.from(rows.upper)];
  for (const e of extraRows) {
    ri.push(e.j, p + e.j);
    rv.push(1, -1);
    rowLower.push(e.lo);
    rowUpper.push(e.hi);
    allStarts[rowLower.length] = ri.length;
  }
  const numRows = rowLower.length;
  const highs = solver();
  const inf = highs.infinity;
  const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const t0 = performance.now();
  const model = highs.createModel({
    numCols: nv,
    numRows,
    colCost: cost,
    colLower: Float64Array.from(colLower, clamp),
    colUpper: Float64Array.from(colUpper, clamp),
    rowLower: Float64Array.from(rowLower, clamp),
    rowUpper: Float64Array.from(rowUpper, clamp),
    matrix: { format: 'csr', numRows, numCols: nv, starts: allStarts, indices: Int32Array.from(ri), values: Float64Array.from(rv) },
    hessian: { format: 'triangular', dimension: nv, starts, indices: Int32Array.from(idx), values: Float64Array.from(val) },
  });
  try {
    model.options.set({ output_flag: !!process.env.CELT_HIGHS_LOG, ...(o.timeLimit ? { time_limit: o.timeLimit } : {}) });
    model.run();
    const status = model.getModelStatus();
    const names = Object.entries(highs.constants.modelStatus).find(([, v]) => v === status)?.[0] ?? String(status);
    if (status === highs.constants.modelStatus.infeasible) throw new NumericalError('the constraints are infeasible (no coefficients satisfy them all)', { field: 'constraints' });
    if (status !== highs.constants.modelStatus.optimal) throw new NumericalError(`HiGHS QP ended with status '${names}'`, { field: 'constraints' });
    const x = model.getSolution().colValue;
    const w = new Float64Array(p);
    for (let j = 0; j < p; j++) w[j] = split ? x[j]! - x[p + j]! : x[j]!;
    let viol = 0;
    for (let j = 0; j < p; j++) viol = Math.max(viol, lower[j]! - w[j]!, w[j]! - upper[j]!);
    for (let r = 0; r < m; r++) {
      let s = 0;
      const a = rows.A[r]!;
      for (let j = 0; j < p; j++) s += a[j]! * w[j]!;
      viol = Math.max(viol, rows.lower[r]! - s, s - rows.upper[r]!);
    }
    return { w, status: names, objective: model.getObjectiveValue(), maxViolation: Math.max(viol, 0), seconds: (performance.now() - t0) / 1000 };
  } finally {
    model.dispose();
  }
}

/** Phase-1 check with HiGHS's LP simplex (robust where a dual QP method would only diverge slowly). */
export function assertFeasible(p: number, lower: Float64Array, upper: Float64Array, rows?: LinearConstraints): void {
  for (let j = 0; j < p; j++) if (lower[j]! > upper[j]!) throw new NumericalError(`the constraints are infeasible: bound ${j} has lower ${lower[j]} > upper ${upper[j]}`, { field: 'constraints' });
  const m = rows?.A.length ?? 0;
  const starts = new Int32Array(m + 1), idx: number[] = [], val: number[] = [];
  for (let r = 0; r < m; r++) {
    starts[r] = idx.length;
    const a = rows!.A[r]!;
    for (let j = 0; j < p; j++) if (a[j] !== 0) { idx.push(j); val.push(a[j]!); }
  }
  starts[m] = idx.length;
  const highs = solver();
  const inf = highs.infinity;
  const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const model = highs.createModel({
    numCols: p,
    numRows: m,
    colCost: new Float64Array(p),
    colLower: Float64Array.from(lower, clamp),
    colUpper: Float64Array.from(upper, clamp),
    rowLower: Float64Array.from(rows?.lower ?? [], clamp),
    rowUpper: Float64Array.from(rows?.upper ?? [], clamp),
    matrix: { format: 'csr', numRows: m, numCols: p, starts, indices: Int32Array.from(idx), values: Float64Array.from(val) },
  });
  try {
    model.options.set({ output_flag: false });
    model.run();
    const st = model.getModelStatus();
    if (st === highs.constants.modelStatus.infeasible) throw new NumericalError('the constraints are infeasible (no coefficients satisfy them all; HiGHS LP phase 1)', { field: 'constraints' });
  } finally {
    model.dispose();
  }
}

function perFeature(v: number[] | undefined, p: number, fill: number, field: string): Float64Array {
  if (!v) return new Float64Array(p).fill(fill);
  if (v.length === 1) return new Float64Array(p).fill(v[0]!);
  if (v.length !== p) throw new OptionError(`${field} has ${v.length} values; expected 1 or ${p}`, { field });
  return Float64Array.from(v);
}

export class ConstrainedLS extends LinearModel {
  constructor(
    params: Params,
    private readonly rows?: LinearConstraints,
  ) {
    super('constrained', params);
  }

  protected solve(P: Prepared): Float64Array {
    const p = P.X.cols;
    const lower = perFeature(this.params.lower as number[] | undefined, p, -Infinity, 'lower');
    const upper = perFeature(this.params.upper as number[] | undefined, p, Infinity, 'upper');
    for (const j of (this.params.nonnegative as number[] | undefined) ?? []) {
      if (!Number.isInteger(j) || j < 0 || j >= p) throw new OptionError(`nonnegative: feature index ${j} out of range 0..${p - 1}`, { field: 'nonnegative' });
      lower[j] = Math.max(lower[j]!, 0);
    }
    let rows = this.rows;
    const file = this.params.constraints_file as string | undefined;
    if (!rows && file) rows = readConstraints(file, p);
    const alpha = this.params.alpha as number, ridge = this.params.ridge as number;
    if (this.params.solver === 'highs') {
      const res = constrainedLstsq(P.X, P.y, { alpha, ridge, lower, upper, rows, timeLimit: this.params.time_limit as number | undefined });
      this.info = { solver: 'HiGHS QP (active set)', status: res.status, maxViolation: res.maxViolation, seconds: res.seconds, nNonzero: countNonzero(res.w), nConstraints: rows?.A.length ?? 0 };
      return res.w;
    }
    const t0 = performance.now();
    const n = P.X.rows;
    const prob = new EnetProblem(P.X, P.y, { precompute: true });
    const H = new Mat(p, p);
    for (let j = 0; j < p; j++) {
      const col = prob.col(j);
      for (let k = 0; k < p; k++) H.data[j * p + k] = col[k]! / n + (j === k ? ridge : 0);
    }
    const c = prob.Xty.map((v) => -v / n);
    if (rows?.A.length || lower.some(Number.isFinite) || upper.some(Number.isFinite)) assertFeasible(p, lower, upper, rows);
    const dual = buildDualRows(p, { lower, upper, A: rows?.A, rowLower: rows?.lower, rowUpper: rows?.upper, alpha });
    const res = solveBoxDualQP(H, c, dual, { tol: this.params.tol as number });
    // ℓ1 rows leave coefficients at exactly zero only through the polish; clean round-off there.
    const w = res.w;
    if (res.polished && alpha > 0) dual.forEach((r, k) => { if (r.lo === -alpha && Math.abs(res.nu[k]!) < alpha) w[r.d.indexOf(1)] = 0; });
    let viol = 0;
    for (let j = 0; j < p; j++) viol = Math.max(viol, lower[j]! - w[j]!, w[j]! - upper[j]!);
    rows?.A.forEach((a, r) => {
      let s = 0;
      for (let j = 0; j < p; j++) s += a[j]! * w[j]!;
      viol = Math.max(viol, rows.lower[r]! - s, s - rows.upper[r]!);
    });
    this.info = { solver: 'dual coordinate ascent + active-set polish', converged: res.polished, sweeps: res.sweeps, maxViolation: Math.max(viol, 0), stationarity: res.stationarity, hessianJitter: res.jitter, seconds: (performance.now() - t0) / 1000, nNonzero: countNonzero(w), nConstraints: rows?.A.length ?? 0 };
    return w;
  }
}

function readConstraints(file: string, p: number): LinearConstraints {
  let obj: { A?: number[][]; lower?: (number | null)[]; upper?: (number | null)[] };
  try {
    obj = readJsonFile(file) as typeof obj;
  } catch (e) {
    throw new InputError(`cannot read constraints: ${(e as Error).message}`, { file });
  }
  if (!Array.isArray(obj.A)) throw new InputError(`expected {"A": [[…]], "lower": […], "upper": […]}`, { file, field: 'A' });
  const m = obj.A.length;
  const lo = obj.lower ?? new Array(m).fill(null), hi = obj.upper ?? new Array(m).fill(null);
  if (lo.length !== m || hi.length !== m) throw new InputError(`lower/upper must have one entry per row of A (${m})`, { file });
  obj.A.forEach((r, k) => {
    if (!Array.isArray(r) || r.length !== p) throw new InputError(`row ${k} must have ${p} coefficients`, { file, field: 'A', entry: k });
  });
  return { A: obj.A, lower: lo.map((v) => (v === null ? -Infinity : v)), upper: hi.map((v) => (v === null ? Infinity : v)) };
}

registerMethod({
  name: 'constrained',
  summary: 'least squares (+ optional ℓ1/ℓ2) with bounds and linear (in)equality constraints, HiGHS QP',
  params: {
    alpha: { type: 'number', default: 0, min: 0, description: 'ℓ1 weight (lasso scaling)' },
    ridge: { type: 'number', default: 0, min: 0, description: 'ℓ2 weight: ½·ridge‖w‖² with the 1/(2n) data term' },
    lower: { type: 'numbers', description: 'lower bounds: one value or one per feature' },
    upper: { type: 'numbers', description: 'upper bounds: one value or one per feature' },
    nonnegative: { type: 'numbers', description: 'feature indices whose coefficient must be ≥ 0 (e.g. the Ewald term)' },
    solver: { type: 'string', default: 'dual', choices: ['dual', 'highs'], description: "QP solver: own dual active-set ('dual') or HiGHS's QP" },
    time_limit: { type: 'number', gt: 0, description: "seconds for HiGHS's QP (solver=highs; past it the fit fails with HiGHS's status)" },
    tol: { type: 'number', default: 1e-10, gt: 0, description: 'feasibility tolerance of the active-set polish (relative)' },
    constraints_file: { type: 'string', description: 'JSON {"A": [[…]], "lower": […], "upper": […]} (null = unbounded)' },
    fit_intercept: FIT_INTERCEPT,
  },
  create: (params) => new ConstrainedLS(params),
  prepare: async () => {
    await loadHighs();
  },
});
