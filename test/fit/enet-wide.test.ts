/**
 * Elastic net on wide data (p ≫ n, issue 19 item 5): the residual-form epochs taken when the
 * working set outgrows 2n must reach the same optimum. Checked against the optimality
 * conditions themselves (subgradient of ½‖y − Xw‖² + a‖w‖₁ + ½b‖w‖², independent of the
 * solver) and against the Gram-form solve of the same problem.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { EnetProblem, alphaGrid, alphaMax, enetPath } from '../../src/fit/solvers/enet-cd.ts';

/** Seeded wide design: 20 rows, 600 AR(1)-correlated columns (ρ = 0.8), 30 true nonzeros. */
function wide(): { X: Mat; y: Float64Array } {
  const n = 20, p = 600, rng = new Rng(7);
  const X = new Mat(n, p);
  for (let i = 0; i < n; i++) {
    let v = rng.normal();
    for (let j = 0; j < p; j++) {
      v = j ? 0.8 * v + 0.6 * rng.normal() : v;
      X.data[i * p + j] = v;
    }
  }
  const y = new Float64Array(n);
  for (let k = 0; k < 30; k++) {
    const j = rng.int(p), c = rng.normal();
    for (let i = 0; i < n; i++) y[i] += c * X.data[i * p + j]!;
  }
  return { X, y };
}

test('wide elastic-net path: residual-form epochs satisfy the optimality conditions and agree with the Gram form', () => {
  const { X, y } = wide();
  const n = X.rows, p = X.cols;
  const alphas = alphaGrid(alphaMax(new EnetProblem(X, y), 0.5), 30, 1e-3);
  const path = enetPath(new EnetProblem(X, y), alphas, 0.5, { tol: 1e-12, maxIter: 1_000_000 });
  const gram = enetPath(new EnetProblem(X, y, { precompute: true }), alphas, 0.5, { tol: 1e-12, maxIter: 1_000_000 });
  assert.ok(path.some((pt) => pt.result.residualMode), 'the small-α end has a working set over 2n = 40');
  assert.ok(gram.every((pt) => !pt.result.residualMode));
  for (let k = 0; k < alphas.length; k++) {
    const { coef, result } = path[k]!;
    assert.ok(result.converged, `α #${k} converged`);
    const a = n * alphas[k]! * 0.5, b = n * alphas[k]! * 0.5;
    // g_j = x_jᵀ(y − Xw): nonzero w_j need g_j − b·w_j = a·sign(w_j); zeros need |g_j| ≤ a
    const r = Float64Array.from(y);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) r[i] -= X.data[i * p + j]! * coef[j]!;
    let worst = 0;
    for (let j = 0; j < p; j++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += X.data[i * p + j]! * r[i]!;
      const v = coef[j] !== 0 ? Math.abs(g - b * coef[j]! - a * Math.sign(coef[j]!)) : Math.max(0, Math.abs(g) - a);
      worst = Math.max(worst, v / a);
    }
    assert.ok(worst < 1e-4, `α #${k}: KKT violation ${worst.toExponential(2)} of a`);
    let diff = 0, scale = 0;
    for (let j = 0; j < p; j++) {
      diff = Math.max(diff, Math.abs(coef[j]! - gram[k]!.coef[j]!));
      scale = Math.max(scale, Math.abs(gram[k]!.coef[j]!));
    }
    assert.ok(diff <= 1e-5 * Math.max(scale, 1e-12), `α #${k}: residual and Gram forms differ by ${diff.toExponential(2)} (scale ${scale.toExponential(2)})`);
  }
});
