/** Bad input to the ℓ0 estimators gets a typed OptionError; the time limit is honoured. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEstimator } from '../../src/fit/registry.ts';
import { OptionError } from '../../src/core/errors.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';

function data(n: number, p: number, seed = 1, rho = 0): { X: Mat; y: Float64Array } {
  const rng = new Rng(seed);
  const X = new Mat(n, p);
  for (let i = 0; i < n; i++) {
    const f = rng.normal();
    for (let j = 0; j < p; j++) X.set(i, j, rho * f + Math.sqrt(1 - rho * rho) * rng.normal());
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) y[i] += X.get(i, j) * Math.sin(j + 1) + 0.3 * rng.normal() / p;
  return { X, y };
}

function throwsOption(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof OptionError && re.test(`${(e as OptionError).describe()}`));
}

test('negative μ, bad k, bad indices are OptionErrors naming the field', () => {
  const { X, y } = data(20, 6);
  throwsOption(() => createEstimator('l0l2', { mu0: -1 }), /mu0/);
  throwsOption(() => createEstimator('l0l2', { mu2: '-0.5' }), /mu2/);
  throwsOption(() => createEstimator('l1l0', { mu1: -2 }), /mu1/);
  throwsOption(() => createEstimator('best-subset', { k: 0 }), /k/);
  throwsOption(() => createEstimator('best-subset', {}), /needs k/);
  throwsOption(() => createEstimator('best-subset', { k: 2.5 }), /integer/);
  throwsOption(() => createEstimator('best-subset', { k: 7 }).fit(X, y), /k = 7 exceeds/);
  throwsOption(() => createEstimator('l0l2', { always_in: [9] }).fit(X, y), /always_in.*9|9.*always_in/);
  throwsOption(() => createEstimator('l0l2', { nonneg: [-1] }).fit(X, y), /nonneg/);
  throwsOption(() => createEstimator('l0l2', { group: true }).fit(X, y), /groups/);
  throwsOption(() => createEstimator('l1l0', { mu2: 0 }).fit(X, y), /mu2 > 0 or a finite big-M/);
  throwsOption(() => createEstimator('l0', { nonneg: [1] }).fit(X, y), /big-M/);
});

test('hierarchy with cycles, self-loops or unknown indices is rejected; hierarchy=false ignores it', () => {
  const { X, y } = data(20, 6);
  const fit = (h: Array<[number, number]>, extra: Record<string, unknown> = {}) => createEstimator('l0l2', { mu0: 0.01, mu2: 0.01, ...extra }, { hierarchy: h }).fit(X, y);
  throwsOption(() => fit([[1, 0], [2, 1], [0, 2]]), /cycle/);
  throwsOption(() => fit([[3, 3]]), /own parent/);
  throwsOption(() => fit([[1, 6]]), /entry 0.*not in \[0, 5\]/);
  throwsOption(() => fit([[1.5, 0]]), /hierarchy/);
  assert.doesNotThrow(() => fit([[1, 0], [2, 1], [0, 2]], { hierarchy: false }));
  // Within the group form a cycle can appear between groups only.
  const groups = Int32Array.from([0, 0, 1, 1, 2, 2]);
  assert.throws(
    () => createEstimator('l0l2', { mu0: 0.01, mu2: 0.01, group: true }, { groups, hierarchy: [[2, 0], [1, 3]] }).fit(X, y),
    (e: unknown) => e instanceof OptionError && /cycle/.test(e.message),
  );
});

test('the time limit is honoured and the result carries a valid bound and gap', () => {
  // 60 strongly correlated features and a small μ0: far too many nodes for 0.3 s.
  const { X, y } = data(80, 60, 3, 0.95);
  const est = createEstimator('l0l2', { mu0: 1e-4, mu2: 1e-3, time_limit: 0.3, gap_tol: 0 }).fit(X, y);
  const info = est.info as Record<string, number | string | null>;
  assert.ok((info.elapsed as number) < 0.3 + 2.0, `elapsed ${info.elapsed}s`);
  assert.ok((info.lowerBound as number) <= (info.objective as number));
  // the relative gap is (objective − bound)/objective from the two reported numbers; a search
  // stopped by the clock before proving optimality must leave it positive
  const relGap = ((info.objective as number) - (info.lowerBound as number)) / (info.objective as number);
  assert.ok(Math.abs((info.gap as number) - relGap) <= 1e-12, `gap ${info.gap} vs ${relGap}`);
  if (info.status === 'time_limit') assert.ok((info.gap as number) > 0, `time_limit with gap ${info.gap}`);
  assert.equal(info.status === 'optimal' ? info.gap as number <= 0 : info.status, info.status === 'optimal' ? true : 'time_limit');
  assert.ok((info.nodes as number) >= 1);
  // The returned coefficients realize the reported objective.
  let rss = 0, l2 = 0, nz = 0;
  const pred = est.predict(X);
  for (let i = 0; i < y.length; i++) rss += (y[i]! - pred[i]!) ** 2;
  for (const c of est.coef) { l2 += c * c; if (c !== 0) nz++; }
  const obj = rss + 1e-4 * nz + 1e-3 * l2;
  assert.ok(Math.abs(obj - (info.objective as number)) <= 1e-9 * obj, `objective ${obj} vs ${info.objective}`);
});
