import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { errorMetrics } from '../../src/core/stats.ts';
import { LinearRegression } from '../../src/learn/linear.ts';
import { Mlp } from '../../src/learn/mlp.ts';

function inputs(n: number, d: number, seed: number): Mat {
  const rng = new Rng(seed);
  const X = new Mat(n, d);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.normal();
  return X;
}

test('linear regression recovers planted coefficients and intercept', () => {
  const X = inputs(30, 3, 1);
  const y = Float64Array.from({ length: 30 }, (_, i) => 1.5 - 2 * X.get(i, 0) + 0.25 * X.get(i, 1) + 3 * X.get(i, 2));
  const m = new LinearRegression().fit(X, y);
  assert.ok(Math.abs(m.intercept - 1.5) < 1e-12);
  [-2, 0.25, 3].forEach((c, j) => assert.ok(Math.abs(m.coef[j]! - c) < 1e-12));
});

test('Levenberg–Marquardt fits a function a 1-neuron tanh network represents exactly', () => {
  const X = inputs(50, 2, 2);
  const y = Float64Array.from({ length: 50 }, (_, i) => 1 + 2 * Math.tanh(0.8 * X.get(i, 0) - 0.5 * X.get(i, 1) + 0.2));
  const m = new Mlp({ neurons: 1, epochs: 500, seed: 0 }).fit(X, y);
  assert.ok(errorMetrics(y, m.predict(X)).rmse < 1e-6, JSON.stringify(m.info));
  // Deterministic for a seed.
  const m2 = new Mlp({ neurons: 1, epochs: 500, seed: 0 }).fit(X, y);
  assert.deepEqual(Array.from(m.predict(X)), Array.from(m2.predict(X)));
});
