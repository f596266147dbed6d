/**
 * Parallel search (node-pool.ts): under a node limit the search on 2 threads is the search on
 * 1 thread — same incumbent, bound, node count and coefficients, bit for bit — and the worker
 * did take part (waitForWorker makes it join before the first round and workStealing: false
 * leaves it every second node, so the check is not vacuous); with work stealing on, too. Early-stopped 2-thread bounds are certificates against brute force.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveL0 } from '../../src/fit/l0/bnb.ts';
import { bruteForce } from './brute.ts';
import { ceCase, problemOf } from './cecase.ts';

test('1 and 2 threads give the same search under a node limit (z form with probes, J form)', () => {
  const cs = ceCase(9100, 16, true);
  const bf = bruteForce(cs);
  const prob = problemOf(cs);
  for (const relaxation of ['z', 'cd'] as const) {
    const one = solveL0(prob, { maxNodes: 12, gapTol: 1e-12, relaxation, threads: 1 });
    // Without work stealing every second node of a round is the worker's, so it surely took part.
    const two = solveL0(prob, { maxNodes: 12, gapTol: 1e-12, relaxation, threads: 2, waitForWorker: true, workStealing: false });
    const stealing = solveL0(prob, { maxNodes: 12, gapTol: 1e-12, relaxation, threads: 2, waitForWorker: true });
    assert.ok(two.workerNodes > 0, `${relaxation}: the worker solved no node`);
    for (const k of ['nodes', 'objective', 'lowerBound'] as const) assert.equal(stealing[k], one[k], `${relaxation} with stealing: ${k}`);
    assert.equal(one.workerNodes, 0);
    assert.equal(two.nodes, one.nodes, `${relaxation}: nodes`);
    assert.equal(two.objective, one.objective, `${relaxation}: objective`);
    assert.equal(two.lowerBound, one.lowerBound, `${relaxation}: bound`);
    assert.deepEqual(Array.from(two.J), Array.from(one.J), `${relaxation}: J`);
    assert.ok(two.lowerBound <= bf.best * (1 + 1e-9), `${relaxation}: bound ${two.lowerBound} above the optimum ${bf.best}`);
    assert.ok(two.objective >= bf.best * (1 - 1e-9), `${relaxation}: incumbent below the optimum`);
  }
});

test('2 threads solved to the end reach the brute-force optimum', () => {
  for (const seed of [9101, 9102]) {
    const cs = ceCase(seed, 14, seed % 2 === 0);
    const bf = bruteForce(cs);
    const r = solveL0(problemOf(cs), { gapTol: 1e-11, timeLimit: 30, threads: 2, waitForWorker: true });
    assert.equal(r.status, 'optimal');
    assert.ok(Math.abs(r.objective - bf.best) <= 1e-9 * bf.best, `seed ${seed}: ${r.objective} vs ${bf.best}`);
  }
});
