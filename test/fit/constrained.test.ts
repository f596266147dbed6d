/**
 * Constrained fits through HiGHS QP: bounds and linear inequalities hold at the solution; on
 * agpd_fcc a ground-state-preserving fit (Huang et al. 2017) keeps every DFT hull vertex on the
 * predicted hull. The hull is computed here independently (brute force over all pairs).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { groundStateConstraints } from '../../src/thermo/ground-state-constraints.ts';
import { ConstrainedLS } from '../../src/fit/methods/constrained.ts';
import { createEstimator, prepareMethod, resolveParams } from '../../src/fit/registry.ts';
import { FIX, agpd, refs } from './helpers.ts';

// HiGHS loads on demand (core/highs.ts): the constrained fits below are synchronous
await prepareMethod('constrained');

/** Points on the lower hull by brute force: i is a vertex iff no pair (a, b) bracketing it lies below. */
function bruteHullVertices(x: ArrayLike<number>, e: ArrayLike<number>, tol = 1e-9): Set<number> {
  const n = x.length;
  const out = new Set<number>();
  for (let i = 0; i < n; i++) {
    let on = true;
    for (let a = 0; a < n && on; a++) {
      if (a !== i && Math.abs(x[a]! - x[i]!) < 1e-12 && e[a]! < e[i]! - tol) on = false;
      for (let b = 0; b < n && on; b++) {
        if (!(x[a]! < x[i]! - 1e-12 && x[b]! > x[i]! + 1e-12)) continue;
        const t = (x[b]! - x[i]!) / (x[b]! - x[a]!);
        if (t * e[a]! + (1 - t) * e[b]! < e[i]! - tol) on = false;
      }
    }
    if (on) out.add(i);
  }
  return out;
}

const { X, y } = agpd();
const xPd = (JSON.parse(readFileSync(FIX + 'agpd_composition.json', 'utf8')) as { x_pd: number[] }).x_pd;

test('agpd_fcc: ground-state-preserving fit keeps every DFT hull vertex on the predicted hull', () => {
  const dft = bruteHullVertices(xPd, y);
  assert.ok(dft.size >= 3, `DFT hull has ${dft.size} vertices`);
  const lasso = createEstimator('lasso', { alpha: 1.29e-5, tol: 1e-10 }).fit(X, y);
  const lassoHull = bruteHullVertices(xPd, lasso.predict(X));
  const lassoKept = [...dft].filter((v) => lassoHull.has(v)).length;
  const gs = groundStateConstraints(X, xPd, y, { margin: 1e-4 });
  const est = new ConstrainedLS(resolveParams('constrained', { alpha: 1.29e-5 }), gs).fit(X, y);
  const pred = est.predict(X);
  const predHull = bruteHullVertices(xPd, pred);
  for (const v of dft) assert.ok(predHull.has(v), `DFT vertex ${v} (x=${xPd[v]}) lost from the predicted hull`);
  // Every inequality row holds at the solution (the intercept cancels in each row).
  gs.A.forEach((r, k) => {
    let s = 0;
    for (let j = 0; j < r.length; j++) s += r[j]! * est.coef[j]!;
    assert.ok(s >= gs.lower[k]! - 1e-8 && s <= gs.upper[k]! + 1e-8, `row ${k}: ${s}`);
  });
  // No spurious predicted ground states either (all rows have margin 1e-4).
  for (const v of predHull) assert.ok(dft.has(v), `spurious predicted vertex ${v}`);
  console.log(`# DFT hull vertices ${dft.size}; lasso keeps ${lassoKept}, predicted hull ${lassoHull.size}; constrained keeps all, ${est.info.seconds}s, status ${est.info.status}`);
});

test('bounds and inequalities hold; an inactive bound leaves the OLS solution unchanged', () => {
  const R = refs();
  const Xs = Mat.fromRows(R.synthetic.X), ys = Float64Array.from(R.synthetic.y);
  const ols = createEstimator('ols').fit(Xs, ys);
  const neg = [...ols.coef.keys()].filter((j) => ols.coef[j]! < -0.05);
  assert.ok(neg.length > 0);
  const est = createEstimator('constrained', { nonnegative: neg.join(','), upper: '0.5' }).fit(Xs, ys);
  for (const j of neg) assert.ok(est.coef[j]! >= -1e-9, `coef ${j} = ${est.coef[j]}`);
  for (const c of est.coef) assert.ok(c <= 0.5 + 1e-9);
  // Loose bounds: same as OLS (the unconstrained optimum is feasible).
  const loose = createEstimator('constrained', { lower: '-100', upper: '100' }).fit(Xs, ys);
  for (let j = 0; j < Xs.cols; j++) assert.ok(Math.abs(loose.coef[j]! - ols.coef[j]!) < 1e-7, `coef ${j}`);
  // A general inequality: sum of the first five coefficients ≤ 0.1 holds with equality when binding.
  const A = [Array.from({ length: Xs.cols }, (_, j) => (j < 5 ? 1 : 0))];
  const sum0 = ols.coef.slice(0, 5).reduce((a, b) => a + b, 0);
  const cap = sum0 - 0.3;
  const c = new ConstrainedLS(resolveParams('constrained', {}), { A, lower: [-Infinity], upper: [cap] }).fit(Xs, ys);
  const s = c.coef.slice(0, 5).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(s - cap) < 1e-8, `binding row: ${s} vs ${cap}`);
});

test('infeasible constraints give a clear error', () => {
  const A = [Array.from({ length: X.cols }, (_, j) => (j === 0 ? 1 : 0))];
  const est = new ConstrainedLS(resolveParams('constrained', { lower: '0' }), { A, lower: [-Infinity], upper: [-1] });
  assert.throws(() => est.fit(X, y), /infeasible/);
});
