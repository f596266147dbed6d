/** The numbers a reader sees in the report: facts, tables and figure data carry the run's values. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeReport } from '../../src/report/report.ts';
import { type RunResults, reportInput } from '../../src/workflow/report-input.ts';

const results: RunResults = {
  title: 'numbers',
  settings: [['cutoffs', '2:6']],
  dataset: { files: ['a.json'], total: 7, mapped: 4, skipped: [{ file: 'a.json', entry: 2, reason: 'size-mismatch', message: 'm' }, { file: 'a.json', entry: 5, reason: 'size-mismatch', message: 'm' }, { file: 'a.json', entry: 6, reason: 'site-conflict', message: 'm' }] },
  space: { nOrbits: 3, nFunctions: 4, nFeatures: 5, spaceGroup: 'Fm-3m (225)', orbits: [{ id: 1, size: 1, diameter: 0, multiplicity: 1, functions: 1, eciNorm: 0.25, nonzero: 1 }, { id: 2, size: 2, diameter: 2.87, multiplicity: 6, functions: 2, eciNorm: 0.0125, nonzero: 2 }] },
  fit: { method: 'lasso', params: { alpha: 1.5e-4 }, trainRmse: 0.0123, cvRmse: 0.0456, cvStd: 0.0078, nNonzero: 3, nFeatures: 5, cvScheme: 'kfold:5' },
  parity: { dft: [1, 2, 3], train: [1.1, 2, 2.9], cv: [1.2, 1.9, 3.1] },
  eci: [{ size: 1, diameter: 0, eci: 0.25 }, { size: 2, diameter: 2.87, eci: -0.0125 }],
  learning: [{ nTrain: 20, train: 0.011, cv: 0.052, cvStd: 0.004 }, { nTrain: 40, train: 0.013, cv: 0.031, cvStd: 0.002 }],
  timings: [['fit', 1.25]],
  modelFile: 'model.json',
};

const input = reportInput(results);
const section = (id: string) => input.sections.find((s) => s.id === id)!;
const fact = (id: string, key: string) => section(id).facts!.find(([k]) => k === key)?.[1];

test('facts carry the run\'s counts and errors', () => {
  assert.equal(fact('dataset', 'entries read'), 7);
  assert.equal(fact('dataset', 'mapped onto the lattice (used for fitting)'), 4);
  assert.equal(fact('dataset', 'skipped'), 3);
  assert.equal(fact('dataset', '  skipped: size-mismatch'), 2);
  assert.equal(fact('dataset', '  skipped: site-conflict'), 1);
  assert.equal(fact('space', 'features (incl. external terms)'), 5);
  assert.equal(fact('fit', 'training RMSE (eV/prim)'), 0.0123);
  assert.equal(fact('fit', 'CV RMSE (eV/prim)'), '0.0456 ± 0.0078');
  assert.equal(fact('fit', 'nonzero ECIs'), '3 of 5');
  assert.equal(fact('fit', 'parameters'), 'alpha=1.500e-4');
  assert.deepEqual(section('space').table!.rows.map((r) => r.slice(0, 5)), [[1, 1, 0, 1, 1], [2, 2, 2.87, 6, 2]]);
});

test('figure data are the run\'s values: parity points, ECIs, learning curve', () => {
  const data = (id: string) => JSON.stringify(section(id).figure!.spec);
  for (const v of ['1.1', '2.9', '1.2', '3.1']) assert.ok(data('parity').includes(v), `parity ${v}`);
  assert.ok(data('eci').includes('-0.0125') && data('eci').includes('2.87'));
  for (const v of ['0.052', '0.031', '0.011', '0.013']) assert.ok(data('learning').includes(v), `learning ${v}`);
});

test('the HTML shows the facts as formatted numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-report-n-'));
  const out = await writeReport({ title: 'n', sections: [section('dataset'), section('fit')].map((s) => ({ ...s, figure: undefined })) }, dir);
  const html = readFileSync(out.html, 'utf8');
  assert.match(html, /entries read<\/td><td[^>]*>7</);
  assert.match(html, /training RMSE \(eV\/prim\)<\/td><td[^>]*>0\.0123</);
  assert.match(html, /0\.0456 ± 0\.0078/);
  assert.match(html, /3 of 5/);
});
