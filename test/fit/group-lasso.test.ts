/**
 * Group lasso / sparse group lasso: subgradient (KKT) optimality checked here from scratch
 * (centered data, Xᵀr/n), SGL at λ = 1 equals the coordinate-descent lasso, SGL at λ = 0
 * equals group lasso, and both equal the closed-form block soft-thresholding on an orthonormal
 * design (the reference that does not share the solver's code).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { createEstimator } from '../../src/fit/registry.ts';
import { agpd, refs, relErr } from './helpers.ts';

const R = refs();
const syn = { X: Mat.fromRows(R.synthetic.X), y: Float64Array.from(R.synthetic.y) };
const synGroups = Int32Array.from({ length: syn.X.cols }, (_, j) => Math.floor(j / 3));

/** Independent KKT residual of 1/(2n)‖y−b−Xw‖² + αλ‖w‖₁ + α(1−λ)Σ√p_B‖w_B‖ at (w, b). */
function kkt(X: Mat, y: Float64Array, w: Float64Array, b: number, groups: Int32Array, alpha: number, l1: number): number {
  const n = X.rows, p = X.cols;
  const r = new Float64Array(n);
  let rsum = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i]! - b;
    for (let j = 0; j < p; j++) s -= X.get(i, j) * w[j]!;
    r[i] = s;
    rsum += s;
  }
  const g = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.get(i, j) * r[i]!;
    g[j] = s / n;
  }
  let worst = Math.abs(rsum / n); // intercept optimality
  for (const id of new Set(groups)) {
    const B = [...groups.keys()].filter((j) => groups[j] === id);
    const a2 = alpha * (1 - l1) * Math.sqrt(B.length);
    const nrm = Math.hypot(...B.map((j) => w[j]!));
    if (nrm === 0) {
      const s = Math.hypot(...B.map((j) => Math.max(Math.abs(g[j]!) - alpha * l1, 0)));
      worst = Math.max(worst, s - a2);
    } else {
      for (const j of B) {
        if (w[j] !== 0) worst = Math.max(worst, Math.abs(g[j]! - alpha * l1 * Math.sign(w[j]!) - (a2 * w[j]!) / nrm));
        else worst = Math.max(worst, Math.abs(g[j]!) - alpha * l1);
      }
    }
  }
  return worst;
}

for (const l1 of [0, 0.5, 1]) {
  for (const alpha of [0.01, 0.05]) {
    test(`SGL KKT optimality ≤ 1e-6·α (synthetic, λ=${l1}, α=${alpha})`, () => {
      const est = createEstimator('sparse-group-lasso', { alpha, l1_ratio: l1, tol: 1e-8 }, { groups: synGroups });
      est.fit(syn.X, syn.y);
      const v = kkt(syn.X, syn.y, est.coef, est.intercept, synGroups, alpha, l1);
      assert.ok(v <= 1e-6 * alpha, `KKT violation ${v.toExponential(2)}`);
      assert.equal(est.info.converged, true);
      const nz = est.coef.filter((c) => c !== 0).length;
      assert.ok(nz > 0 && nz < syn.X.cols, `nontrivial sparsity (${nz})`);
    });
  }
}

test('SGL at λ = 1 equals lasso (coordinate descent) on agpd_fcc', () => {
  const { X, y } = agpd();
  const groups = Int32Array.from({ length: X.cols }, (_, j) => Math.floor(j / 4));
  const sgl = createEstimator('sparse-group-lasso', { alpha: 1e-4, l1_ratio: 1, tol: 1e-9 }, { groups }).fit(X, y);
  const las = createEstimator('lasso', { alpha: 1e-4, tol: 1e-14, max_iter: 1e7 }).fit(X, y);
  assert.ok(relErr(sgl.coef, las.coef) < 1e-6, `rel err ${relErr(sgl.coef, las.coef)}`);
  assert.ok(kkt(X, y, sgl.coef, sgl.intercept, groups, 1e-4, 1) <= 1e-6 * 1e-4);
});

test('SGL at λ = 0 equals group lasso; group lasso zeroes whole groups', () => {
  const a = createEstimator('sparse-group-lasso', { alpha: 0.05, l1_ratio: 0, tol: 1e-9 }, { groups: synGroups }).fit(syn.X, syn.y);
  const b = createEstimator('group-lasso', { alpha: 0.05, tol: 1e-9 }, { groups: synGroups }).fit(syn.X, syn.y);
  assert.ok(relErr(a.coef, b.coef) < 1e-9);
  for (const id of new Set(synGroups)) {
    const B = [...synGroups.keys()].filter((j) => synGroups[j] === id);
    const zeros = B.filter((j) => b.coef[j] === 0).length;
    assert.ok(zeros === 0 || zeros === B.length, `group ${id} partly zero`);
  }
  assert.ok(kkt(syn.X, syn.y, b.coef, b.intercept, synGroups, 0.05, 0) <= 1e-6 * 0.05);
});

test('orthonormal design (XᵀX/n = I): group lasso and SGL equal block soft-thresholding in closed form', () => {
  // Columns 1…7 of the 8×8 Sylvester Hadamard matrix: centered, orthogonal, ‖x_j‖² = n. Then the
  // objective is ½‖w − z‖² + penalty + const with z = Xᵀ(y − ȳ)/n, whose minimizer per block B is
  // w_B = (1 − α(1−λ)√p_B / ‖S(z_B, αλ)‖)₊ · S(z_B, αλ), S = elementwise soft-thresholding.
  const n = 8, p = 7;
  const X = new Mat(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X.set(i, j, (-1) ** popcount(i & (j + 1)));
  const z = [0.5, -0.3, 0.2, 0.05, -0.04, 0.8, -0.15];
  const groups = Int32Array.from([0, 0, 0, 1, 1, 2, 3]);
  const y = Float64Array.from({ length: n }, (_, i) => 1.5 + z.reduce((s, zj, j) => s + X.get(i, j) * zj, 0));
  const alpha = 0.1;
  for (const l1 of [0, 0.5]) {
    const want = new Float64Array(p);
    for (const id of new Set(groups)) {
      const B = [...groups.keys()].filter((j) => groups[j] === id);
      const s = B.map((j) => Math.sign(z[j]!) * Math.max(Math.abs(z[j]!) - alpha * l1, 0));
      const nrm = Math.hypot(...s);
      const shrink = nrm > 0 ? Math.max(0, 1 - (alpha * (1 - l1) * Math.sqrt(B.length)) / nrm) : 0;
      B.forEach((j, k) => { want[j] = shrink * s[k]!; });
    }
    const est = l1 === 0
      ? createEstimator('group-lasso', { alpha, tol: 1e-12 }, { groups })
      : createEstimator('sparse-group-lasso', { alpha, l1_ratio: l1, tol: 1e-12 }, { groups });
    est.fit(X, y);
    for (let j = 0; j < p; j++) assert.ok(Math.abs(est.coef[j]! - want[j]!) < 1e-8, `λ=${l1}, w${j}: ${est.coef[j]} vs ${want[j]}`);
    // zero blocks are exactly zero (group 1 falls below its threshold in both cases)
    assert.equal(est.coef[3], 0);
    assert.equal(est.coef[4], 0);
    assert.ok(Math.abs(est.intercept - 1.5) < 1e-9);
  }
});

function popcount(v: number): number {
  let c = 0;
  for (let x = v; x; x &= x - 1) c++;
  return c;
}
