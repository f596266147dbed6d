import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core/errors.ts';
import { cholesky, cholLogDet } from '../../src/core/linalg.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { allowedCandidates, columnScales, CRITERIA, DOptimal, selectCandidates } from '../../src/loop/select.ts';

function randomMat(rows: number, cols: number, rng: Rng): Mat {
  const m = new Mat(rows, cols);
  for (let i = 0; i < rows; i++) {
    m.data[i * cols] = 1;
    for (let j = 1; j < cols; j++) m.data[i * cols + j] = rng.normal();
  }
  return m;
}

/** log det(A₀ + Σ_{k∈S} z_k z_kᵀ), straight from the definition (no updates). */
function logDetDirect(train: Mat, cand: Mat, picks: number[], ridge: number, scale: Float64Array): number {
  const p = train.cols;
  const A = new Mat(p, p);
  const add = (M: Mat, i: number) => {
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) A.data[a * p + b]! += (M.get(i, a) / scale[a]!) * (M.get(i, b) / scale[b]!);
  };
  for (let i = 0; i < train.rows; i++) add(train, i);
  for (const k of picks) add(cand, k);
  for (let a = 0; a < p; a++) A.data[a * p + a]! += ridge;
  return cholLogDet(cholesky(A));
}

function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let i = k - 1; i < n; i++) for (const s of subsets(i, k - 1)) out.push([...s, i]);
  return out;
}

test('D-optimal: rank-one-updated leverages equal the direct log-det gains; greedy vs brute-force best subset', () => {
  const rng = new Rng(7);
  const train = randomMat(3, 5, rng), cand = randomMat(9, 5, rng);
  const ridge = 0.5;
  const scale = columnScales(train, cand);
  const d = new DOptimal(train, cand, ridge, scale);
  const picks: number[] = [];
  for (let step = 0; step < 3; step++) {
    const base = logDetDirect(train, cand, picks, ridge, scale);
    for (let i = 0; i < cand.rows; i++) {
      if (picks.includes(i)) continue;
      // the matrix determinant lemma: log det(A + zzᵀ) − log det A = log(1 + zᵀA⁻¹z)
      assert.ok(Math.abs(d.gain(i) - (logDetDirect(train, cand, [...picks, i], ridge, scale) - base)) < 1e-9, `step ${step} candidate ${i}`);
    }
    const best = [...Array(cand.rows).keys()].filter((i) => !picks.includes(i)).reduce((a, b) => (d.gain(b) > d.gain(a) ? b : a));
    picks.push(best);
    d.add(best);
  }
  // selectCandidates('dopt') makes the same greedy picks
  const sel = selectCandidates(train, { X: cand, sigmaEnsemble: new Float64Array(cand.rows) }, 3, { criterion: 'dopt', ridge });
  assert.deepEqual(sel.map((p) => p.index), picks);
  // brute force over all C(9, k) subsets: k = 1 greedy is optimal; k = 3 greedy is within the
  // (1 − 1/e) bound of a monotone submodular objective (log det gain), and here within 2 %
  const base = logDetDirect(train, cand, [], ridge, scale);
  for (const k of [1, 3]) {
    const best = Math.max(...subsets(cand.rows, k).map((s) => logDetDirect(train, cand, s, ridge, scale) - base));
    const greedy = logDetDirect(train, cand, picks.slice(0, k), ridge, scale) - base;
    if (k === 1) assert.ok(Math.abs(greedy - best) < 1e-12);
    assert.ok(greedy >= (1 - 1 / Math.E) * best - 1e-12, `k=${k}: greedy ${greedy} vs best ${best}`);
    assert.ok(greedy >= 0.98 * best, `k=${k}: greedy ${greedy} vs best ${best}`);
  }
});

test('duplicates of training rows and of earlier picks are never proposed, under every criterion', () => {
  const rng = new Rng(3);
  const train = randomMat(6, 4, rng);
  const fresh = randomMat(5, 4, rng);
  // candidates: 3 copies of training rows (one off by 1e-10, inside the tolerance), the 5 fresh rows each twice
  const rows: number[][] = [train.row(0), train.row(2), train.row(5).map((v, j) => (j === 3 ? v + 1e-10 : v)), ...[0, 1, 2, 3, 4].flatMap((i) => [fresh.row(i), fresh.row(i)])].map((r) => Array.from(r));
  const cand = Mat.fromRows(rows);
  const { allowed } = allowedCandidates(train, cand);
  assert.deepEqual(allowed, [3, 5, 7, 9, 11]);
  const scores = { X: cand, sigmaEnsemble: Float64Array.from(rows, (_, i) => i), hullDistance: Float64Array.from(rows, (_, i) => (i < 3 ? 0 : 0.01 * i)), nearFraction: Float64Array.from(rows, (_, i) => (i < 3 ? 1 : 0)) };
  for (const criterion of CRITERIA) {
    const picks = selectCandidates(train, scores, 5, { criterion, seed: 1 });
    const feats = picks.map((p) => cand.row(p.index));
    for (const f of feats) for (let t = 0; t < train.rows; t++) assert.ok(train.row(t).some((v, j) => Math.abs(v - f[j]!) > 1e-8), `${criterion} proposed training row ${t}`);
    for (let a = 0; a < feats.length; a++) for (let b = a + 1; b < feats.length; b++) assert.ok(feats[a]!.some((v, j) => Math.abs(v - feats[b]![j]!) > 1e-8), `${criterion} proposed the same configuration twice`);
    assert.throws(() => selectCandidates(train, scores, 6, { criterion }), (e: unknown) => e instanceof OptionError && /only 5 of the 13 candidates/.test(e.message));
  }
});

test('hull criterion picks the smallest predicted hull distances; uncertainty the largest σ', () => {
  const rng = new Rng(5);
  const train = randomMat(4, 3, rng), cand = randomMat(6, 3, rng);
  const hullDistance = Float64Array.of(0.5, 0.0, 0.3, 0.1, 0.2, 0.4);
  const sigma = Float64Array.of(1, 6, 2, 5, 3, 4);
  const s = { X: cand, sigmaEnsemble: sigma, hullDistance, nearFraction: new Float64Array(6) };
  assert.deepEqual(selectCandidates(train, s, 3, { criterion: 'hull' }).map((p) => p.index), [1, 3, 4]);
  assert.deepEqual(selectCandidates(train, s, 3, { criterion: 'uncertainty' }).map((p) => p.index), [1, 3, 5]);
});
