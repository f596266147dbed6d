/**
 * The other methods against outside references: OMP and Huber vs scikit-learn (fixture), OLS
 * minimum-norm on a rank-deficient design vs the pseudo-inverse built by hand, Tikhonov limits
 * (seed 002: Λ → 0 is OLS, Λ = αI is ridge, huge coupling forces equal ECIs), correlated errors
 * (diagonal Σ = weights 1/σ², full Σ = OLS on whitened data), RFE recovering a planted support,
 * adaptive lasso support, JSON round trip.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { buildTikhonovPrior, Tikhonov } from '../../src/fit/methods/ridge.ts';
import { createEstimator, resolveParams } from '../../src/fit/registry.ts';
import { estimatorFromJSON } from '../../src/fit/serialize.ts';
import { bootstrapEnsemble, capacityCurve } from '../../src/fit/selection/curves.ts';
import { learningCurve } from '../../src/fit/selection/learning-curve.ts';
import { kfold } from '../../src/fit/selection/splits.ts';
import { refs, relErr } from './helpers.ts';

const R = refs();
const X = Mat.fromRows(R.synthetic.X), y = Float64Array.from(R.synthetic.y);

test('OMP equals scikit-learn OrthogonalMatchingPursuit (support, coefficients, intercept)', () => {
  const ref = R.extra.omp;
  const est = createEstimator('omp', { n_nonzero_coefs: ref.n_nonzero_coefs }).fit(X, y);
  assert.ok(relErr(est.coef, ref.coef) < 1e-9);
  assert.ok(Math.abs(est.intercept - ref.intercept) < 1e-9);
});

test('Huber regression: same optimum as scikit-learn HuberRegressor within its L-BFGS accuracy', () => {
  const y2 = y.slice();
  for (let i = 0; i < y2.length; i += 10) y2[i] += 5;
  const est = createEstimator('huber').fit(X, y2);
  const ref = R.extra.huber;
  assert.ok(relErr(est.coef, ref.coef) < 2e-3, `coef rel err ${relErr(est.coef, ref.coef)}`);
  assert.ok(Math.abs((est.info.scale as number) - ref.scale) / ref.scale < 1e-3);
  // Outliers are down-weighted: OLS intercept is pulled up by ≈ 5/10, Huber's is not.
  const ols = createEstimator('ols').fit(X, y2);
  assert.ok(Math.abs(est.intercept - ref.intercept) < 1e-3 && ols.intercept - est.intercept > 0.3);
});

test('OLS on a rank-deficient design gives the minimum-norm solution (pseudo-inverse by hand)', () => {
  // Columns: a, b, a + b (rank 2); no intercept so the pseudo-inverse is of X itself.
  const rng = new Rng(5);
  const rows = Array.from({ length: 12 }, () => {
    const a = rng.normal(), b = rng.normal();
    return [a, b, a + b];
  });
  const Xd = Mat.fromRows(rows);
  const yd = Float64Array.from(rows, (r) => 2 * r[0]! - r[1]! + 0.01 * rng.normal());
  const est = createEstimator('ols', { fit_intercept: false }).fit(Xd, yd);
  // Min-norm solution lies in the row space: orthogonal to the null vector (1, 1, −1).
  assert.ok(Math.abs(est.coef[0]! + est.coef[1]! - est.coef[2]!) < 1e-10);
  // And it fits as well as the 2-column least squares on (a, b).
  const two = createEstimator('ols', { fit_intercept: false }).fit(Xd.selectCols([0, 1]), yd);
  const pa = est.predict(Xd), pb = two.predict(Xd.selectCols([0, 1]));
  for (let i = 0; i < 12; i++) assert.ok(Math.abs(pa[i]! - pb[i]!) < 1e-10);
  assert.equal(est.info.rank, 2);
});

test('Tikhonov limits (seed 002): Λ = αI is ridge; strong coupling forces equal ECIs', () => {
  const p = X.cols;
  const ridge = createEstimator('ridge', { alpha: 0.7 }).fit(X, y);
  const tik = createEstimator('tikhonov', { alpha: 0.7 }).fit(X, y);
  assert.ok(relErr(tik.coef, ridge.coef) < 1e-12);
  const lam = buildTikhonovPrior(Array.from({ length: p }, (_, j) => ({ size: j < 2 ? 2 : 3, diameter: j < 2 ? 3 : 4 + j })), { lambda0: 1e-6, coupling: 1e6, couplingScale: 1e3 });
  const coupled = new Tikhonov(resolveParams('tikhonov', { alpha: 1 }), lam).fit(X, y);
  assert.ok(Math.abs(coupled.coef[0]! - coupled.coef[1]!) < 1e-4 * Math.abs(coupled.coef[0]!) + 1e-8, `${coupled.coef[0]} vs ${coupled.coef[1]}`);
});

test('correlated errors: diagonal Σ equals weights 1/σ²; full Σ equals OLS on hand-whitened data', () => {
  const n = X.rows;
  const rng = new Rng(9);
  const sig2 = Float64Array.from({ length: n }, () => 0.5 + rng.next());
  const S = new Mat(n, n);
  for (let i = 0; i < n; i++) S.data[i * n + i] = sig2[i]!;
  const a = createEstimator('ridge', { alpha: 0.3 }).fit(X, y, { errorCovariance: S });
  const b = createEstimator('ridge', { alpha: 0.3 }).fit(X, y, { sampleWeight: sig2.map((v) => 1 / v) });
  assert.ok(relErr(a.coef, b.coef) < 1e-10 && Math.abs(a.intercept - b.intercept) < 1e-10);
  // AR(1) covariance; whiten by hand with its Cholesky factor and fit [1, X] without intercept.
  const F = new Mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) F.data[i * n + j] = 0.01 * 0.6 ** Math.abs(i - j);
  const est = createEstimator('ols').fit(X, y, { errorCovariance: F });
  const L = new Mat(n, n);
  for (let j = 0; j < n; j++) {
    let d = F.get(j, j);
    for (let k = 0; k < j; k++) d -= L.get(j, k) ** 2;
    L.set(j, j, Math.sqrt(d));
    for (let i = j + 1; i < n; i++) {
      let s = F.get(i, j);
      for (let k = 0; k < j; k++) s -= L.get(i, k) * L.get(j, k);
      L.set(i, j, s / L.get(j, j));
    }
  }
  const Z = new Mat(n, X.cols + 1);
  for (let i = 0; i < n; i++) { Z.set(i, 0, 1); for (let j = 0; j < X.cols; j++) Z.set(i, j + 1, X.get(i, j)); }
  const solveL = (b: Float64Array) => { const o = new Float64Array(n); for (let i = 0; i < n; i++) { let s = b[i]!; for (let k = 0; k < i; k++) s -= L.get(i, k) * o[k]!; o[i] = s / L.get(i, i); } return o; };
  const Zw = new Mat(n, X.cols + 1);
  for (let j = 0; j <= X.cols; j++) { const c = solveL(Z.col(j)); for (let i = 0; i < n; i++) Zw.set(i, j, c[i]!); }
  const ref = createEstimator('ols', { fit_intercept: false }).fit(Zw, solveL(y));
  assert.ok(Math.abs(ref.coef[0]! - est.intercept) < 1e-9);
  assert.ok(relErr(est.coef, ref.coef.slice(1)) < 1e-9);
});

test('RFE with CV and adaptive lasso recover a planted sparse support', () => {
  const rng = new Rng(11);
  const n = 120, p = 15;
  const Xp = new Mat(n, p);
  for (let k = 0; k < n * p; k++) Xp.data[k] = rng.normal();
  const truth = [0, 3, 7];
  const yp = Float64Array.from({ length: n }, (_, i) => 1 + 2 * Xp.get(i, 0) - 1.5 * Xp.get(i, 3) + Xp.get(i, 7) + 0.05 * rng.normal());
  const rfe = createEstimator('rfe', { estimator: 'ols' }).fit(Xp, yp);
  const support = [...rfe.coef.keys()].filter((j) => rfe.coef[j] !== 0);
  assert.ok(truth.every((j) => support.includes(j)), `support ${support}`);
  // The CV curve: 3 features (the truth) already at the optimum noise level, 2 far worse.
  const curve = rfe.info.curve as { nFeatures: number; cv: number }[];
  const cvAt = (k: number) => curve.find((c) => c.nFeatures === k)!.cv;
  assert.ok(cvAt(3) < 1.05 * (rfe.info.cvRmse as number) && cvAt(2) > 5 * cvAt(3), `cv(3) ${cvAt(3)}, cv(2) ${cvAt(2)}`);
  const al = createEstimator('adaptive-lasso', { alpha: 0.01, tol: 1e-10 }).fit(Xp, yp);
  assert.deepEqual([...al.coef.keys()].filter((j) => al.coef[j] !== 0), truth);
});

test('curves and bootstrap: shapes, monotone trends, seeded reproducibility; JSON round trip', () => {
  const lc = learningCurve('ridge', { alpha: 0.1 }, {}, X, y, [20, 40, 60], { repeats: 5, seed: 1 });
  assert.ok(lc[0]!.cv > lc[2]!.cv, 'more data, lower test error');
  const groups = Int32Array.from({ length: X.cols }, (_, j) => Math.floor(j / 5));
  const cc = capacityCurve('ridge', { alpha: 0.1 }, groups, X, y, kfold(X.rows, 4, new Rng(2)));
  assert.equal(cc.length, 6);
  assert.equal(cc[5]!.nFeatures, X.cols);
  const b1 = bootstrapEnsemble('ridge', { alpha: 0.1 }, {}, X, y, 20, 4), b2 = bootstrapEnsemble('ridge', { alpha: 0.1 }, {}, X, y, 20, 4);
  assert.deepEqual(b1.coefStd, b2.coefStd);
  assert.ok(b1.coefStd.every((s) => s > 0));
  const est = createEstimator('lasso', { alpha: 0.01 }).fit(X, y);
  const back = estimatorFromJSON(JSON.parse(JSON.stringify(est.toJSON())));
  assert.deepEqual(back.predict(X), est.predict(X));
});
