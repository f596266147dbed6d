/**
 * Ag–Pd fcc (sparse-lm example): the lasso's missing and spurious ground states against
 * scikit-learn + a brute-force hull (test/fixtures/workflow/make_agpd_hull.py), and the
 * ground-state-preserving fit keeping exactly the DFT ground states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Mat } from '../../src/core/matrix.ts';
import { parseNpy } from '../../src/data/npy.ts';
import { createEstimator, prepareMethod, resolveParams } from '../../src/fit/registry.ts';
import { ConstrainedLS } from '../../src/fit/methods/constrained.ts';
import { groundStateConstraints } from '../../src/thermo/ground-state-constraints.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { DATA_DIR } from '../../src/workflow/config.ts';
import { readJsonFile } from '../../src/structure/io/read.ts';
import { compareHulls } from '../../src/workflow/thermo-analysis.ts';

// HiGHS loads on demand (core/highs.ts): the constrained fits below are synchronous
await prepareMethod('constrained');

const ref = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/workflow/agpd_hull.json'), 'utf8')) as {
  dft_vertices: number[];
  lasso_vertices: number[];
  missing: number[];
  spurious: number[];
  intercept: number;
};
const dir = join(DATA_DIR, 'agpd_fcc');
const corr = parseNpy(readFileSync(join(dir, 'corr.npy')));
const y = parseNpy(readFileSync(join(dir, 'energy.npy'))).data;
const X = new Mat(corr.shape[0]!, corr.shape[1]!, corr.data);
const structures = (readJsonFile(join(dir, 'structures.json.gz')) as unknown[]).map((d) => structureFromPymatgen(d));
const names = structures.map((_, i) => String(i));
const total = (e: ArrayLike<number>) => Float64Array.from(structures, (s, i) => e[i]! * s.numSites);
const sorted = (a: number[]) => [...a].sort((p, q) => p - q);

test('lasso (alpha 1.29e-5): DFT, CE ground states and missing/spurious lists equal scikit-learn + brute force', () => {
  const est = createEstimator('lasso', { alpha: 1.29e-5, tol: 1e-10, max_iter: 200000 }).fit(X, y);
  assert.ok(Math.abs(est.intercept - ref.intercept) < 1e-6);
  const h = compareHulls(structures, names, total(y), total(est.predict(X)));
  assert.deepEqual(sorted(h.dftHull), sorted(ref.dft_vertices));
  assert.deepEqual(sorted(h.ceHull), sorted(ref.lasso_vertices));
  assert.deepEqual(sorted(h.missing), sorted(ref.missing));
  assert.deepEqual(sorted(h.spurious), sorted(ref.spurious));
});

test('ground-state-preserving fit keeps exactly the DFT ground states', () => {
  const x = Float64Array.from(structures, (s) => (s.composition().get('Pd') ?? 0) / s.numSites);
  const rows = groundStateConstraints(X, x, y, { margin: 1e-4 });
  const est = new ConstrainedLS(resolveParams('constrained', { alpha: 1.29e-5 }), rows).fit(X, y);
  const h = compareHulls(structures, names, total(y), total(est.predict(X)));
  assert.deepEqual(sorted(h.ceHull), sorted(ref.dft_vertices));
  assert.deepEqual(h.missing, []);
  assert.deepEqual(h.spurious, []);
});
