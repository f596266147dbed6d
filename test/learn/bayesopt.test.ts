import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bayesOpt, normCdf } from '../../src/learn/bayesopt.ts';

// Published test functions and their global minima (Dixon & Szegő 1978; Surjanovic & Bingham's library).
const branin = (x: number[]) => {
  const [a, b] = x as [number, number];
  return (b - (5.1 / (4 * Math.PI ** 2)) * a * a + (5 / Math.PI) * a - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(a) + 10;
};
const BRANIN_MIN = 0.397887;
const A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
const P = [[0.3689, 0.117, 0.2673], [0.4699, 0.4387, 0.747], [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]];
const ALPHA = [1, 1.2, 3, 3.2];
const hartmann3 = (x: number[]) => -ALPHA.reduce((s, a, i) => s + a * Math.exp(-A[i]!.reduce((t, aij, j) => t + aij * (x[j]! - P[i]![j]!) ** 2, 0)), 0);
const HARTMANN3_MIN = -3.86278;

test('normal CDF matches tabulated values', () => {
  assert.ok(Math.abs(normCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normCdf(1.959963985) - 0.975) < 1e-7);
  assert.ok(Math.abs(normCdf(-1) - 0.158655254) < 1e-7);
});

test('BO (EI) reaches the Branin minimum within 0.01 in ≤ 35 evaluations for 10 seeds', () => {
  for (let seed = 0; seed < 10; seed++) {
    const r = bayesOpt(branin, [-5, 0], [10, 15], { calls: 35, seed });
    assert.ok(r.f - BRANIN_MIN < 0.01, `seed ${seed}: best ${r.f}`);
    assert.equal(r.history.length, 35);
    assert.equal(r.f, Math.min(...r.history.map((h) => h.f)));
  }
});

test('BO (EI) reaches the Hartmann-3 minimum within 0.01 in ≤ 40 evaluations for 10 seeds', () => {
  for (let seed = 0; seed < 10; seed++) {
    const r = bayesOpt(hartmann3, [0, 0, 0], [1, 1, 1], { calls: 40, seed });
    assert.ok(r.f - HARTMANN3_MIN < 0.01, `seed ${seed}: best ${r.f}`);
  }
});

test('BO is deterministic for a seed and validates its options', () => {
  const a = bayesOpt(branin, [-5, 0], [10, 15], { calls: 14, seed: 4, acquisition: 'lcb' });
  const b = bayesOpt(branin, [-5, 0], [10, 15], { calls: 14, seed: 4, acquisition: 'lcb' });
  assert.deepEqual(a.history, b.history);
  assert.throws(() => bayesOpt(branin, [0, 0], [0, 1]), /lower < upper/);
  assert.throws(() => bayesOpt(branin, [0, 0], [1, 1], { acquisition: 'ucb' as 'ei' }), /unknown acquisition/);
  assert.throws(() => bayesOpt(() => NaN, [0], [1], { calls: 2 }), /objective returned NaN/);
});
