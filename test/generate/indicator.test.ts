import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Mat3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { evaluateIndicator, reduceToIndicators } from '../../src/generate/indicator.ts';
import { GroundStateProblem } from '../../src/generate/groundstate-problem.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../data-dir.ts';
import { diag, fccModel, lnoModel } from './groundstate-helpers.ts';

/** Max |model energy − indicator polynomial| (eV per prim) over random labelings. */
function maxError(ce: ClusterExpansion, sc: Mat3, n: number, seed: number): number {
  const p = new GroundStateProblem(ce, sc);
  const rng = new Rng(seed);
  let err = 0;
  for (let t = 0; t < n; t++) {
    const codes = Int32Array.from(p.species, (l) => rng.int(l.length));
    err = Math.max(err, Math.abs(p.energy(codes) - evaluateIndicator(p.h, codes) / p.nPrims));
  }
  return err;
}

const SKEW: Mat3 = [[1, 1, 0], [0, 1, 1], [1, 0, 2]];

test('reduceToIndicators on a hand-worked 2×3 table', () => {
  // f(a, b) with a ∈ {0,1} (ref 1), b ∈ {0,1,2} (ref 2): g = f(a,b) − f(a,ref) − f(ref,b) + f(ref,ref) etc.
  const f = [1, 2, 3, 4, 5, 6]; // f(0,·) = 1 2 3, f(1,·) = 4 5 6
  const t = Float64Array.from(f);
  reduceToIndicators(t, [2, 3]);
  // constant f(1,2) = 6; x_{b0}: f(1,0) − 6 = −2; x_{b1}: −1; x_{a0}: f(0,2) − 6 = −3; x_{a0}x_{b0}: 1 − 3 − 4 + 6 = 0
  assert.deepEqual(Array.from(t), [0, 0, -3, -2, -1, 6]);
});

test('indicator polynomial reproduces the model energy to 1e-10 (fcc binary, pairs + triplets)', () => {
  const ce = fccModel();
  for (const sc of [diag(1, 1, 1), diag(2, 1, 1), diag(2, 2, 2), SKEW, diag(3, 3, 1)]) assert.ok(maxError(ce, sc, 30, 1) < 1e-10);
});

test('indicator polynomial reproduces the model energy to 1e-10 (lno with Ewald)', () => {
  const ce = lnoModel();
  for (const sc of [diag(1, 1, 1), diag(2, 2, 1), SKEW, diag(2, 2, 2)]) assert.ok(maxError(ce, sc, 30, 2) < 1e-10);
});

test('indicator polynomial reproduces the model energy to 1e-10 (lmo_drx: 3- and 5-species sites, orthonormal sinusoid basis, Ewald)', () => {
  const prim = readStructureFile(join(DATA_DIR, 'lmo_drx/prim.json'));
  const space = ClusterSpace.build(prim, cutoffsFromObject({ 2: 3.5, 3: 3 }), { ewald: true, orthonormal: true });
  const rng = new Rng(5);
  const ce = new ClusterExpansion(space, Float64Array.from({ length: space.nFeatures }, () => rng.normal() * 0.1), { method: 'random', params: {}, intercept: 0 });
  for (const sc of [diag(1, 1, 1), diag(2, 1, 1), SKEW]) assert.ok(maxError(ce, sc, 30, 3) < 1e-10);
});
