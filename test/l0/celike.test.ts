/**
 * ℓ0ℓ2 on CE-like data against brute force (test/l0/brute.ts, independent of src/fit/l0):
 * exact duplicate columns, sign-flipped and scaled copies, columns that are sums of others
 * (rank-deficient X, as the 386 lmo_drx correlation functions of rank 76), n < p in half of
 * the cases, a cluster-like hierarchy (later columns need one or two earlier ones, duplicates
 * included) and a sign-constrained "Ewald" column. Both node relaxations are run on every
 * problem — the J form (coordinate descent) and the z form (indicator space) — and the
 * estimator with its automatic choice; each must reach the brute-force optimum and never
 * report a bound above it. A second test stops the search early (1 or 3 nodes, 2 gradient
 * iterations) and checks that the reported bound is still a certificate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEstimator } from '../../src/fit/registry.ts';
import { buildProblem } from '../../src/fit/l0/problem.ts';
import { solveL0, type BnbOptions } from '../../src/fit/l0/bnb.ts';
import { bruteForce, type Case } from './brute.ts';
import { ceCase, gramOf, problemOf } from './cecase.ts';

const CASES: Array<{ cs: Case; label: string }> = [];
for (let t = 0; t < 50; t++) {
  const p = t < 44 ? 6 + (t % 9) : 16; // 6..14, and six problems at p = 16
  CASES.push({ cs: ceCase(9000 + t, p, t % 2 === 0), label: `ce #${t} p=${p} ${t % 2 === 0 ? 'n<p' : 'n>p'}` });
}

test('50 CE-like problems (duplicates, collinear sums, n < p, hierarchy, Ewald ≥ 0): both relaxations reach the brute-force optimum', () => {
  for (const { cs, label } of CASES) {
    const bf = bruteForce(cs);
    const prob = problemOf(cs);
    for (const relaxation of ['cd', 'z'] as const) {
      const r = solveL0(prob, { gapTol: 1e-11, timeLimit: 30, relaxation });
      assert.equal(r.status, 'optimal', `${label} ${relaxation}: status`);
      assert.ok(Math.abs(r.objective - bf.best) <= 1e-9 * bf.best, `${label} ${relaxation}: objective ${r.objective} vs brute force ${bf.best}`);
      assert.ok(r.lowerBound <= bf.best * (1 + 1e-9), `${label} ${relaxation}: bound ${r.lowerBound} above optimum ${bf.best}`);
    }
    const est = createEstimator('l0l2', { mu0: cs.mu0, mu2: cs.mu2, fit_intercept: false, gap_tol: 1e-11, nonneg: cs.nonneg }, { hierarchy: cs.hierarchy }).fit(cs.X, cs.y);
    assert.ok(Math.abs((est.info.objective as number) - bf.best) <= 1e-9 * bf.best, `${label} estimator`);
    if (bf.second - bf.best > 1e-9 * bf.best) assert.deepEqual(est.info.support, bf.support, `${label}: support`);
  }
});

test('bounds stay certificates when the search is cut short, for both relaxations and without the hierarchy rows', () => {
  for (const { cs, label } of CASES.slice(0, 24)) {
    const bf = bruteForce(cs);
    const prob = problemOf(cs);
    const variants: BnbOptions[] = [
      { relaxation: 'z', maxZIter: 2 }, { relaxation: 'z' }, { relaxation: 'cd', maxSweeps: 2 }, { relaxation: 'z', hierarchyBound: false },
      { relaxation: 'z', probes: 0 }, { relaxation: 'z', branching: 'fractional' }, { relaxation: 'cd', branching: 'pseudocost' },
    ];
    for (const v of variants) {
      // 10 nodes: past the first pseudocost updates and probes (reliability branching).
      for (const maxNodes of [1, 3, 10]) {
        const r = solveL0(prob, { maxNodes, gapTol: 1e-12, ...v });
        assert.ok(r.lowerBound <= bf.best * (1 + 1e-9), `${label} ${JSON.stringify(v)} nodes=${maxNodes}: bound ${r.lowerBound} > optimum ${bf.best}`);
        assert.ok(r.objective >= bf.best * (1 - 1e-9), `${label}: incumbent below optimum`);
      }
    }
  }
});

test('the z-form relaxation is refused up front where it does not apply (μ1, big-M, k, μ2 = 0)', () => {
  const cs = CASES[1]!.cs;
  const { G, b, yy } = gramOf(cs);
  const p = cs.X.cols;
  for (const spec of [{ mu0: 1, mu2: 0.1, mu1: 0.5 }, { mu0: 1, mu2: 0.1, M: 10 }, { mu0: 0, mu2: 0.1, k: 2 }, { mu0: 1, mu2: 0, M: 10 }]) {
    assert.throws(() => solveL0(buildProblem(G, b, yy, p, spec), { relaxation: 'z' }), /z-form relaxation/);
  }
});
