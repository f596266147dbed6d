/**
 * The learning curve and the bootstrap ensemble against a hand loop: the same seeded index sets
 * (drawn here from core Rng exactly as documented), ridge solved here by its normal equations on
 * centered data, RMSE and mean/std computed here.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { luSolve } from '../../src/core/linalg.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { bootstrapEnsemble } from '../../src/fit/selection/curves.ts';
import { learningCurve } from '../../src/fit/selection/learning-curve.ts';

const rng0 = new Rng(21);
const n = 60, p = 5;
const X = new Mat(n, p, Float64Array.from({ length: n * p }, () => rng0.normal()));
const y = Float64Array.from({ length: n }, (_, i) => 1.5 + X.data[i * p]! - 0.5 * X.data[i * p + 3]! + 0.3 * rng0.normal());
const ALPHA = 0.7;

/** sklearn Ridge with intercept: center X and y on the rows, solve (XcᵀXc + αI)w = Xcᵀyc. */
function ridgeByHand(rows: ArrayLike<number>): { w: number[]; b: number } {
  const m = rows.length;
  const xm = Array.from({ length: p }, (_, j) => Array.from(rows, (i) => X.data[i * p + j]!).reduce((a, v) => a + v, 0) / m);
  const ym = Array.from(rows, (i) => y[i]!).reduce((a, v) => a + v, 0) / m;
  const A = new Mat(p, p), rhs = new Float64Array(p);
  for (const i of Array.from(rows)) {
    for (let j = 0; j < p; j++) {
      const xj = X.data[i * p + j]! - xm[j]!;
      rhs[j] += xj * (y[i]! - ym);
      for (let k = 0; k < p; k++) A.data[j * p + k] += xj * (X.data[i * p + k]! - xm[k]!);
    }
  }
  for (let j = 0; j < p; j++) A.data[j * p + j] += ALPHA;
  const w = Array.from(luSolve(A, rhs));
  return { w, b: ym - w.reduce((a, wj, j) => a + wj * xm[j]!, 0) };
}
const predict = (f: { w: number[]; b: number }, i: number) => f.b + f.w.reduce((a, wj, j) => a + wj * X.data[i * p + j]!, 0);
const rmse = (f: { w: number[]; b: number }, rows: ArrayLike<number>) => Math.sqrt(Array.from(rows, (i) => (predict(f, i) - y[i]!) ** 2).reduce((a, v) => a + v, 0) / rows.length);
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sampleStd = (a: number[]) => Math.sqrt(a.reduce((s, v) => s + (v - mean(a)) ** 2, 0) / (a.length - 1));

test('learning curve = hand loop: per repeat one permutation, round(0.2·n) held out first, nested training prefixes', () => {
  const sizes = [12, 24, 48], repeats = 4, seed = 9;
  const lc = learningCurve('ridge', { alpha: ALPHA }, {}, X, y, sizes, { repeats, seed });
  const nTest = Math.round(0.2 * n);
  const rng = new Rng(seed);
  const perRepeat = Array.from({ length: repeats }, () => rng.permutation(n));
  sizes.forEach((m, k) => {
    const train: number[] = [], test: number[] = [];
    for (const perm of perRepeat) {
      const fit = ridgeByHand(perm.subarray(nTest, nTest + m));
      train.push(rmse(fit, perm.subarray(nTest, nTest + m)));
      test.push(rmse(fit, perm.subarray(0, nTest)));
    }
    const pt = lc[k]!;
    assert.equal(pt.nTrain, m);
    assert.ok(Math.abs(pt.train - mean(train)) < 1e-10, `train ${pt.train} vs ${mean(train)}`);
    assert.ok(Math.abs(pt.cv - mean(test)) < 1e-10, `held-out ${pt.cv} vs ${mean(test)}`);
    assert.ok(Math.abs(pt.cvStd! - sampleStd(test)) < 1e-10);
  });
});

test('bootstrap ensemble = hand loop: n draws with replacement per resample, ECI mean and sample std', () => {
  const B = 15, seed = 4;
  const res = bootstrapEnsemble('ridge', { alpha: ALPHA }, {}, X, y, B, seed);
  const rng = new Rng(seed);
  const fits = Array.from({ length: B }, () => ridgeByHand(Int32Array.from({ length: n }, () => rng.int(n))));
  for (let j = 0; j < p; j++) {
    const col = fits.map((f) => f.w[j]!);
    assert.ok(Math.abs(res.coefMean[j]! - mean(col)) < 1e-10, `coef ${j} mean`);
    assert.ok(Math.abs(res.coefStd[j]! - sampleStd(col)) < 1e-10, `coef ${j} std`);
  }
  assert.ok(Math.abs(res.interceptMean - mean(fits.map((f) => f.b))) < 1e-10);
  const spread = (i: number) => sampleStd(fits.map((f) => predict(f, i)));
  for (const i of [0, 17, 59]) assert.ok(Math.abs(res.predictionStd[i]! - spread(i)) < 1e-10, `prediction std at ${i}`);
});
