/**
 * Model selection: Eq. 10 CV against a hand loop, closed-form LOO against explicit refits,
 * the lasso path CV against scikit-learn's LassoCV (same unshuffled 5 folds), one-SE rule on a
 * hand-made table, and worker threads giving the same numbers as inline runs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Mat } from '../../src/core/matrix.ts';
import { Rng } from '../../src/core/rng.ts';
import { createEstimator } from '../../src/fit/registry.ts';
import { crossValidate, looClosedForm } from '../../src/fit/selection/cv.ts';
import { enetCV, pathFold, type PathFoldTask } from '../../src/fit/selection/enet-path-cv.ts';
import { runTasks } from '../../src/fit/selection/parallel.ts';
import { gridSearch, lineSearch, oneStandardError, parseGrid, type SearchPoint } from '../../src/fit/selection/search.ts';
import { kfold, makeSplits, parseCv, type Split } from '../../src/fit/selection/splits.ts';
import { agpd, refs, relErr } from './helpers.ts';

const R = refs();
const syn = { X: Mat.fromRows(R.synthetic.X), y: Float64Array.from(R.synthetic.y) };

test('k-fold CV is sqrt(mean fold MSE) (seed 000 Eq. 10), folds partition the data', () => {
  const splits = kfold(syn.X.rows, 5, new Rng(3));
  const seen = new Uint8Array(syn.X.rows);
  for (const s of splits) for (const i of s.test) seen[i]!++;
  assert.ok(seen.every((c) => c === 1));
  const cv = crossValidate('ridge', { alpha: 0.5 }, {}, syn.X, syn.y, splits);
  let acc = 0;
  for (const s of splits) {
    const est = createEstimator('ridge', { alpha: 0.5 }).fit(syn.X.selectRows(s.train), Float64Array.from(s.train, (i) => syn.y[i]!));
    const pr = est.predict(syn.X.selectRows(s.test));
    let se = 0;
    s.test.forEach((i, t) => (se += (syn.y[i]! - pr[t]!) ** 2));
    acc += se / s.test.length;
  }
  assert.ok(Math.abs(cv.rmse - Math.sqrt(acc / 5)) < 1e-14);
  // Same seed, same splits; different seed, different splits.
  assert.deepEqual(makeSplits(50, parseCv('shuffle:50:0.2'), 7), makeSplits(50, parseCv('shuffle:50:0.2'), 7));
  assert.notDeepEqual(makeSplits(50, parseCv('kfold:5'), 7)[0]!.test, makeSplits(50, parseCv('kfold:5'), 8)[0]!.test);
});

test('closed-form LOO equals explicit leave-one-out refits (OLS and ridge)', () => {
  const loo = makeSplits(syn.X.rows, { kind: 'loo' });
  for (const [method, alpha] of [['ols', 0], ['ridge', 2]] as const) {
    const explicit = crossValidate(method, method === 'ridge' ? { alpha } : {}, {}, syn.X, syn.y, loo);
    const closed = looClosedForm(syn.X, syn.y, alpha);
    assert.ok(Math.abs(explicit.rmse - closed.rmse) < 1e-10 * explicit.rmse, `${method}: ${explicit.rmse} vs ${closed.rmse}`);
  }
});

test('lasso path CV matches scikit-learn LassoCV on agpd_fcc (same folds, α grid, best α, coefficients)', async () => {
  const { X, y } = agpd();
  const n = X.rows;
  // sklearn's KFold(5) without shuffling: contiguous blocks, the first n % 5 one larger.
  const splits: Split[] = [];
  let start = 0;
  for (let f = 0; f < 5; f++) {
    const size = Math.floor(n / 5) + (f < n % 5 ? 1 : 0);
    const test = Int32Array.from({ length: size }, (_, k) => start + k);
    const train = Int32Array.from([...Array(n).keys()].filter((i) => i < start || i >= start + size));
    splits.push({ train, test });
    start += size;
  }
  const r = await enetCV(X, y, splits, { tol: 1e-10, maxIter: 1e6 });
  const ref = R.agpd_lasso_cv;
  assert.ok(relErr(r.alphas, ref.alphas) < 1e-12);
  assert.ok(relErr(r.mseMean, ref.mse_mean) < 1e-6, `mse path rel err ${relErr(r.mseMean, ref.mse_mean)}`);
  assert.ok(Math.abs(r.bestAlpha - ref.alpha) < 1e-12 * ref.alpha, `best α ${r.bestAlpha} vs ${ref.alpha}`);
  assert.ok(relErr(r.coef, ref.coef) < 1e-6);
});

test('one-standard-error rule picks the sparsest point within best + SE', () => {
  const pt = (alpha: number, rmse: number, se: number, nnz: number): SearchPoint => ({ params: { alpha }, cv: { rmse, se, nNonzeroMean: nnz } as SearchPoint['cv'] });
  const pts = [pt(1e-5, 1.0, 0.1, 40), pt(1e-4, 0.95, 0.1, 30), pt(1e-3, 1.04, 0.1, 12), pt(1e-2, 1.2, 0.1, 5)];
  const { best, oneSE } = oneStandardError(pts);
  assert.equal(best.params.alpha, 1e-4);
  assert.equal(oneSE.params.alpha, 1e-3);
  assert.deepEqual(parseGrid('alpha=1e-6:1e-1:6:log').values.map((v) => Math.round(Math.log10(v))), [-6, -5, -4, -3, -2, -1]);
});

test('grid search: worker threads give the same numbers as inline; path and per-point searches agree', async () => {
  const splits = makeSplits(syn.X.rows, parseCv('kfold:4'), 1);
  const axes = [parseGrid('alpha=1e-3:1e-1:5:log')];
  const a = await gridSearch('lasso', { tol: 1e-10 }, axes, {}, syn.X, syn.y, splits, { threads: 1 });
  const b = await gridSearch('lasso', { tol: 1e-10 }, axes, {}, syn.X, syn.y, splits, { threads: 2 });
  assert.deepEqual(a.points.map((p) => p.cv.rmse), b.points.map((p) => p.cv.rmse));
  // The warm-started path search equals independent fits at each α.
  for (const p of a.points) {
    const direct = crossValidate('lasso', { alpha: p.params.alpha, tol: 1e-10 }, {}, syn.X, syn.y, splits);
    assert.ok(Math.abs(direct.rmse - p.cv.rmse) < 1e-6 * direct.rmse);
  }
  const g = await gridSearch('ridge', {}, [parseGrid('alpha=1e-2:1e2:5:log')], {}, syn.X, syn.y, splits, { threads: 2 });
  const g1 = await gridSearch('ridge', {}, [parseGrid('alpha=1e-2:1e2:5:log')], {}, syn.X, syn.y, splits, { threads: 1 });
  assert.deepEqual(g.points.map((p) => p.cv.rmse), g1.points.map((p) => p.cv.rmse));
  const tasks: PathFoldTask[] = [{ train: splits[0]!.train, test: splits[0]!.test, alphas: Float64Array.of(0.1, 0.01), l1Ratio: 1, tol: 1e-8, maxIter: 1e5, fitIntercept: true }];
  const viaPool = await runTasks(syn.X, syn.y, undefined, {}, tasks.map((t) => ({ kind: 'path' as const, ...t })), { threads: 1 });
  assert.deepEqual(viaPool[0], pathFold(syn.X, syn.y, tasks[0]!));
});

test('golden-section line search lands at the minimum of a dense grid (ridge α)', async () => {
  const splits = makeSplits(syn.X.rows, parseCv('kfold:5'), 2);
  const grid = await gridSearch('ridge', {}, [parseGrid('alpha=1e-3:1e2:61:log')], {}, syn.X, syn.y, splits, { threads: 1 });
  const ls = await lineSearch('ridge', {}, 'alpha', 1e-3, 1e2, {}, syn.X, syn.y, splits, { iterations: 25 });
  assert.ok(ls[0]!.cv.rmse <= grid.best.cv.rmse + 1e-12, `${ls[0]!.cv.rmse} vs ${grid.best.cv.rmse}`);
  assert.ok(Math.abs(Math.log10(ls[0]!.params.alpha!) - Math.log10(grid.best.params.alpha!)) < 0.1);
});
