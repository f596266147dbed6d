/**
 * Greedy feature selection: orthogonal matching pursuit (sklearn OrthogonalMatchingPursuit:
 * add the column most correlated with the residual, refit least squares on the selected set)
 * and recursive feature elimination with cross-validation choosing the count (sklearn RFECV:
 * per fold, drop the feature(s) with the smallest |coefficient| of the base estimator, score
 * every count on the held-out fold; the count with the lowest Eq. 10 CV wins; then eliminate
 * on all data down to that count).
 */
import { OptionError } from '../../core/errors.ts';
import { lstsqMinNorm } from '../../core/linalg.ts';
import type { Mat } from '../../core/matrix.ts';
import { Rng } from '../../core/rng.ts';
import type { Params } from '../estimator.ts';
import { FIT_INTERCEPT, LinearModel } from '../linear-model.ts';
import type { Prepared } from '../prepare.ts';
import { registerMethod } from '../method-spec.ts';
// RFE's inner fits go through the filled registry; this import cycle is safe because the
// registry is only called at fit time, after every method module has loaded.
import { createEstimator } from '../registry.ts';
import { kfold } from '../selection/splits.ts';

class OMP extends LinearModel {
  protected solve(P: Prepared): Float64Array {
    const X = P.X, y = P.y, n = X.rows, p = X.cols;
    const k = (this.params.n_nonzero_coefs as number | undefined) ?? Math.max(Math.floor(0.1 * p), 1);
    const tol = this.params.tol as number | undefined;
    if (k > Math.min(n, p)) throw new OptionError(`n_nonzero_coefs = ${k} exceeds min(n_samples, n_features) = ${Math.min(n, p)}`, { field: 'omp.n_nonzero_coefs' });
    const S: number[] = [];
    const r = y.slice();
    let coefS: Float64Array = new Float64Array(0);
    const w = new Float64Array(p);
    for (let step = 0; step < (tol !== undefined ? Math.min(n, p) : k); step++) {
      let rr = 0;
      for (const v of r) rr += v * v;
      if (tol !== undefined && rr <= tol) break;
      let best = -1, bestVal = 0;
      for (let j = 0; j < p; j++) {
        if (S.includes(j)) continue;
        let c = 0;
        for (let i = 0; i < n; i++) c += X.data[i * p + j]! * r[i]!;
        if (Math.abs(c) > bestVal) {
          bestVal = Math.abs(c);
          best = j;
        }
      }
      if (best < 0 || bestVal <= 1e-14) break;
      S.push(best);
      coefS = lstsqMinNorm(X.selectCols(S), y).x;
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let t = 0; t < S.length; t++) f += X.data[i * p + S[t]!]! * coefS[t]!;
        r[i] = y[i]! - f;
      }
    }
    S.forEach((j, t) => (w[j] = coefS[t]!));
    this.info = { selected: S, nNonzero: S.length };
    return w;
  }
}

registerMethod({
  name: 'omp',
  summary: 'orthogonal matching pursuit (sklearn OrthogonalMatchingPursuit)',
  params: {
    n_nonzero_coefs: { type: 'integer', min: 1, description: 'number of features to select (default max(10% of p, 1))' },
    tol: { type: 'number', min: 0, description: 'stop when ‖r‖² ≤ tol instead (overrides n_nonzero_coefs)' },
    fit_intercept: FIT_INTERCEPT,
  },
  create: (params) => new OMP('omp', params),
});

class RFE extends LinearModel {
  constructor(params: Params) {
    super('rfe', params);
  }

  /** Elimination order on (X, y): returns feature sets from all features down to min_features. */
  private eliminate(X: Mat, y: Float64Array, onSet?: (set: number[], est: { coef: Float64Array; intercept: number }) => void): void {
    const base = this.params.estimator as string, alpha = this.params.alpha as number;
    const step = this.params.step as number;
    const minF = this.params.min_features as number;
    let set = Array.from({ length: X.cols }, (_, j) => j);
    for (;;) {
      const est = createEstimator(base, base === 'ols' ? { fit_intercept: false } : { alpha, fit_intercept: false }).fit(X.selectCols(set), y);
      onSet?.(set, est);
      if (set.length <= minF) break;
      const drop = Math.max(1, step >= 1 ? Math.floor(step) : Math.floor(step * set.length));
      const order = set.map((j, t) => [j, Math.abs(est.coef[t]!)] as const).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      const gone = new Set(order.slice(0, Math.min(drop, set.length - minF)).map((o) => o[0]));
      set = set.filter((j) => !gone.has(j));
    }
  }

  protected solve(P: Prepared): Float64Array {
    const X = P.X, y = P.y, p = X.cols;
    const folds = kfold(X.rows, this.params.cv as number, new Rng(this.params.seed as number));
    const mse = new Map<number, number[]>();
    for (const f of folds) {
      const Xtr = X.selectRows(f.train), ytr = Float64Array.from(f.train, (i) => y[i]!);
      // Center the fold (P is centered on all data; the fold mean differs slightly).
      this.eliminate(Xtr, ytr, (set, est) => {
        let se = 0;
        for (const i of f.test) {
          let pr = 0;
          set.forEach((j, t) => (pr += X.data[i * p + j]! * est.coef[t]!));
          se += (y[i]! - pr) ** 2;
        }
        if (!mse.has(set.length)) mse.set(set.length, []);
        mse.get(set.length)!.push(se / f.test.length);
      });
    }
    let bestCount = p, bestCv = Infinity;
    const curve: { nFeatures: number; cv: number }[] = [];
    for (const [count, list] of [...mse.entries()].sort((a, b) => a[0] - b[0])) {
      const cv = Math.sqrt(list.reduce((a, b) => a + b, 0) / list.length);
      curve.push({ nFeatures: count, cv });
      if (cv < bestCv) {
        bestCv = cv;
        bestCount = count;
      }
    }
    const w = new Float64Array(p);
    this.eliminate(X, y, (set, est) => {
      if (set.length === bestCount) set.forEach((j, t) => (w[j] = est.coef[t]!));
    });
    this.info = { nFeatures: bestCount, cvRmse: bestCv, curve };
    return w;
  }
}

registerMethod({
  name: 'rfe',
  summary: 'recursive feature elimination; k-fold CV (Eq. 10) chooses the number of features (sklearn RFECV)',
  params: {
    estimator: { type: 'string', default: 'ridge', choices: ['ridge', 'ols'], description: 'base estimator ranking the features by |coef|' },
    alpha: { type: 'number', default: 1e-6, min: 0, description: 'ridge strength of the base estimator' },
    step: { type: 'number', default: 1, gt: 0, description: 'features removed per round (≥ 1) or fraction of the remaining (< 1)' },
    min_features: { type: 'integer', default: 1, min: 1, description: 'smallest model considered' },
    cv: { type: 'integer', default: 5, min: 2, description: 'folds for choosing the count' },
    seed: { type: 'integer', default: 0, description: 'seed of the folds' },
    fit_intercept: FIT_INTERCEPT,
  },
  create: (params) => new RFE(params),
});
