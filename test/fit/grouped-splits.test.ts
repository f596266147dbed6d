/**
 * Grouped splitting (issue 19 item 6): rows sharing a group id — in `celt run`, entries with
 * identical correlation vectors — never straddle a CV split or a learning-curve split. Checked
 * by invariants (every row tested once, no group on both sides, balanced folds), by reduction
 * to the plain scheme when every group is a singleton, and on a hand-made duplicate pair where
 * the ungrouped CV is optimistic by construction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core/errors.ts';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { crossValidate } from '../../src/fit/selection/cv.ts';
import { learningCurveFromPredictions, learningCurveTasks } from '../../src/fit/selection/learning-curve.ts';
import { makeSplits, parseCv, type Split } from '../../src/fit/selection/splits.ts';

/** 60 rows in groups of sizes 1…5 repeating: ids 0,1,1,2,2,2,… */
function groupIds(n: number): Int32Array {
  const ids = new Int32Array(n);
  let id = 0, left = 1, size = 1;
  for (let i = 0; i < n; i++) {
    ids[i] = id;
    if (--left === 0) {
      id++;
      size = (size % 5) + 1;
      left = size;
    }
  }
  return ids;
}

function assertNoStraddle(splits: Split[], groups: Int32Array): void {
  for (const s of splits) {
    const testGroups = new Set(Array.from(s.test, (i) => groups[i]));
    assert.ok(Array.from(s.train).every((i) => !testGroups.has(groups[i]!)), 'a group on both sides');
    assert.equal(s.train.length + s.test.length, groups.length);
  }
}

test('grouped k-fold: every row tested exactly once, no group straddles, folds balanced within one group', () => {
  const n = 60, groups = groupIds(n);
  const splits = makeSplits(n, parseCv('kfold:5'), 3, groups);
  assert.equal(splits.length, 5);
  assertNoStraddle(splits, groups);
  const tested = new Int32Array(n);
  for (const s of splits) for (const i of s.test) tested[i]!++;
  assert.ok(tested.every((c) => c === 1));
  const sizes = splits.map((s) => s.test.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 5, `fold sizes ${sizes}`);
  assert.deepEqual(makeSplits(n, parseCv('kfold:5'), 3, groups), splits, 'same seed, same folds');
  assert.notDeepEqual(makeSplits(n, parseCv('kfold:5'), 4, groups), splits, 'the seed matters');
});

test('grouped shuffle split and leave-one-group-out keep groups whole', () => {
  const n = 60, groups = groupIds(n);
  assertNoStraddle(makeSplits(n, parseCv('shuffle:20:0.2'), 1, groups), groups);
  const logo = makeSplits(n, parseCv('loo'), 0, groups);
  assert.equal(logo.length, new Set(groups).size);
  assertNoStraddle(logo, groups);
});

test('grouped k-fold refuses more folds than groups, naming the limit', () => {
  assert.throws(() => makeSplits(6, parseCv('kfold:3'), 0, [0, 0, 0, 1, 1, 1]), (e) => e instanceof OptionError && /at least 3 groups/.test(e.message));
});

test('learning curve with singleton groups = the plain learning curve (same seed, same tasks)', () => {
  const n = 40;
  const plain = learningCurveTasks(n, { fractions: [0.5, 1], repeats: 3, seed: 5 });
  const grouped = learningCurveTasks(n, { fractions: [0.5, 1], repeats: 3, seed: 5, groups: Int32Array.from({ length: n }, (_, i) => i) });
  assert.deepEqual(grouped, plain);
});

test('grouped learning curve: held-out rows are whole groups, never in training; median and RMS per size', () => {
  const n = 60, groups = groupIds(n);
  const tasks = learningCurveTasks(n, { fractions: [0.5, 1], repeats: 7, seed: 2, groups });
  for (const t of tasks) {
    const held = new Set(Array.from(t.predict.subarray(0, t.nTest), (i) => groups[i]));
    assert.ok(Array.from(t.train).every((i) => !held.has(groups[i]!)));
    assert.ok(t.nTest <= 12 && t.nTest >= 8, `held-out ${t.nTest}`);
  }
  // held-out errors 0.1·(repeat+1) → per size: median 0.4, RMS sqrt(mean of squares)
  const y = new Float64Array(n);
  const perRepeat = 2;
  const preds = tasks.map((t, k) => Float64Array.from(t.predict, (_, j) => (j < t.nTest ? 0.1 * (Math.floor(k / perRepeat) + 1) : 0)));
  const lc = learningCurveFromPredictions(tasks, preds, y);
  const errs = [1, 2, 3, 4, 5, 6, 7].map((r) => 0.1 * r);
  const rms = Math.sqrt(errs.reduce((a, e) => a + e * e, 0) / 7);
  for (const p of lc) {
    assert.ok(Math.abs(p.cvMedian! - 0.4) < 1e-12);
    assert.ok(Math.abs(p.cvRms! - rms) < 1e-12);
    assert.ok(Math.abs(p.cv - 0.4) < 1e-12);
    assert.equal(p.repeats, 7);
  }
});

test('duplicates on both sides make the plain CV optimistic; grouped folds do not (hand-made twins)', () => {
  // 20 configurations, each present twice with the same features; energies differ by noise.
  // With 1-nearest-copy memorisation (OLS on one-hot features) a twin in training predicts its
  // copy exactly up to the noise, so plain CV ≈ noise while the grouped CV sees unseen rows.
  const m = 20, rng = new Rng(1);
  const rows: number[][] = [], y: number[] = [], groups: number[] = [];
  const base = Array.from({ length: m }, () => rng.normal());
  for (let c = 0; c < m; c++) {
    for (let copy = 0; copy < 2; copy++) {
      rows.push(Array.from({ length: m }, (_, j) => (j === c ? 1 : 0)));
      y.push(base[c]! + 0.01 * rng.normal());
      groups.push(c);
    }
  }
  const X = Mat.fromRows(rows), Y = Float64Array.from(y);
  const plain = crossValidate('ridge', { alpha: 1e-8 }, {}, X, Y, makeSplits(2 * m, parseCv('kfold:5'), 0));
  const grouped = crossValidate('ridge', { alpha: 1e-8 }, {}, X, Y, makeSplits(2 * m, parseCv('kfold:5'), 0, groups));
  // grouped: an unseen one-hot row predicts the intercept (mean of the training energies) → error ~ spread of base
  assert.ok(grouped.rmse > 0.5, `grouped ${grouped.rmse}`);
  assert.ok(plain.rmse < grouped.rmse / 2, `plain ${plain.rmse} vs grouped ${grouped.rmse}`);
});
