/**
 * The fast dense kernels against brute force: the multi-RHS triangular solve, Bayesian ridge's
 * posterior variance from one Gram eigendecomposition, and lasso's converged flag against its own certificate (duality gap).
 * (Coefficients against scikit-learn stay in test/fit/sklearn.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cholInverse, cholesky, forwardSolveRowsInPlace } from '../../src/core/linalg.ts';
import { Mat, gram, matMul } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { prepare } from '../../src/fit/prepare.ts';
import { createEstimator } from '../../src/fit/registry.ts';
import { agpd } from '../fit/helpers.ts';

function randMat(rng: Rng, n: number, p: number): Mat {
  const X = new Mat(n, p);
  for (let k = 0; k < X.data.length; k++) X.data[k] = rng.normal();
  return X;
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

test('forwardSolveRowsInPlace: L·Z equals the right-hand sides (r = 13, m = 7, odd sizes hit the tails)', () => {
  const rng = new Rng(1);
  const A = randMat(rng, 13, 20);
  const L = cholesky(matMul(A, A.transpose()));
  const B = randMat(rng, 13, 7);
  const Z = forwardSolveRowsInPlace(L.data, 13, B.data.slice(), 7);
  const back = matMul(L, new Mat(13, 7, Z));
  assert.ok(relErr(back.data, B.data) < 1e-12);
});

for (const [n, p] of [[60, 25], [25, 60]] as const) {
  test(`bayesian-ridge ${n}×${p}: coefStd² = diag of the posterior covariance by brute force`, () => {
    const rng = new Rng(n + p);
    const X = randMat(rng, n, p);
    const y = Float64Array.from({ length: n }, (_, i) => X.data[i * p]! - 0.5 * X.data[i * p + 3]! + 0.3 * rng.normal());
    const est = createEstimator('bayesian-ridge', { tol: 1e-10 }).fit(X, y);
    const { alpha, lambda, coefStd } = est.info as { alpha: number; lambda: number; coefStd: number[] };
    const Xc = prepare(X, y, {}, { fitIntercept: true }).X;
    const r = lambda / alpha;
    // Posterior covariance (1/α)(XᵀX + (λ/α)I)⁻¹ by a p×p Cholesky inverse: for n > p this is
    // sklearn's sigma_; for n < p it gives every null direction the prior variance 1/λ.
    const A = gram(Xc);
    for (let j = 0; j < p; j++) A.data[j * p + j] += r;
    const S = cholInverse(cholesky(A));
    const want = Float64Array.from({ length: p }, (_, j) => Math.sqrt(S.data[j * p + j]! / alpha));
    assert.ok(relErr(coefStd, want) < 1e-9, `coefStd rel. error ${relErr(coefStd, want)}`);
  });
}

test('lasso: converged is true exactly when the duality gap met its tolerance, also at the epoch cap', () => {
  const { X, y } = agpd();
  let sawCapFalse = false;
  for (const max_iter of [1, 2, 5, 50]) {
    for (const alpha of [1e-4, 1e-6]) {
      const est = createEstimator('lasso', { alpha, max_iter, tol: 1e-8 }).fit(X, y);
      const { gap, gapTol, converged, epochs } = est.info as { gap: number; gapTol: number; converged: boolean; epochs: number };
      assert.equal(converged, gap <= gapTol, `max_iter ${max_iter} α ${alpha}: gap ${gap} tol ${gapTol} converged ${converged}`);
      assert.ok(epochs <= max_iter);
      if (!converged && epochs === max_iter) sawCapFalse = true;
    }
  }
  assert.ok(sawCapFalse, 'some fit must stop at the cap unconverged');
});
