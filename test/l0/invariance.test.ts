/**
 * Invariances of the ℓ0 estimators: a big-M bound looser than every coefficient of the
 * optimum changes nothing (it switches the node bounds from exact least squares to the
 * perspective dual, so two independent bounding paths must agree); the group form with
 * singleton groups is the per-feature form; intercept handling equals fitting centered data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEstimator } from '../../src/fit/registry.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';

function data(seed: number, n: number, p: number): { X: Mat; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Mat(n, p);
  for (let i = 0; i < n; i++) {
    const f = rng.normal();
    for (let j = 0; j < p; j++) X.set(i, j, 0.7 * f + rng.normal() + 3);
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 5 + 1.5 * X.get(i, 1) - X.get(i, 4) + 0.5 * X.get(i, p - 1) + 0.4 * rng.normal();
  return { X, y };
}

test('a loose big-M bound does not change pure ℓ0 or ℓ0ℓ2 optima', () => {
  for (let s = 0; s < 8; s++) {
    const { X, y } = data(100 + s, 25, 9);
    for (const [method, extra] of [['l0', {}], ['l0l2', { mu2: 0.5 }]] as const) {
      const base = createEstimator(method, { mu0: 2, gap_tol: 1e-10, ...extra }).fit(X, y);
      const maxJ = Math.max(...Array.from(base.coef, Math.abs));
      const bounded = createEstimator(method, { mu0: 2, gap_tol: 1e-10, M: 3 * maxJ + 1, ...extra }).fit(X, y);
      assert.equal(base.info.status, 'optimal');
      assert.equal(bounded.info.status, 'optimal');
      assert.ok(Math.abs((base.info.objective as number) - (bounded.info.objective as number)) <= 1e-9 * (base.info.objective as number), `${method} seed ${s}`);
      assert.deepEqual(bounded.info.support, base.info.support);
      if (method === 'l0') assert.deepEqual([base.info.bound, bounded.info.bound], ['least-squares', 'perspective-dual']);
    }
  }
});

test('group form with singleton groups equals the per-feature form; intercept = centered fit', () => {
  for (let s = 0; s < 6; s++) {
    const { X, y } = data(200 + s, 30, 8);
    const h: Array<[number, number]> = [[4, 1], [7, 4]];
    const a = createEstimator('l0l2', { mu0: 1, mu2: 0.3, gap_tol: 1e-10 }, { hierarchy: h }).fit(X, y);
    const b = createEstimator('l0l2', { mu0: 1, mu2: 0.3, gap_tol: 1e-10, group: true }, { hierarchy: h, groups: Int32Array.from({ length: 8 }, (_, i) => 10 * i) }).fit(X, y);
    assert.ok(Math.abs((a.info.objective as number) - (b.info.objective as number)) <= 1e-9 * (a.info.objective as number));
    assert.deepEqual(a.info.support, b.info.support);
    // Centering by hand and fitting without intercept gives the same objective and slopes.
    const n = X.rows, p = X.cols;
    const Xc = X.clone(), yc = Float64Array.from(y);
    let ym = 0;
    for (let i = 0; i < n; i++) ym += y[i]! / n;
    for (let i = 0; i < n; i++) yc[i] -= ym;
    for (let j = 0; j < p; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += X.get(i, j) / n;
      for (let i = 0; i < n; i++) Xc.set(i, j, X.get(i, j) - m);
    }
    const c = createEstimator('l0l2', { mu0: 1, mu2: 0.3, gap_tol: 1e-10, fit_intercept: false }, { hierarchy: h }).fit(Xc, yc);
    assert.ok(Math.abs((a.info.objective as number) - (c.info.objective as number)) <= 1e-9 * (a.info.objective as number));
    for (let j = 0; j < p; j++) assert.ok(Math.abs(a.coef[j]! - c.coef[j]!) <= 1e-8 * (1 + Math.abs(c.coef[j]!)));
  }
});
