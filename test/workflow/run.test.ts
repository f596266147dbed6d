/**
 * The pipeline's glue on a small slice of lmo_drx: the saved model, `predict` on the training
 * files and the training set must agree (mapping options and the intercept travel through the
 * model file), and every skip is accounted for.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Mat } from '../../src/core/matrix.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { configFromObject, DATA_DIR } from '../../src/workflow/config.ts';
import { predictFiles } from '../../src/workflow/predict.ts';
import { silentProgress } from '../../src/core/progress.ts';
import { runWorkflow } from '../../src/workflow/run.ts';

test('run → model.json → predict reproduces the training-set energies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-run-'));
  const all = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, 'lmo_drx/entries.json.gz'))).toString()) as unknown[];
  writeFileSync(join(dir, 'entries.json'), JSON.stringify(all.slice(0, 60)));
  const cfg = configFromObject(
    {
      prim: join(DATA_DIR, 'lmo_drx/prim.json'),
      data: ['entries.json'],
      space: { cutoffs: { 2: 4, 3: 3 } },
      fit: { grid: { alpha: '1e-4:1e-2:3:log' }, cv: 'kfold:3', learningCurve: false },
      output: 'out',
    },
    dir,
  );
  const s = await runWorkflow(cfg, silentProgress);
  assert.equal(s.nEntries, 60);
  assert.equal(s.nMapped + s.nSkipped, 60, 'every entry is mapped or reported');
  assert.ok(s.nMapped >= 10, `mapped ${s.nMapped}`);
  assert.ok(existsSync(join(dir, 'out/report.html')));

  const ts = JSON.parse(readFileSync(join(dir, 'out/training-set.json'), 'utf8')) as { X: number[][]; energy: number[]; entries: number[] };
  const model = ClusterExpansion.load(s.modelFile);
  assert.equal(model.fit.method, 'lasso');
  const X = Mat.fromRows(ts.X);
  const fromTs = model.predict(X);
  // CE energies from predict (maps the raw entries again, with the mapping options stored in the model)
  const preds = await predictFiles(model, [join(dir, 'entries.json')]);
  const byEntry = new Map(preds.filter((p) => p.ok).map((p) => [p.entry, p]));
  assert.equal(byEntry.size, ts.entries.length, 'predict maps exactly the entries training mapped');
  ts.entries.forEach((e, i) => {
    const p = byEntry.get(e)!;
    assert.ok(p.ok);
    assert.ok(Math.abs(p.energyPerPrim - fromTs[i]!) <= 1e-9, `entry ${e}: ${p.energyPerPrim} vs ${fromTs[i]}`);
    assert.ok(Math.abs(p.dftTotal! / p.nPrims - ts.energy[i]!) <= 1e-12, 'same DFT energy per prim');
  });
  // the reported train RMSE is the model's error on the training set
  const rmse = Math.sqrt(fromTs.reduce((a, v, i) => a + (v - ts.energy[i]!) ** 2, 0) / fromTs.length);
  assert.ok(Math.abs(rmse - s.trainRmse) <= 1e-9, `${rmse} vs ${s.trainRmse}`);
});
