/**
 * `celt search` through the binary reproduces scikit-learn's LassoCV on agpd_fcc: the stored
 * fixture (test/fixtures/fit/make_sklearn_refs.py) holds LassoCV's α grid, its mean fold MSE
 * path over sklearn's unshuffled KFold(5) and the chosen α; `--cv kfold:5:ordered` gives the
 * same folds, so CV RMSE² must equal the mse path point by point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR } from '../data-dir.ts';
import { refs } from './helpers.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

test('celt search --cv kfold:5:ordered equals LassoCV on agpd_fcc: α grid, mse path, best α', () => {
  const ref = refs().agpd_lasso_cv;
  const lo = Math.min(...ref.alphas), hi = Math.max(...ref.alphas);
  const out = join(mkdtempSync(join(tmpdir(), 'celt-search-')), 'search.json');
  const data = `${join(DATA_DIR, 'agpd_fcc/corr.npy')},${join(DATA_DIR, 'agpd_fcc/energy.npy')}`;
  const args = ['search', '--data', data, '--method', 'lasso', '--grid', `alpha=${lo}:${hi}:${ref.alphas.length}:log`, '--cv', 'kfold:5:ordered', '--param', 'tol=1e-10', '--param', 'max_iter=1000000', '--out', out];
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(out, 'utf8')) as { points: Array<{ params: { alpha: number }; cvRmse: number }>; best: { params: { alpha: number } } };
  assert.equal(res.points.length, ref.alphas.length);
  ref.alphas.forEach((a, k) => {
    const p = res.points.find((q) => Math.abs(q.params.alpha - a) <= 1e-12 * a);
    assert.ok(p, `α ${a} is on celt's grid`);
    assert.ok(Math.abs(p.cvRmse ** 2 - ref.mse_mean[k]!) <= 1e-6 * ref.mse_mean[k]!, `α ${a}: ${p.cvRmse ** 2} vs ${ref.mse_mean[k]}`);
  });
  assert.ok(Math.abs(res.best.params.alpha - ref.alpha) <= 1e-12 * ref.alpha, `best α ${res.best.params.alpha} vs ${ref.alpha}`);
});
