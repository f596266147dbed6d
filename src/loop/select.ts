/**
 * Choosing the next N structures for DFT from scored candidates.
 *
 * Criteria (all greedy, one pick at a time, so the duplicate rule and the D-optimal update see
 * the picks made so far):
 *  - `hull`: smallest predicted distance above the current hull (centre fit); ties → larger σ.
 *  - `uncertainty`: largest ensemble σ of the predicted energy.
 *  - `dopt`: largest gain in log det of the ridge-regularized information matrix
 *        A = ZᵀZ + λI,   gain(z) = log(1 + zᵀA⁻¹z)   (z = standardized feature row),
 *    i.e. greedy D-optimal design; zᵀA⁻¹z is the candidate's leverage. CE design matrices are
 *    rank-deficient (fewer rows than functions, point correlations tied by charge balance), so
 *    λ > 0 keeps A invertible: λ = 1 on columns scaled to unit std is one pseudo-observation per
 *    direction. After a pick z_k, A⁻¹ gets a Sherman–Morrison rank-one update and every leverage
 *    q_i drops by (z_i·u)²/(1 + q_k), u = A⁻¹z_k — O(m·p) per pick instead of a refactorization.
 *  - `balanced` (default): score_i = w_d·gain_i/max_j gain_j + w_h·near_i + w_u·σ_i/max_j σ_j,
 *    near_i = fraction of ensemble members that put candidate i within `window` of their hull
 *    (so the hull term carries its own uncertainty), gains recomputed after every pick.
 *    Default weights w_d = w_h = 1, w_u = 0.5: information for the ECIs and hull relevance
 *    count equally, raw uncertainty half (it is largely what the leverage already measures).
 *  - `random`: uniform among the allowed candidates (seeded) — the benchmark's baseline.
 *
 * Duplicate rule: a candidate whose feature vector equals (max |difference| ≤ `tol`, default
 * 1e-8) a training row's, or an earlier pick's, is never proposed; candidates equal to each
 * other are one choice. N larger than the distinct allowed candidates is refused.
 */
import { OptionError } from '../core/errors.ts';
import { cholesky, cholSolve } from '../core/linalg.ts';
import { Mat, rowsEqual } from '../core/matrix.ts';
import { Rng } from '../core/rng.ts';

export const CRITERIA = ['balanced', 'hull', 'uncertainty', 'dopt', 'random'] as const;
export type Criterion = (typeof CRITERIA)[number];

export interface CandidateScores {
  /** Candidate feature rows (same columns as the training rows). */
  X: Mat;
  /** Ensemble σ of the predicted energy per candidate. */
  sigmaEnsemble: ArrayLike<number>;
  /** Centre-fit hull distance (eV/prim) and the fraction of members near their hull; needed by `hull` and `balanced`. */
  hullDistance?: ArrayLike<number>;
  nearFraction?: ArrayLike<number>;
}

export interface SelectOptions {
  criterion?: Criterion;
  /** Ridge λ of the information matrix on standardized columns (default 1). */
  ridge?: number;
  /**
   * Columns the D-optimal information counts (default all): a sparse fit estimates only the
   * ECIs it keeps, so information about functions no ensemble member uses is not information
   * for the model (callers pass the union of the members' supports).
   */
  columns?: ArrayLike<number>;
  weights?: { dopt: number; hull: number; uncertainty: number };
  /** Max-abs tolerance of the duplicate rule (default 1e-8). */
  tol?: number;
  seed?: number;
}

export interface Pick {
  /** Index into the candidate rows. */
  index: number;
  /** Rank (0 = first pick). */
  rank: number;
  /** zᵀA⁻¹z at the time of the pick (after the earlier picks' updates). */
  leverage: number;
  /** The criterion's score at the time of the pick. */
  score: number;
}

export const DEFAULT_WEIGHTS = { dopt: 1, hull: 1, uncertainty: 0.5 };

/**
 * Candidates allowed by the duplicate rule: not equal to a training row, and one
 * representative (the first) of every group of equal candidates. Returns the allowed indices
 * and, per candidate, the index of its representative (-1 if it duplicates a training row).
 */
export function allowedCandidates(train: Mat, cand: Mat, tol = 1e-8): { allowed: number[]; representative: Int32Array } {
  const rep = new Int32Array(cand.rows).fill(-2);
  const allowed: number[] = [];
  for (let i = 0; i < cand.rows; i++) {
    let dup = false;
    for (let t = 0; t < train.rows && !dup; t++) dup = rowsEqual(cand, i, train, t, tol);
    if (dup) {
      rep[i] = -1;
      continue;
    }
    const same = allowed.find((a) => rowsEqual(cand, i, cand, a, tol));
    rep[i] = same ?? i;
    if (same === undefined) allowed.push(i);
  }
  return { allowed, representative: rep };
}

/** Column scales: std over all rows given (1 for a constant column, which then acts as the intercept direction). */
export function columnScales(...mats: Mat[]): Float64Array {
  const p = mats[0]!.cols;
  const s = new Float64Array(p), s2 = new Float64Array(p);
  let n = 0;
  for (const M of mats) {
    for (let i = 0; i < M.rows; i++) for (let j = 0; j < p; j++) {
      const v = M.data[i * p + j]!;
      s[j]! += v;
      s2[j]! += v * v;
    }
    n += M.rows;
  }
  return Float64Array.from(s, (v, j) => {
    const varj = s2[j]! / n - (v / n) ** 2;
    return varj > 1e-24 ? Math.sqrt(varj) : 1;
  });
}

function scaled(M: Mat, scale: Float64Array): Mat {
  const out = new Mat(M.rows, M.cols);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) out.data[i * M.cols + j] = M.data[i * M.cols + j]! / scale[j]!;
  return out;
}

/**
 * Greedy D-optimal state: leverages q_i = z_iᵀA⁻¹z_i of every candidate, kept current under
 * rank-one updates. A₀ = Z_trainᵀZ_train + λI is factored once (Cholesky).
 */
export class DOptimal {
  readonly q: Float64Array;
  private readonly Z: Mat;
  private readonly L: Mat;
  private readonly us: Float64Array[] = [];
  private readonly denoms: number[] = [];

  constructor(train: Mat, cand: Mat, ridge = 1, scale = columnScales(train, cand)) {
    if (!(ridge > 0)) throw new OptionError(`the D-optimal ridge term must be positive, got ${ridge}`, { field: 'ridge' });
    const p = train.cols;
    const Zt = scaled(train, scale);
    this.Z = scaled(cand, scale);
    const A = new Mat(p, p);
    for (let i = 0; i < Zt.rows; i++) {
      const r = Zt.data.subarray(i * p, (i + 1) * p);
      for (let a = 0; a < p; a++) {
        const ra = r[a]!;
        if (ra === 0) continue;
        for (let b = a; b < p; b++) A.data[a * p + b]! += ra * r[b]!;
      }
    }
    for (let a = 0; a < p; a++) {
      A.data[a * p + a]! += ridge;
      for (let b = a + 1; b < p; b++) A.data[b * p + a] = A.data[a * p + b]!;
    }
    this.L = cholesky(A);
    this.q = new Float64Array(cand.rows);
    for (let i = 0; i < cand.rows; i++) {
      const z = this.Z.row(i);
      let s = 0;
      const u = cholSolve(this.L, z);
      for (let j = 0; j < p; j++) s += z[j]! * u[j]!;
      this.q[i] = s;
    }
  }

  /** A⁻¹z under the updates so far. */
  private solve(z: Float64Array): Float64Array {
    const u = cholSolve(this.L, z);
    this.us.forEach((v, s) => {
      let d = 0;
      for (let j = 0; j < z.length; j++) d += v[j]! * z[j]!;
      const f = d / this.denoms[s]!;
      for (let j = 0; j < z.length; j++) u[j]! -= f * v[j]!;
    });
    return u;
  }

  gain(i: number): number {
    return Math.log1p(Math.max(this.q[i]!, 0));
  }

  /** Add candidate k to the design: A ← A + z_k z_kᵀ, every q updated. */
  add(k: number): void {
    const p = this.Z.cols;
    const u = this.solve(this.Z.row(k));
    const denom = 1 + this.q[k]!;
    for (let i = 0; i < this.Z.rows; i++) {
      let d = 0;
      for (let j = 0; j < p; j++) d += this.Z.data[i * p + j]! * u[j]!;
      this.q[i]! -= (d * d) / denom;
    }
    this.us.push(u);
    this.denoms.push(denom);
  }
}

function maxOf(a: ArrayLike<number>, idx: Iterable<number>): number {
  let m = 0;
  for (const i of idx) m = Math.max(m, a[i]!);
  return m || 1;
}

/** Pick N candidates by the criterion (see the module comment). */
export function selectCandidates(train: Mat, cand: CandidateScores, n: number, opts: SelectOptions = {}): Pick[] {
  const criterion = opts.criterion ?? 'balanced';
  if (!CRITERIA.includes(criterion)) throw new OptionError(`unknown criterion '${criterion}'; one of ${CRITERIA.join(', ')}`, { field: 'criterion' });
  if (train.cols !== cand.X.cols) throw new OptionError(`candidates have ${cand.X.cols} features, the training rows ${train.cols}`, { field: 'candidates' });
  if ((criterion === 'hull' || criterion === 'balanced') && (!cand.hullDistance || !cand.nearFraction)) throw new OptionError(`criterion '${criterion}' needs hull distances of the candidates`, { field: 'criterion' });
  const tol = opts.tol ?? 1e-8;
  const { allowed } = allowedCandidates(train, cand.X, tol);
  if (!Number.isInteger(n) || n < 1) throw new OptionError(`N must be a positive integer, got ${n}`, { field: 'n' });
  if (n > allowed.length) {
    throw new OptionError(`asked for ${n} structures but only ${allowed.length} of the ${cand.X.rows} candidates are distinct and not already in the training set (same correlation vector within ${tol})`, { field: 'n' });
  }
  // leverages are reported for every criterion (selection.csv), so the state is kept unless picking at random
  const cols = opts.columns;
  const dopt = criterion !== 'random' ? (cols ? new DOptimal(train.selectCols(cols), cand.X.selectCols(cols), opts.ridge ?? 1) : new DOptimal(train, cand.X, opts.ridge ?? 1)) : null;
  const w = opts.weights ?? DEFAULT_WEIGHTS;
  const rng = new Rng(opts.seed ?? 0);
  const left = new Set(allowed);
  const sigMax = maxOf(cand.sigmaEnsemble, left);
  const score = (i: number, gMax: number): number => {
    switch (criterion) {
      case 'hull':
        return -cand.hullDistance![i]! + 1e-9 * cand.sigmaEnsemble[i]!;
      case 'uncertainty':
        return cand.sigmaEnsemble[i]!;
      case 'dopt':
        return dopt!.gain(i);
      case 'balanced':
        return (w.dopt * dopt!.gain(i)) / gMax + w.hull * cand.nearFraction![i]! + (w.uncertainty * cand.sigmaEnsemble[i]!) / sigMax;
      default:
        return 0;
    }
  };
  const picks: Pick[] = [];
  while (picks.length < n) {
    const order = [...left];
    let best: number;
    let bestScore = -Infinity;
    if (criterion === 'random') {
      best = order[rng.int(order.length)]!;
      bestScore = 0;
    } else {
      const gMax = dopt ? Math.max(...order.map((i) => dopt.gain(i))) || 1 : 1;
      best = order[0]!;
      for (const i of order) {
        const s = score(i, gMax);
        if (s > bestScore) [best, bestScore] = [i, s];
      }
    }
    picks.push({ index: best, rank: picks.length, leverage: dopt ? dopt.q[best]! : NaN, score: bestScore });
    left.delete(best);
    dopt?.add(best);
  }
  return picks;
}
