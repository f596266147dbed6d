/**
 * Closed-form least squares: OLS (minimum-norm, safe on rank-deficient CE matrices), ridge
 * (sklearn's Ridge objective ‖y − Xw‖² + α‖w‖²) and generalized Tikhonov
 * ‖y − Xw‖² + wᵀΛw with a user prior matrix Λ (seed 002, "incorporating physical insight").
 */
import { readJsonFile } from '../../core/files.ts';
import { InputError, NumericalError, OptionError } from '../../core/errors.ts';
import { cholSolve, choleskyJitter, lstsqMinNorm, symEig } from '../../core/linalg.ts';
import { Mat, gram, matTVec } from '../../core/matrix.ts';
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod } from '../method-spec.ts';

/**
 * Solve min ‖y − Xw‖² + wᵀΛw, Λ given as a p×p matrix (or null = 0). Uses the normal equations
 * by Cholesky when that is well posed; falls back to the minimum-norm solution of the
 * augmented system when XᵀX + Λ is singular.
 */
export function penalizedLstsq(X: Mat, y: Float64Array, Lambda: Mat | null): { w: Float64Array; jitter: number } {
  const p = X.cols, n = X.rows;
  if (Lambda && p > n && isScaledIdentity(Lambda)) {
    // Dual form for wide problems: w = Xᵀ(XXᵀ + αI)⁻¹y — an n×n solve instead of p×p.
    const alpha = Lambda.data[0]!;
    const K = gram(X.transpose());
    for (let i = 0; i < n; i++) K.data[i * n + i] += alpha;
    const { L, jitter } = choleskyJitter(K);
    return { w: matTVec(X, cholSolve(L, y)), jitter };
  }
  const A = gram(X);
  if (Lambda) for (let k = 0; k < A.data.length; k++) A.data[k] += Lambda.data[k]!;
  const b = matTVec(X, y);
  try {
    const { L, jitter } = choleskyJitter(A, 1);
    if (jitter === 0) return { w: cholSolve(L, b), jitter };
  } catch (e) {
    if (!(e instanceof NumericalError)) throw e;
  }
  if (!Lambda) return { w: lstsqMinNorm(X, y).x, jitter: 0 };
  // Augmented least squares [X; R] w ≈ [y; 0] with RᵀR = Λ (Λ must be PSD).
  const { values, vectors } = symEigPSD(Lambda);
  const aug = new Mat(n + p, p);
  aug.data.set(X.data, 0);
  for (let k = 0; k < p; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0));
    for (let j = 0; j < p; j++) aug.data[(n + k) * p + j] = s * vectors.data[j * p + k]!;
  }
  const yy = new Float64Array(n + p);
  yy.set(y);
  return { w: lstsqMinNorm(aug, yy).x, jitter: 0 };
}

function isScaledIdentity(M: Mat): boolean {
  const p = M.rows, d = M.data[0]!;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) if (M.data[i * p + j] !== (i === j ? d : 0)) return false;
  return true;
}

function symEigPSD(M: Mat): { values: Float64Array; vectors: Mat } {
  const e = symEig(M);
  const top = Math.max(...Array.from(e.values, Math.abs), 0);
  if (e.values.some((v) => v < -1e-10 * top)) throw new OptionError('the Tikhonov prior matrix Λ must be positive semidefinite', { field: 'prior' });
  return e;
}

class OLS extends LinearModel {
  protected solve(P: Prepared): Float64Array {
    const { x, rank, s } = lstsqMinNorm(P.X, P.y, this.params.rcond as number);
    this.info = { rank, conditionNumber: s[0]! / s[s.length - 1]! };
    return x;
  }
}

registerMethod({
  name: 'ols',
  summary: 'ordinary least squares, minimum-norm solution (rank-deficient safe, SVD)',
  params: {
    fit_intercept: FIT_INTERCEPT,
    rcond: { type: 'number', default: 1e-12, min: 0, description: 'singular values below rcond·s_max count as zero' },
  },
  create: (params) => new OLS('ols', params),
});

class Ridge extends LinearModel {
  protected solve(P: Prepared): Float64Array {
    const { w, jitter } = penalizedLstsq(P.X, P.y, Mat.identity(P.X.cols, this.params.alpha as number));
    if (jitter) this.info = { jitter };
    return w;
  }
}

registerMethod({
  name: 'ridge',
  summary: 'ridge regression ‖y − Xw‖² + α‖w‖² (sklearn Ridge objective)',
  params: { alpha: { type: 'number', default: 1, min: 0, description: 'ℓ2 penalty α' }, fit_intercept: FIT_INTERCEPT },
  create: (params) => new Ridge('ridge', params),
});

export class Tikhonov extends LinearModel {
  private readonly prior: Mat | null;
  constructor(params: Params, prior?: Mat) {
    super('tikhonov', params);
    this.prior = prior ?? null;
  }

  protected solve(P: Prepared): Float64Array {
    const p = P.X.cols;
    const L = this.prior ?? priorFromParams(this.params, p);
    if (L.rows !== p || L.cols !== p) throw new InputError(`Tikhonov prior is ${L.rows}×${L.cols}, the data have ${p} features`, { field: 'prior' });
    const scaled = new Mat(p, p, L.data.map((v) => v * (this.params.alpha as number)));
    const { w, jitter } = penalizedLstsq(P.X, P.y, scaled);
    if (jitter) this.info = { jitter };
    return w;
  }
}

function priorFromParams(params: Params, p: number): Mat {
  const file = params.prior_file as string | undefined;
  if (file) {
    let obj: { matrix?: number[][]; diag?: number[] };
    try {
      obj = readJsonFile(file) as typeof obj;
    } catch (e) {
      throw new InputError(`cannot read Tikhonov prior: ${(e as Error).message}`, { file, field: 'prior_file' });
    }
    if (Array.isArray(obj.matrix)) return symmetricCheck(Mat.fromRows(obj.matrix, 'prior matrix'), file);
    if (Array.isArray(obj.diag)) return diagMat(obj.diag);
    throw new InputError(`expected {"matrix": [[…]]} or {"diag": […]}`, { file, field: 'prior_file' });
  }
  const v = params.prior as number[] | undefined;
  if (!v) return Mat.identity(p);
  if (v.length === p) return diagMat(v);
  if (v.length === p * p) return symmetricCheck(new Mat(p, p, Float64Array.from(v)), 'prior');
  throw new OptionError(`prior has ${v.length} values; expected ${p} (diagonal) or ${p * p} (full matrix)`, { field: 'tikhonov.prior' });
}

function diagMat(d: number[]): Mat {
  const m = new Mat(d.length, d.length);
  d.forEach((v, i) => (m.data[i * d.length + i] = v));
  return m;
}

function symmetricCheck(M: Mat, where: string): Mat {
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < i; j++) {
    if (Math.abs(M.get(i, j) - M.get(j, i)) > 1e-12 * (Math.abs(M.get(i, j)) + 1)) throw new InputError(`prior matrix is not symmetric at (${i}, ${j})`, { file: where });
  }
  return M;
}

registerMethod({
  name: 'tikhonov',
  summary: 'generalized Tikhonov ‖y − Xw‖² + α·wᵀΛw with a prior matrix Λ (see buildTikhonovPrior)',
  params: {
    alpha: { type: 'number', default: 1, min: 0, description: 'overall scale of Λ' },
    prior: { type: 'numbers', description: 'Λ: p values (diagonal) or p·p values (row-major full matrix)' },
    prior_file: { type: 'string', description: 'JSON file {"matrix": [[…]]} or {"diag": […]} holding Λ' },
    fit_intercept: FIT_INTERCEPT,
  },
  create: (params) => new Tikhonov(params),
});

export interface ClusterDescriptor {
  /** Number of sites in the cluster (1 = point, 2 = pair, …). */
  size: number;
  /** Maximum site–site distance (Å); 0 for points. */
  diameter: number;
}

export interface PriorOptions {
  /** Base strength λ₀ for a pair of zero diameter. */
  lambda0?: number;
  /** Strength grows by this factor per extra site (interactions decay with the number of bodies). */
  sizeFactor?: number;
  /** Strength grows as exp(diameter / lengthScale) (interactions decay with distance). */
  lengthScale?: number;
  /** Coupling λ_αβ = coupling·exp(−|d_α − d_β| / couplingScale) between orbits of equal size. */
  coupling?: number;
  couplingScale?: number;
}

/**
 * Λ from cluster size and diameter (seed 002): λ_α = λ₀·sizeFactor^(size−2)·exp(d/ℓ) on the
 * diagonal (bigger/longer clusters are pulled harder to zero), and, for orbits of equal size,
 * couplings λ_αβ that pull similar ECIs together: Λ_αα = λ_α + Σ_β λ_αβ, Λ_αβ = −λ_αβ.
 * Λ is then symmetric positive semidefinite (diagonal part + graph Laplacian).
 */
export function buildTikhonovPrior(clusters: ClusterDescriptor[], o: PriorOptions = {}): Mat {
  const { lambda0 = 1, sizeFactor = 4, lengthScale = 2, coupling = 0, couplingScale = 0.5 } = o;
  const p = clusters.length;
  const L = new Mat(p, p);
  clusters.forEach((c, a) => {
    L.data[a * p + a] = lambda0 * sizeFactor ** (c.size - 2) * Math.exp(c.diameter / lengthScale);
  });
  if (coupling > 0) {
    for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) {
      if (clusters[a]!.size !== clusters[b]!.size) continue;
      const lab = coupling * Math.exp(-Math.abs(clusters[a]!.diameter - clusters[b]!.diameter) / couplingScale);
      L.data[a * p + b] -= lab;
      L.data[b * p + a] -= lab;
      L.data[a * p + a] += lab;
      L.data[b * p + b] += lab;
    }
  }
  return L;
}
