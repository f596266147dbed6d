import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core/errors.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { cvNoise, fitEnsemble, predictEnsemble } from '../../src/loop/ensemble.ts';

/** y = 0.3 + X·β + ε, ε ~ N(0, σ²): rows with a constant first column, as CE feature rows. */
function linearData(n: number, p: number, sigma: number, rng: Rng, beta: Float64Array): { X: Mat; y: Float64Array } {
  const X = new Mat(n, p + 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X.data[i * (p + 1)] = 1;
    let f = 0.3;
    for (let j = 0; j < p; j++) {
      const v = rng.uniform(-1, 1);
      X.data[i * (p + 1) + j + 1] = v;
      f += v * beta[j]!;
    }
    y[i] = f + sigma * rng.normal();
  }
  return { X, y };
}

test('bootstrap σ on linear data with known noise: ±1σ covers ≈ 68 % of fresh errors; σ_noise ≈ the true noise', () => {
  const rng = new Rng(11);
  const p = 6, sigma = 0.1;
  const beta = Float64Array.from({ length: p }, () => rng.normal());
  const inside: number[] = [], noise: number[] = [];
  let total = 0;
  for (let rep = 0; rep < 8; rep++) {
    const train = linearData(40, p, sigma, rng, beta);
    const testSet = linearData(200, p, sigma, rng, beta);
    const ens = fitEnsemble({ method: 'ols', params: {} }, train.X, train.y, { nBootstrap: 40, seed: rep });
    const pr = predictEnsemble(ens, testSet.X);
    let k = 0;
    pr.mean.forEach((m, i) => (k += Math.abs(m - testSet.y[i]!) <= pr.sigma[i]! ? 1 : 0));
    inside.push(k);
    total += testSet.X.rows;
    noise.push(ens.sigmaNoise);
    // the ensemble spread is the estimation error of a 40-row, 7-parameter OLS fit: for the
    // average row σ·sqrt(p/n) ≈ 0.42σ (OLS variance xᵀ(XᵀX)⁻¹x σ²), so between 0.2σ and 0.8σ
    const meanSpread = pr.sigmaEnsemble.reduce((a, b) => a + b, 0) / pr.sigmaEnsemble.length;
    assert.ok(meanSpread > 0.2 * sigma && meanSpread < 0.8 * sigma, `mean σ_ens ${meanSpread}`);
  }
  const frac = inside.reduce((a, b) => a + b, 0) / total;
  // 1600 test errors: a correct σ gives 0.683 ± 0.012 (binomial SE); allow a few SE either way
  assert.ok(frac > 0.63 && frac < 0.74, `coverage ${frac}`);
  const meanNoise = noise.reduce((a, b) => a + b, 0) / noise.length;
  assert.ok(Math.abs(meanNoise - sigma) < 0.02, `σ_noise ${meanNoise}`);
});

test('CV noise is the k-fold RMSE; ensembles refuse too few rows or members', () => {
  const rng = new Rng(2);
  const beta = Float64Array.of(1, -2);
  const { X, y } = linearData(30, 2, 0.05, rng, beta);
  const r = cvNoise({ method: 'ols', params: {} }, X, y, 5, 0);
  assert.ok(r > 0.03 && r < 0.08, `cv rmse ${r}`);
  assert.throws(() => fitEnsemble({ method: 'ols', params: {} }, X, y, { nBootstrap: 1 }), OptionError);
  assert.throws(() => fitEnsemble({ method: 'ols', params: {} }, X.selectRows([0, 1, 2]), y.slice(0, 3)), OptionError);
});
