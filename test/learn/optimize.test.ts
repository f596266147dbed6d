import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs } from '../../src/core/optimize.ts';

test('L-BFGS finds the Rosenbrock minimum (1, 1) from the textbook start (−1.2, 1)', () => {
  const r = minimizeLbfgs((x, g) => {
    const [a, b] = [x[0]!, x[1]!];
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  }, [-1.2, 1], { gtol: 1e-10, ftol: 0 });
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `${Array.from(r.x)} ${r.message}`);
});

test('bounded L-BFGS stops on the active bound with the analytic constrained optimum', () => {
  // min (x−2)² + (y+1)² + xy on x ≤ 1, y ≥ 0: KKT point x = 1, y = 0 (both bounds active).
  const r = minimizeLbfgs((v, g) => {
    const [x, y] = [v[0]!, v[1]!];
    g[0] = 2 * (x - 2) + y;
    g[1] = 2 * (y + 1) + x;
    return (x - 2) ** 2 + (y + 1) ** 2 + x * y;
  }, [0, 3], { lower: [-Infinity, 0], upper: [1, Infinity] });
  assert.deepEqual(Array.from(r.x), [1, 0]);
  // Only one bound active: min (x−3)² + (y−0.5)² on x ≤ 1 → (1, 0.5).
  const s = minimizeLbfgs((v, g) => {
    g[0] = 2 * (v[0]! - 3);
    g[1] = 2 * (v[1]! - 0.5);
    return (v[0]! - 3) ** 2 + (v[1]! - 0.5) ** 2;
  }, [0, 0], { upper: [1, Infinity], gtol: 1e-10 });
  assert.equal(s.x[0], 1);
  assert.ok(Math.abs(s.x[1]! - 0.5) < 1e-8);
  assert.throws(() => minimizeLbfgs(() => 0, [0], { lower: [1], upper: [0] }), /exceeds upper bound/);
});
