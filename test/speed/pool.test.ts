/**
 * The persistent worker pool: same results as inline, reused across runs, and never serving a
 * stale matrix when the caller refills the same arrays between runs.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { pathTasks } from '../../src/fit/selection/enet-path-cv.ts';
import { closePool, runTasks } from '../../src/fit/selection/parallel.ts';
import type { PathFoldResult } from '../../src/fit/selection/enet-path-cv.ts';

after(closePool);

test('pool: 2 threads equal inline, across runs and after the caller overwrites X in place', async () => {
  const rng = new Rng(11);
  const n = 60, p = 12;
  const X = new Mat(n, p);
  const y = new Float64Array(n);
  const fill = () => {
    for (let k = 0; k < X.data.length; k++) X.data[k] = rng.normal();
    for (let i = 0; i < n; i++) y[i] = X.data[i * p]! - X.data[i * p + 5]! + 0.1 * rng.normal();
  };
  const splits = [0, 1, 2].map((f) => ({ test: Int32Array.from({ length: 20 }, (_, k) => f * 20 + k), train: Int32Array.from({ length: 40 }, (_, k) => (k < f * 20 ? k : k + 20)) }));
  const tasks = pathTasks(splits, Float64Array.of(0.5, 0.1, 0.01), 1, 1e-8, 10000, true).map((t) => ({ kind: 'path' as const, ...t }));
  for (let round = 0; round < 3; round++) {
    fill(); // same arrays, new contents: the pool must not reuse the old shared copy
    const inline = (await runTasks(X, y, undefined, {}, tasks, { threads: 1 })) as PathFoldResult[];
    const pooled = (await runTasks(X, y, undefined, {}, tasks, { threads: 2 })) as PathFoldResult[];
    assert.deepEqual(pooled.map((r) => Array.from(r.mse)), inline.map((r) => Array.from(r.mse)), `round ${round}`);
  }
});
