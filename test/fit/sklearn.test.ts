/**
 * Same numbers as scikit-learn (test/fixtures/fit/make_sklearn_refs.py, run by hand) on agpd_fcc
 * (all 66 columns of corr.npy, fitted intercept) and on a seeded synthetic correlated problem.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { createEstimator } from '../../src/fit/registry.ts';
import { agpd, refs, relErr } from './helpers.ts';

const R = refs();
const problems = {
  agpd: { ...agpd(), weights: Float64Array.from(R.agpd.weights), fits: R.agpd.fits },
  synthetic: { X: Mat.fromRows(R.synthetic.X), y: Float64Array.from(R.synthetic.y), weights: Float64Array.from(R.synthetic.weights), fits: R.synthetic.fits },
  wide: { X: Mat.fromRows(R.wide.X), y: Float64Array.from(R.wide.y), weights: Float64Array.from(R.wide.weights), fits: R.wide.fits },
};

const tight: Record<string, Record<string, number>> = {
  lasso: { tol: 1e-14, max_iter: 10_000_000 },
  'elastic-net': { tol: 1e-14, max_iter: 10_000_000 },
};

for (const [name, P] of Object.entries(problems)) {
  for (const ref of P.fits) {
    const label = `${name}: ${ref.method} ${JSON.stringify(ref.params)}${ref.weighted ? ' weighted' : ''}`;
    test(`matches scikit-learn ${R.sklearn_version} — ${label}`, () => {
      const est = createEstimator(ref.method, { ...ref.params, ...tight[ref.method] });
      est.fit(P.X, P.y, ref.weighted ? { sampleWeight: P.weights } : {});
      const e = relErr(est.coef, ref.coef);
      assert.ok(e < 1e-6, `coef relative error ${e.toExponential(2)}`);
      assert.ok(Math.abs(est.intercept - ref.intercept) <= 1e-6 * Math.max(1, Math.abs(ref.intercept)), `intercept ${est.intercept} vs ${ref.intercept}`);
      for (let j = 0; j < ref.coef.length; j++) {
        if (ref.method === 'ard' || ref.method === 'lasso') assert.equal(est.coef[j] === 0, ref.coef[j] === 0, `support differs at ${j}`);
      }
      if (ref.method.startsWith('lasso') || ref.method === 'elastic-net') assert.equal(est.info.converged, true);
    });
  }
}
