import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { Mat } from '../../src/core/matrix.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { predictFiles } from '../../src/workflow/predict.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../../src/workflow/config.ts';

const dir = mkdtempSync(join(tmpdir(), 'celt-model-'));
const prim = readStructureFile(join(DATA_DIR, 'lmo_drx/prim.json'));
// small cutoffs keep the test fast; Ewald on so the external term round-trips too
const space = ClusterSpace.build(prim, cutoffsFromObject({ 2: 4, 3: 3 }), { basis: 'sinusoid', ewald: true });

function randomModel(seed: number): ClusterExpansion {
  const rng = new Rng(seed);
  const coef = Float64Array.from({ length: space.nFeatures - 1 }, () => rng.normal() * (rng.uniform(0, 1) < 0.3 ? 0 : 0.1));
  return ClusterExpansion.fromCoefficients(space, coef, -7.25, { method: 'lasso', params: { alpha: 1e-4 }, mapping: { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-', mode: 'standard' } });
}

test('a saved model reloads and predicts the same energies to 1e-12', async () => {
  const model = randomModel(7);
  const file = join(dir, 'model.json');
  model.save(file);
  const back = ClusterExpansion.load(file);
  assert.deepEqual(back.featureNames, model.featureNames);
  // bit-exact (JSON writes -0 as 0, which === treats as equal)
  model.eci.forEach((v, j) => assert.ok(back.eci[j] === v, `eci ${j}`));
  // structures: the ordered spinel and the first few lmo_drx DFT entries that map
  const files = [join(DATA_DIR, 'lmo_drx/spinel_LiMn2O4.json')];
  const a = await predictFiles(model, files);
  const b = await predictFiles(back, files);
  assert.equal(a.length, b.length);
  const ok = a.filter((p) => p.ok);
  assert.ok(ok.length >= 1, 'the spinel maps onto its own lattice');
  a.forEach((p, i) => {
    const q = b[i]!;
    assert.equal(p.ok, q.ok);
    if (p.ok && q.ok) {
      assert.ok(Math.abs(p.energyTotal - q.energyTotal) <= 1e-12 * Math.max(1, Math.abs(p.energyTotal)), `${p.energyTotal} vs ${q.energyTotal}`);
      assert.equal(p.nPrims, 32, 'LiMn2O4 spinel conventional cell: 32 O = 32 prim cells');
    }
  });
  // random feature matrix: reload is exact on any input
  const rng = new Rng(3);
  const X = new Mat(20, space.nFeatures, Float64Array.from({ length: 20 * space.nFeatures }, () => rng.uniform(-1, 1)));
  const pa = model.predict(X), pb = back.predict(X);
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(pa[i]! - pb[i]!) <= 1e-12, `${pa[i]} vs ${pb[i]}`);
});

test('the intercept is folded into the constant ECI (hand case)', () => {
  const coef = new Float64Array(space.nFeatures - 1);
  coef[0] = 2; // first point function
  coef[space.nFeatures - 2] = 0.5; // Ewald
  const m = ClusterExpansion.fromCoefficients(space, coef, -3, { method: 'ols', params: {} });
  const f = new Float64Array(space.nFeatures);
  f[0] = 1;
  f[1] = 0.25;
  f[space.nFeatures - 1] = -4;
  // E = -3·1 + 2·0.25 + 0.5·(-4) = -4.5
  assert.equal(m.predictOne(f), -4.5);
  assert.equal(m.eci[0], -3);
});

test('a model whose space no longer matches its features is refused, naming the field', () => {
  const model = randomModel(1);
  const json = model.toJSON();
  json.featureNames = [...json.featureNames];
  json.featureNames[3] = 'something else';
  const file = join(dir, 'tampered.json');
  writeFileSync(file, JSON.stringify(json));
  assert.throws(() => ClusterExpansion.load(file), (e: unknown) => e instanceof InputError && e.location.field === 'featureNames' && /does not match/.test(e.message));
  writeFileSync(file, JSON.stringify({ ...json, format: 'other' }));
  assert.throws(() => ClusterExpansion.load(file), /not a celt model file/);
  assert.throws(() => ClusterExpansion.load(join(dir, 'missing.json')), /model file not found/);
  const raw = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  assert.equal(raw.format, 'celt-cluster-expansion');
});
