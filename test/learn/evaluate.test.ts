import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { shuffleSplit } from '../../src/fit/selection/splits.ts';
import { describe, evaluateRegression, table1 } from '../../src/learn/evaluate.ts';
import { LinearRegression } from '../../src/learn/linear.ts';

test('ungrouped splits: sizes round(n·f), disjoint, covering, seeded', () => {
  const plans = shuffleSplit(23, 50, 0.2, new Rng(1));
  for (const p of plans) {
    assert.equal(p.test.length, 5);
    assert.deepEqual([...p.train, ...p.test].sort((a, b) => a - b), Array.from({ length: 23 }, (_, i) => i));
  }
  assert.deepEqual(shuffleSplit(23, 50, 0.2, new Rng(1)), plans);
  assert.notDeepEqual(shuffleSplit(23, 50, 0.2, new Rng(2)), plans);
});

test('grouped splits never put one group on both sides', () => {
  const groups = Array.from({ length: 40 }, (_, i) => `mat${i % 13}`);
  for (const p of shuffleSplit(40, 30, 0.2, new Rng(3), groups)) {
    const tr = new Set(Array.from(p.train, (i) => groups[i])), te = new Set(Array.from(p.test, (i) => groups[i]));
    assert.equal([...te].filter((g) => tr.has(g)).length, 0);
    assert.equal(te.size, 3); // round(13 · 0.2)
  }
});

test('split errors: too few rows, bad fraction, bad count', () => {
  assert.throws(() => shuffleSplit(2, 5, 0.2, new Rng(0)), /too few/);
  assert.throws(() => shuffleSplit(10, 5, 1.2, new Rng(0)), /test fraction/);
  assert.throws(() => shuffleSplit(10, 0, 0.2, new Rng(0)), /positive integer/);
});

test('summary statistics: hand-computed min/max/median/mean/std and table layout', () => {
  assert.deepEqual(describe([3, 1, 2, 6]), { min: 1, max: 6, median: 2.5, mean: 3, std: Math.sqrt(3.5) });
  // A noiseless linear target: every split has zero error and R² = 1.
  const X = Mat.fromRows(Array.from({ length: 20 }, (_, i) => [i, (i * 7) % 5]));
  const y = Float64Array.from({ length: 20 }, (_, i) => 2 + 0.5 * i - (i * 7) % 5);
  const r = evaluateRegression(X, y, () => new LinearRegression(), shuffleSplit(20, 5, 0.2, new Rng(0)));
  assert.ok(r.summary.testRmse.max < 1e-12 && r.summary.testR2.min > 1 - 1e-12);
  assert.match(table1([{ label: 'Linear', summary: r.summary }]), /^RMSE\/R²[^\n]*\nMethod +train max +train min +train median +test max +test min +test median/);
});
