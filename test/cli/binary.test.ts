/**
 * The installed binary (bin/celt.js, which registers tsx itself) end to end on small inputs:
 * --version, methods, featurize, run, predict, sparsity-study. Expected values come from the
 * pymatgen/smol mapping fixture, smol's published feature count, package.json, or the data's
 * construction — not from the code under test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Rng } from '../../src/core/rng.ts';
import { DATA_DIR } from '../data-dir.ts';

const BIN = fileURLToPath(new URL('../../bin/celt.js', import.meta.url));
const celt = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'celt-bin-'));
const PRIM = join(DATA_DIR, 'lmo_drx/prim.json');
const N = 48;
const ref = JSON.parse(readFileSync(new URL('../fixtures/structure/lmo_mapping_reference.json', import.meta.url), 'utf8')) as { entries: { mapped: boolean }[] };
const expectedMapped = ref.entries.slice(0, N).filter((e) => e.mapped).length;
const all = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, 'lmo_drx/entries.json.gz'))).toString()) as unknown[];
const ENTRIES = join(dir, 'entries.json');
writeFileSync(ENTRIES, JSON.stringify(all.slice(0, N)));

test('celt --version prints package.json\'s version; celt methods lists every method with its parameters', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const v = celt('--version');
  assert.equal(v.status, 0, v.stderr);
  assert.equal(v.stdout.trim(), pkg.version);
  const m = celt('methods');
  assert.equal(m.status, 0, m.stderr);
  // the methods of src/fit/README.md's table, and lasso's documented alpha parameter
  for (const name of ['ols', 'ridge', 'tikhonov', 'bayesian-ridge', 'ard', 'lasso', 'elastic-net', 'adaptive-lasso', 'group-lasso', 'sparse-group-lasso', 'omp', 'rfe', 'huber', 'constrained', 'l0l2', 'best-subset']) {
    assert.match(m.stdout, new RegExp(`^${name}\\b`, 'm'), name);
  }
  assert.match(m.stdout, /alpha/);
});

test('celt featurize: smol\'s 387 features and the pymatgen-mapped entries of a 48-entry slice', () => {
  const out = join(dir, 'train.json');
  const r = celt('featurize', '--prim', PRIM, '--data', ENTRIES, '--cutoffs', '2:6,3:4,4:2', '--ewald', '--supercell-size', 'O2-', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const ts = JSON.parse(readFileSync(out, 'utf8')) as { featureNames: string[]; X: number[][]; energy: number[]; entries: number[]; skipped: unknown[] };
  assert.equal(ts.featureNames.length, 387);
  assert.equal(ts.X.length, expectedMapped);
  assert.equal(ts.entries.length + ts.skipped.length, N);
  assert.ok(ts.X.every((row) => row.length === 387 && row[0] === 1), 'constant correlation first');
});

test('celt run then celt predict: predictions are the model\'s ECIs times the saved feature rows', () => {
  const cfgFile = join(dir, 'celt.json');
  writeFileSync(cfgFile, JSON.stringify({ prim: PRIM, data: ['entries.json'], space: { cutoffs: { 2: 4, 3: 3 } }, fit: { grid: { alpha: '1e-4:1e-2:3:log' }, cv: 'kfold:3', learningCurve: false }, output: 'out' }));
  const r = celt('run', cfgFile);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8')) as { dataset: { total: number; mapped: number } };
  assert.deepEqual([summary.dataset.total, summary.dataset.mapped], [N, expectedMapped]);
  const model = JSON.parse(readFileSync(join(dir, 'out/model.json'), 'utf8')) as { eci: number[] };
  const ts = JSON.parse(readFileSync(join(dir, 'out/training-set.json'), 'utf8')) as { X: number[][]; entries: number[] };
  const p = celt('predict', '--model', join(dir, 'out/model.json'), '--data', ENTRIES, '--json');
  assert.equal(p.status, 0, p.stderr);
  const preds = (JSON.parse(p.stdout) as { predictions: Array<{ ok: boolean; entry: number; energyPerPrim?: number }> }).predictions;
  const byEntry = new Map(preds.filter((q) => q.ok).map((q) => [q.entry, q.energyPerPrim!]));
  assert.equal(byEntry.size, expectedMapped);
  ts.entries.forEach((entry, k) => {
    const hand = ts.X[k]!.reduce((s, x, j) => s + x * model.eci[j]!, 0);
    const got = byEntry.get(entry)!;
    assert.ok(Math.abs(got - hand) < 1e-9 * Math.max(1, Math.abs(hand)), `entry ${entry}: ${got} vs ${hand}`);
  });
});

test('celt sparsity-study: on a planted 2-sparse problem the best ℓ0ℓ2 fit selects exactly the planted features', () => {
  const rng = new Rng(11);
  const n = 40, p = 6;
  const rows = Array.from({ length: n }, () => Array.from({ length: p }, () => rng.normal()));
  const y = rows.map((r) => 2 * r[1]! - 1.5 * r[4]! + 0.01 * rng.normal());
  const csv = join(dir, 'planted.csv');
  writeFileSync(csv, [`${Array.from({ length: p }, (_, j) => `x${j}`).join(',')},y`, ...rows.map((r, i) => `${r.join(',')},${y[i]}`)].join('\n') + '\n');
  const out = join(dir, 'study');
  const r = celt('sparsity-study', '--data', csv, '--out', out, '--threads', '1', '--time-limit', '5', '--subsets', '0.5,0.9', '--repeats', '2', '--cv', 'kfold:4');
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as { l0l2: Array<{ cvRmse: number; nonzero: number; coef?: number[] }> };
  const best = s.l0l2.reduce((b, q) => (q.cvRmse < b.cvRmse ? q : b));
  assert.equal(best.nonzero, 2);
  assert.match(readFileSync(join(out, 'fig4a_cv_vs_sparsity.csv'), 'utf8'), /^method,param,nonzero,cv_rmse,cv_se,gap,status\n/);
});
