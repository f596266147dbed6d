/**
 * The config's mc block: `celt run` samples the model it just fitted with the same code and seed
 * as `celt mc`, so its summary must equal `celt mc` run afterwards on the written model.json
 * (two entry points, one answer); a bad block is refused before any work, naming mc.* keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '../../src/core/errors.ts';
import { silentProgress } from '../../src/core/progress.ts';
import { configFromObject, DATA_DIR } from '../../src/workflow/config.ts';
import { runWorkflow } from '../../src/workflow/run.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const lno = (mc: Record<string, unknown>) => ({
  prim: join(DATA_DIR, 'lno/prim.json'),
  data: [join(DATA_DIR, 'lno/entries.json.gz')],
  space: { cutoffs: { 2: 5, 3: 4.1 } },
  mapping: { ltol: 0.2, stol: 0.3, angleTol: 5 },
  fit: { method: 'ridge', params: { alpha: 1e-4 }, grid: {}, cv: 'kfold:3', learningCurve: false },
  mc,
  output: 'out',
});
const block = { supercell: 2, ensemble: 'charge-neutral', T: [800, 2000], mu: [{ 'Li+': -3 }], composition: 'Li+=0.5,Ni4+=0.5', steps: 4000, warmup: 1000, thin: 20, seed: 7 };

test('celt run with an mc block writes OUTPUT/mc and the same numbers as celt mc on its model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-run-mc-'));
  await runWorkflow(configFromObject(lno(block), dir), silentProgress);
  assert.ok(existsSync(join(dir, 'out/mc/summary.json')));
  const viaRun = JSON.parse(readFileSync(join(dir, 'out/summary.json'), 'utf8')).mc;
  assert.equal(viaRun.conditions.length, 2);
  assert.match(readFileSync(join(dir, 'out/report.html'), 'utf8'), /Monte Carlo/);
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'mc', '--model', join(dir, 'out/model.json'), '--supercell', '2', '--ensemble', 'charge-neutral', '--T', '800,2000', '--mu', 'Li+=-3', '--composition', 'Li+=0.5,Ni4+=0.5', '--steps', '4000', '--warmup', '1000', '--thin', '20', '--seed', '7', '--json', '--no-plots'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const viaCli = JSON.parse(r.stdout);
  viaRun.conditions.forEach((c: Record<string, unknown>, k: number) => {
    const d = viaCli.conditions[k];
    for (const f of ['T', 'mu', 'energy', 'composition', 'heatCapacity', 'lowestEnergy', 'acceptance', 'equilibrationSteps']) assert.deepEqual(c[f], d[f], `condition ${k}, ${f}`);
  });
});

test('a bad mc block is refused up front, naming the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-run-mc-bad-'));
  const bad = [
    [{ ...block, supercell: 'abc' }, 'mc.supercell'],
    [{ ...block, composition: undefined }, 'mc.composition'],
    [{ ...block, ensemble: 'annealing' }, 'mc.ensemble'],
    [{ ...block, T: [-5] }, 'mc.T[0]'],
    [{ ...block, supercell: undefined }, 'mc.supercell'],
  ] as const;
  for (const [mc, field] of bad) {
    await assert.rejects(
      (async () => runWorkflow(configFromObject(lno(mc), dir), silentProgress))(),
      (e: unknown) => e instanceof OptionError && e.location.field === field,
      field,
    );
  }
  assert.ok(!existsSync(join(dir, 'out')), 'nothing was written');
});
