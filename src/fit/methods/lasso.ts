/**
 * Lasso, elastic net and adaptive lasso with scikit-learn's objective and parameter names:
 * 1/(2n)‖y − Xw‖² + α·l1_ratio‖w‖₁ + α(1 − l1_ratio)/2‖w‖². Defaults follow sklearn except
 * max_iter (10000 epochs over the working set instead of 1000 over all features: CE matrices
 * are ill-conditioned and a fit must reach its duality-gap tolerance; info.converged says
 * whether it did).
 */
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod, type ParamSpec } from '../method-spec.ts';
import { EnetProblem, alphaGrid, alphaMax, enetPath, enetSolve } from '../solvers/enet-cd.ts';
import { Mat } from '../../core/matrix.ts';
import { penalizedLstsq } from './ridge.ts';

const COMMON: Record<string, ParamSpec> = {
  alpha: { type: 'number', default: 1, min: 0, description: 'overall penalty strength α' },
  fit_intercept: FIT_INTERCEPT,
  tol: { type: 'number', default: 1e-4, gt: 0, description: 'duality-gap tolerance, relative to ‖y − ȳ‖² (sklearn)' },
  max_iter: { type: 'integer', default: 10000, min: 1, description: 'maximum coordinate-descent epochs' },
  positive: { type: 'boolean', default: false, description: 'constrain coefficients to be ≥ 0' },
};

export class ElasticNet extends LinearModel {
  protected override normalizeWeights = true;
  constructor(method: string, params: Params) {
    super(method, params);
  }

  protected l1Ratio(): number {
    return this.method === 'lasso' ? 1 : (this.params.l1_ratio as number);
  }

  protected solve(P: Prepared): Float64Array {
    const alpha = this.params.alpha as number, l1 = this.l1Ratio();
    const prob = new EnetProblem(P.X, P.y);
    const opts = { tol: this.params.tol as number, maxIter: this.params.max_iter as number, positive: this.params.positive as boolean };
    const aMax = l1 > 0 ? alphaMax(prob, l1) : 0;
    if (!prob.hasFullGram && l1 > 0 && alpha < aMax) {
      // Wide problem, cold start: a short warm-started path from alpha_max keeps the working
      // sets (and the Gram entries they need) small; the last point is the requested fit.
      const steps = Math.min(100, Math.ceil(10 * Math.log10(aMax / alpha)) + 1);
      const grid = alphaGrid(aMax, steps + 1, alpha / aMax);
      grid[grid.length - 1] = alpha;
      const path = enetPath(prob, grid, l1, opts);
      const last = path[path.length - 1]!;
      this.info = { ...last.result, pathPoints: grid.length };
      return last.coef;
    }
    const w = new Float64Array(P.X.cols);
    const res = enetSolve(prob, P.n * alpha * l1, P.n * alpha * (1 - l1), w, opts);
    this.info = { ...res };
    return w;
  }
}

registerMethod({
  name: 'lasso',
  summary: 'ℓ1-penalized least squares (coordinate descent, strong rules, duality-gap stop; sklearn Lasso objective)',
  params: COMMON,
  create: (params) => new ElasticNet('lasso', params),
});

registerMethod({
  name: 'elastic-net',
  summary: 'ℓ1 + ℓ2 penalized least squares (sklearn ElasticNet objective)',
  params: { ...COMMON, l1_ratio: { type: 'number', default: 0.5, min: 0, max: 1, description: 'mix: 1 = lasso, 0 = ridge' } },
  create: (params) => new ElasticNet('elastic-net', params),
});

/**
 * Adaptive lasso (Zou 2006): weights v_j = 1/(|ŵ_j| + ε)^γ from a ridge pilot fit, then a
 * lasso on X_j / v_j. Iterating (n_iter > 1) re-weights from the previous lasso (a
 * reweighted-ℓ1 scheme that approaches an ℓ0-like penalty).
 */
class AdaptiveLasso extends LinearModel {
  protected override normalizeWeights = true;
  protected solve(P: Prepared): Float64Array {
    const { alpha, gamma, eps, tol, max_iter: maxIter, n_iter: nIter, pilot_alpha: pilotAlpha } = this.params as Record<string, number>;
    const n = P.X.rows, p = P.X.cols;
    // Ridge pilot on the centered problem (‖y − Xw‖² + pilot_alpha‖w‖²), via CD with l1 = 0.
    let w = penalizedLstsq(P.X, P.y, Mat.identity(p, pilotAlpha!)).w;
    const Xs = P.X.clone();
    let res: ReturnType<typeof enetSolve> | undefined;
    const scale = new Float64Array(p);
    for (let it = 0; it < nIter!; it++) {
      for (let j = 0; j < p; j++) scale[j] = (Math.abs(w[j]!) + eps!) ** gamma!;
      for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xs.data[i * p + j] = P.X.data[i * p + j]! * scale[j]!;
      const prob = new EnetProblem(Xs, P.y);
      const u = new Float64Array(p);
      res = enetSolve(prob, n * alpha!, 0, u, { tol: tol!, maxIter: maxIter! });
      w = u.map((v, j) => v * scale[j]!);
    }
    this.info = { ...res, weights: Array.from(scale, (s) => 1 / s) };
    return w;
  }
}

registerMethod({
  name: 'adaptive-lasso',
  summary: 'adaptive (reweighted) lasso: penalty Σ|w_j|/(|ŵ_j|+ε)^γ with ŵ from a ridge pilot fit',
  params: {
    ...COMMON,
    gamma: { type: 'number', default: 1, gt: 0, description: 'exponent γ of the adaptive weights' },
    eps: { type: 'number', default: 1e-6, gt: 0, description: 'ε keeping weights of zero pilot coefficients finite' },
    pilot_alpha: { type: 'number', default: 1e-6, min: 0, description: 'ridge strength of the pilot fit (‖y−Xw‖² + pilot_alpha‖w‖²)' },
    n_iter: { type: 'integer', default: 1, min: 1, description: 'reweighting rounds' },
  },
  create: (params) => new AdaptiveLasso('adaptive-lasso', params),
});
