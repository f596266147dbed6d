/**
 * The CLI against smol's published Li–Ni–O numbers (smol documentation, "Adding the Ewald
 * electrostatic term" tutorial on its lno data): cutoffs 2:5, 3:4.1, an Ewald term, supercell
 * size by O2-, pymatgen StructureMatcher defaults (ltol 0.2, stol 0.3, angle_tol 5°) map 27 of
 * the 31 entries; an ordinary least-squares fit of the energy per primitive cell gives a train
 * RMSE of 7.366465 meV/prim and a dielectric constant ε = 1 / ECI_ewald = 9.4131.
 * The browser lab's end-to-end test (test/lab/) reads the same two numbers from the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

/** The flags that reproduce smol's lno tutorial (lab/test/lab.e2e.test.ts uses the same). */
const LNO_FEATURIZE = ['--cutoffs', '2:5,3:4.1', '--ewald', '--supercell-size', 'O2-', '--ltol', '0.2', '--stol', '0.3', '--angle-tol', '5'];

test("celt featurize + fit --method ols on lno reproduce smol's 7.366465 meV/prim and ε = 9.4131", () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-lno-'));
  const train = join(dir, 'train.json'), model = join(dir, 'ols.json');
  const f = run(['featurize', '--prim', join(DATA_DIR, 'lno/prim.json'), '--data', join(DATA_DIR, 'lno/entries.json.gz'), ...LNO_FEATURIZE, '--out', train]);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /featurized 27, skipped 4/);
  const r = run(['fit', '--data', train, '--method', 'ols', '--out', model]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(readFileSync(model, 'utf8')) as { featureNames: string[]; coef: number[]; train: { rmse: number } };
  assert.equal(m.featureNames.at(-1), 'ewald');
  const rmseMeV = m.train.rmse * 1000;
  const epsilon = 1 / m.coef.at(-1)!;
  // smol prints 7.366465 meV/prim and 9.4131: agreement to the digits it publishes.
  assert.ok(Math.abs(rmseMeV - 7.366465) < 5e-6, `train RMSE ${rmseMeV} meV/prim, smol 7.366465`);
  assert.ok(Math.abs(epsilon - 9.4131) < 5e-5, `ε ${epsilon}, smol 9.4131`);
});
