/**
 * The local executor gives the pre-existing in-process result: the fixtures in
 * test/fixtures/exec were written by `celt mc` / `celt search` / `celt sparsity-study` as they were before task grids
 * existed (make-reference.sh, commit bdf1836); a grid run through the local executor — on one
 * thread, on the stage's worker pool, and through the CLI — must give the same canonical file
 * (timing and path fields removed) byte for byte, and every other output file equal to today's
 * in-process run.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseSupercell } from '../../src/structure/supercell.ts';
import { loadDataset } from '../../src/data/matrix-io.ts';
import { canonicalResultText } from '../../src/exec/codec.ts';
import { LocalExecutor } from '../../src/exec/executor.ts';
import { closePool } from '../../src/fit/selection/parallel.ts';
import { searchGridSpec } from '../../src/fit/selection/search-grid.ts';
import { parseGrid } from '../../src/fit/selection/search.ts';
import { makeSplits, parseCv } from '../../src/fit/selection/splits.ts';
import { mcGridSpec } from '../../src/mc/grid.ts';
import { type McOptions, parseMu, runMonteCarlo } from '../../src/mc/run.ts';
import { parseComposition } from '../../src/mc/init.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { writeMcOutput } from '../../src/report/mc.ts';
import { runGrid } from '../../src/workflow/grids.ts';
import { studyGridSpec } from '../../src/workflow/sparsity-grid.ts';
import { studyPrelude } from '../../src/workflow/sparsity-study.ts';
import { DATA_DIR } from '../data-dir.ts';

const FIX = fileURLToPath(new URL('../fixtures/exec/', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tmp = () => mkdtempSync(join(tmpdir(), 'celt-equiv-'));
const canon = (file: string) => canonicalResultText(JSON.parse(readFileSync(file, 'utf8')));
const model = ClusterExpansion.load(join(FIX, 'lno-model.json'));

function mcOptions(path: boolean): McOptions {
  return { supercell: parseSupercell('2'), ensemble: 'charge-neutral', T: [3000, 6000, 9000, 12000], mu: [parseMu('Li+=-5.5'), parseMu('Li+=-5')], steps: 2000, seed: 3, path, init: { composition: parseComposition('Li+=0.5,Ni4+=0.5') } };
}

test('mc: in-process run and local-executor grids (1 and 2 threads) equal the pre-grid reference', async () => {
  const ref = canon(join(FIX, 'mc-summary.json'));
  const plain = tmp();
  await writeMcOutput(plain, await runMonteCarlo(model, mcOptions(false)), { plots: false });
  assert.equal(canon(join(plain, 'summary.json')), ref);
  assert.equal(readFileSync(join(plain, 'trace.csv'), 'utf8'), readFileSync(join(FIX, 'mc-trace.csv'), 'utf8'));
  for (const threads of [1, 2]) {
    const out = tmp(), dir = join(out, 'grid');
    const spec = mcGridSpec(model, mcOptions(false), ['test'], { out, plots: false });
    const r = await runGrid(dir, spec, 3, new LocalExecutor(threads));
    assert.equal(r.manifest.tasks.length, 8, 'one task per condition');
    assert.equal(canon(join(out, 'summary.json')), ref, `threads ${threads}`);
    for (const f of readdirSync(plain).filter((f) => f !== 'summary.json')) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(plain, f), 'utf8'), f);
  }
});

test('mc --path: the whole path is one task and equals the pre-grid reference', async () => {
  const out = tmp();
  const spec = mcGridSpec(model, mcOptions(true), ['test'], { out, plots: false });
  assert.equal(spec.inputs.length, 1);
  await runGrid(join(out, 'grid'), spec, 1, new LocalExecutor(2));
  assert.equal(canon(join(out, 'summary.json')), canon(join(FIX, 'mc-path-summary.json')));
});

test('search: lasso α paths and ridge grid points through the local executor equal the pre-grid reference', async () => {
  const data = `${join(DATA_DIR, 'agpd_fcc/corr.npy')},${join(DATA_DIR, 'agpd_fcc/energy.npy')}`;
  const ds = loadDataset(data);
  const cases = [
    { method: 'lasso', grid: 'alpha=1e-5:1e-2:12:log', cv: 'kfold:5', seed: 1, ref: 'search-lasso.json', tasks: 5 },
    { method: 'ridge', grid: 'alpha=1e-6:1e-1:6:log', cv: 'kfold:4', seed: 2, ref: 'search-ridge.json', tasks: 24 },
  ];
  for (const c of cases) {
    for (const threads of [1, 2]) {
      const out = join(tmp(), 'search.json');
      const splits = makeSplits(ds.X.rows, parseCv(c.cv), c.seed);
      const shared = { rows: ds.X.rows, cols: ds.X.cols, X: ds.X.data, y: ds.y, ctx: { featureNames: ds.featureNames }, method: c.method, fixed: {}, axes: [parseGrid(c.grid)], splits };
      const spec = searchGridSpec(shared, ['test'], { out, cv: c.cv, seed: c.seed, data: { source: ds.source, nSamples: ds.X.rows, nFeatures: ds.X.cols } });
      assert.equal(spec.inputs.length, c.tasks, `${c.method}: tasks`);
      await runGrid(`${out}.grid`, spec, 4, new LocalExecutor(threads));
      assert.equal(canon(out), canon(join(FIX, c.ref)), `${c.method}, ${threads} threads`);
    }
  }
  await closePool();
});

test('the CLI: celt search --executor local writes the reference file; a second run reuses every task', () => {
  const out = join(tmp(), 'search.json');
  const data = `${join(DATA_DIR, 'agpd_fcc/corr.npy')},${join(DATA_DIR, 'agpd_fcc/energy.npy')}`;
  const args = ['search', '--data', data, '--method', 'lasso', '--grid', 'alpha=1e-5:1e-2:12:log', '--cv', 'kfold:5', '--seed', '1', '--out', out, '--executor', 'local'];
  const env = { ...process.env, CELT_NO_PROGRESS: '1' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(canon(out), canon(join(FIX, 'search-lasso.json')));
  const stamps = () => readdirSync(join(`${out}.grid`, 'tasks')).sort().map((f) => [f, statSync(join(`${out}.grid`, 'tasks', f)).mtimeMs]);
  const before = stamps();
  assert.equal(before.length, 5, 'one task per fold');
  const again = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env });
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(stamps(), before, 'no task file rewritten');
  assert.equal(canon(out), canon(join(FIX, 'search-lasso.json')));
});

test('sparsity-study: the two-phase grid (1 and 2 threads) equals the pre-grid study on planted.csv', async () => {
  const ds = loadDataset(join(FIX, 'planted.csv'));
  const ref = canonicalResultText(JSON.parse(readFileSync(join(FIX, 'study.json'), 'utf8')), ['seconds', 'data']);
  for (const threads of [1, 2]) {
    const out = tmp();
    const ctx = { featureNames: ds.featureNames };
    const pre = await studyPrelude(ds.X, ds.y, ctx, { cv: parseCv('kfold:4'), seed: 2, threads, timeLimit: 1e9, repeats: 3, subsetFractions: [0.5, 0.8], l0Params: { max_nodes: 100000 } });
    const spec = studyGridSpec({ rows: ds.X.rows, cols: ds.X.cols, X: ds.X.data, y: ds.y, ctx, pre }, ['test'], { out, data: ds.source, featureNames: ds.featureNames, title: 't', scale: 1000, unit: 'meV' });
    assert.equal(spec.inputs.length, 12 * 4 + 12 + 6, 'μ0 × fold CV fits, one full fit per μ0, one task per subset');
    assert.deepEqual([...new Set(spec.phases)], [0, 1]);
    await runGrid(join(out, 'grid'), spec, 5, new LocalExecutor(threads));
    assert.equal(canonicalResultText(JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')), ['seconds', 'data']), ref, `threads ${threads}`);
    for (const [f, g] of [['fig4a_cv_vs_sparsity.csv', 'study-fig4a.csv'], ['fig4b_eci_convergence.csv', 'study-fig4b.csv']]) assert.equal(readFileSync(join(out, f!), 'utf8'), readFileSync(join(FIX, g!), 'utf8'), f);
  }
  await closePool();
});
