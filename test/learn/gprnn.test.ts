import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { errorMetrics } from '../../src/core/stats.ts';
import { GaussianProcess } from '../../src/learn/gpr.ts';
import { GprNn } from '../../src/learn/gprnn.ts';
import { Stationary, White, sum } from '../../src/learn/kernels.ts';

function data(n: number, seed: number, f: (x: Float64Array) => number, d = 3) {
  const rng = new Rng(seed);
  const X = new Mat(n, d);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.uniform(-1, 3);
  return { X, y: Float64Array.from({ length: n }, (_, i) => f(X.row(i))) };
}
const target = (x: Float64Array) => Math.sin(2 * x[0]!) + 0.3 * x[1]! * x[1]! + 0.05 * x[2]!;

test('GPR-NN with W = I equals an additive GPR built from the general kernel algebra', () => {
  const { X, y } = data(40, 1, target);
  const Xt = data(15, 2, target).X;
  const ls = 0.35, noise = 1e-3;
  const m = new GprNn({ lengthScale: ls, noise, optimize: false }).fit(X, y);
  // Same model by hand: unit-cube scaling on training rows, Σ_k RBF(dims=[k]) + white, normalize_y.
  const lo = [0, 1, 2].map((j) => Math.min(...X.col(j))), hi = [0, 1, 2].map((j) => Math.max(...X.col(j)));
  const scale = (A: Mat) => Mat.fromRows(A.toRows().map((r) => r.map((v, j) => (v - lo[j]!) / (hi[j]! - lo[j]!))));
  const k = sum(...[0, 1, 2].map((j) => new Stationary('rbf', ls, 'fixed', [j])), new White(noise, 'fixed'));
  const g = new GaussianProcess(k, { optimize: false, normalizeY: true, alpha: 0 }).fit(scale(X), y);
  const a = m.predict(Xt), b = g.predict(scale(Xt)).mean;
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9, `${a[i]} vs ${b[i]}`);
  assert.ok(Math.abs(m.gp!.logMarginalLikelihood - g.logMarginalLikelihood) < 1e-9);
});

test('GPR-NN weight rows: identity, then the Sobol sequence without its origin', () => {
  const W = GprNn.defaultWeights(3, 6);
  assert.deepEqual(W.toRows(), [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75]]);
  assert.throws(() => GprNn.defaultWeights(3, 2), /at least as many neurons/);
});

test('additive GPR ranks component importances as the planted additive function does', () => {
  // f = sin(2 x1) (var ≈ 0.5) + 0.3 x2² (var ≈ 0.4 on [-1,3]) + 0.05 x3 (var ≈ 0.003).
  const { X, y } = data(80, 3, target);
  const m = new GprNn({ optimize: true }).fit(X, y);
  const comps = m.components(21);
  const order = comps.map((c) => c.weights.indexOf(1));
  assert.equal(order[2], 2, `x3 should matter least: ${comps.map((c) => c.importance)}`);
  // The sum of components plus the target mean reproduces the model at grid points of an identity row.
  const test = data(30, 4, target);
  assert.ok(errorMetrics(test.y, m.predict(test.X)).r2 > 0.99);
});

test('greedy W refinement never increases the training error', () => {
  const { X, y } = data(40, 5, (x) => Math.sin(x[0]! * x[1]!) + x[2]!);
  const base = new GprNn({ neurons: 6, lengthScale: 0.5, noise: 0.05, optimize: false }).fit(X, y);
  const refined = new GprNn({ neurons: 6, lengthScale: 0.5, noise: 0.05, optimize: false, refine: 15, seed: 3 }).fit(X, y);
  const e0 = errorMetrics(y, base.predict(X)).rmse, e1 = errorMetrics(y, refined.predict(X)).rmse;
  assert.ok(e1 <= e0 + 1e-12, `${e1} > ${e0}`);
  assert.ok((refined.info.refineAccepted as number) >= 0);
});
