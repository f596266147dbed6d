/** The `celt fit`, `celt search` and `celt methods` commands end to end (one process each). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listMethods } from '../../src/fit/registry.ts';
import { AGPD, refs, relErr } from './helpers.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'celt-cli-'));
const celt = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
const data = `${AGPD}corr.npy,${AGPD}energy.npy`;

test('celt fit: lasso on agpd_fcc .npy pair reproduces scikit-learn, with 5-fold CV', () => {
  const out = join(dir, 'model.json');
  const r = celt('fit', '--data', data, '--method', 'lasso', '--param', 'alpha=1.29e-5', '--param', 'tol=1e-14', '--param', 'max_iter=10000000', '--cv', 'kfold:5', '--seed', '1', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(out, 'utf8'));
  const ref = refs().agpd.fits.find((f) => f.method === 'lasso' && f.params.alpha === 1.29e-5 && !f.weighted)!;
  assert.ok(relErr(m.coef, ref.coef) < 1e-6);
  assert.equal(m.nNonzero, ref.coef.filter((c) => c !== 0).length);
  assert.ok(m.cv.rmse > m.train.rmse && m.cv.foldRmse.length === 5);
});

test('celt search: grid with best and one-SE points; registry lists every method; errors exit 1', () => {
  const out = join(dir, 'search.json');
  const r = celt('search', '--data', data, '--method', 'lasso', '--grid', 'alpha=1e-6:1e-3:7:log', '--cv', 'kfold:5', '--threads', '2', '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(s.points.length, 7);
  assert.ok(s.points.every((p: { cvRmse: number; cvStd: number }) => p.cvRmse > 0 && p.cvStd >= 0));
  assert.ok(s.oneSE.cvRmse <= s.best.cvRmse + s.best.cvSe + 1e-15 && s.oneSE.params.alpha >= s.best.params.alpha);
  const bad = celt('fit', '--data', data, '--method', 'lassso', '--out', join(dir, 'x.json'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /unknown method 'lassso'/);
  // What `celt methods` prints comes from the registry; every method the issue names is there.
  const names = listMethods().map((m) => m.name);
  for (const name of ['ols', 'ridge', 'tikhonov', 'bayesian-ridge', 'ard', 'lasso', 'elastic-net', 'adaptive-lasso', 'group-lasso', 'sparse-group-lasso', 'rfe', 'omp', 'huber', 'constrained']) assert.ok(names.includes(name), name);
});
