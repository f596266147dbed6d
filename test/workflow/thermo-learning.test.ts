import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { compareHulls } from '../../src/workflow/thermo-analysis.ts';
import { learningCurveFromPredictions, learningCurveTasks } from '../../src/fit/selection/learning-curve.ts';

function alloy(els: string[]): Structure {
  const lat = new Lattice([[els.length * 2.9, 0, 0], [0, 2.9, 0], [0, 0, 2.9]]);
  return new Structure(lat, els.map((el, i) => ({ frac: [i / els.length, 0, 0], species: [{ species: Species.of(el), occu: 1 }] })));
}

test('binary hull comparison: hand case with one missing and one spurious ground state', () => {
  // per atom:       Ag   Pd   AgPd(x=.5)  Ag3Pd(x=.25)
  // DFT             0    0    -1.0        -0.3   → hull Ag, AgPd, Pd (Ag3Pd is 0.2 above the Ag–AgPd chord)
  // CE              0    0    -0.2        -0.45  → hull Ag, Ag3Pd, Pd (AgPd is 0.1 above the Ag3Pd–Pd chord)
  const s = [alloy(['Ag']), alloy(['Pd']), alloy(['Ag', 'Pd']), alloy(['Ag', 'Ag', 'Ag', 'Pd'])];
  const atoms = [1, 1, 2, 4];
  const dft = [0, 0, -1.0, -0.3].map((e, i) => e * atoms[i]!);
  const ce = [0, 0, -0.2, -0.45].map((e, i) => e * atoms[i]!);
  const h = compareHulls(s, ['Ag', 'Pd', 'AgPd', 'Ag3Pd'], dft, ce);
  assert.deepEqual([...h.matched].sort(), [0, 1]);
  assert.deepEqual(h.missing, [2]);
  assert.deepEqual(h.spurious, [3]);
  assert.deepEqual(h.points.map((p) => p.x), [0, 1, 0.5, 0.25]);
  assert.equal(h.xTitle, 'x(Pd)');
  assert.ok(Math.abs(h.dftLowerHull.eAboveHull[3]! - 0.2) < 1e-9);
  assert.ok(Math.abs(h.ceLowerHull.eAboveHull[2]! - 0.1) < 1e-9);
});

test('learning-curve tasks: nested training sets, one fixed held-out set per repeat', () => {
  const n = 50;
  const tasks = learningCurveTasks(n, { fractions: [0.5, 1], repeats: 2, testFraction: 0.2, seed: 1 });
  assert.equal(tasks.length, 4);
  for (const [a, b] of [[tasks[0]!, tasks[1]!], [tasks[2]!, tasks[3]!]] as const) {
    assert.deepEqual([a.size, b.size], [20, 40]);
    assert.deepEqual(Array.from(a.predict.subarray(0, 10)), Array.from(b.predict.subarray(0, 10)), 'same held-out rows');
    assert.deepEqual(Array.from(a.train), Array.from(b.train.subarray(0, 20)), 'nested');
    const held = new Set(a.predict.subarray(0, 10));
    assert.ok(Array.from(b.train).every((i) => !held.has(i)), 'held-out rows never trained on');
  }
  // predictions off by exactly +0.1 on held-out rows and 0 on training rows → RMSE 0.1 / 0
  const y = Float64Array.from({ length: n }, (_, i) => i);
  const preds = tasks.map((t) => Float64Array.from(t.predict, (i, j) => y[i]! + (j < t.nTest ? 0.1 : 0)));
  const lc = learningCurveFromPredictions(tasks, preds, y);
  assert.deepEqual(lc.map((p) => p.nTrain), [20, 40]);
  for (const p of lc) {
    assert.ok(Math.abs(p.cv - 0.1) < 1e-12);
    assert.equal(p.train, 0);
  }
});
