import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePoscar } from '../../src/structure/io/poscar.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { bruteForce } from './bruteforce.ts';
import { diag, lnoModel } from './groundstate-helpers.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const celt = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', env: { ...process.env, CELT_NO_PROGRESS: '1' } });
const dir = mkdtempSync(join(tmpdir(), 'celt-gs-'));
const modelFile = join(dir, 'model.json');
lnoModel().save(modelFile);

test('celt groundstate --json: lno 2×2×1 at Li 1/2 equals enumeration; structure files written', () => {
  const out = join(dir, 'out');
  const r = celt('groundstate', '--model', modelFile, '--supercell', '2 0 0,0 2 0,0 0 1', '--composition', 'Li+=0.5', '--time-limit', '30', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const ref = bruteForce(lnoModel(), diag(2, 2, 1), { counts: [{ sublattice: 0, species: 'Li+', count: 2 }] });
  assert.ok(Math.abs(j.energy - ref.energy) < 1e-9, `${j.energy} vs ${ref.energy}`);
  assert.equal(j.status, 'optimal');
  assert.ok(j.gap < 1e-9);
  // Li 2, Ni3+ = Li (charge balance), O 8
  assert.deepEqual({ li: j.composition['Li+'], ni3: j.composition['Ni3+'], o: j.composition['O2-'] }, { li: 2, ni3: 2, o: 8 });
  const s = structureFromPymatgen(JSON.parse(readFileSync(join(out, 'groundstate.json'), 'utf8')));
  assert.equal(s.sites.length, 2 + 4 + 8);
  assert.equal(parsePoscar(readFileSync(join(out, 'POSCAR'), 'utf8')).sites.length, 14);
  assert.equal(j.structure.sites.length, 14);
});

test('celt groundstate: a single integer N means N·I; --mu in eV per atom', () => {
  const r = celt('groundstate', '--model', modelFile, '--supercell', '1', '--mu', 'Li=2', '--json');
  assert.equal(r.status, 0, r.stderr);
  const ref = bruteForce(lnoModel(), diag(1, 1, 1), { mu: { 'Li+': 2 } });
  assert.ok(Math.abs(JSON.parse(r.stdout).objective - ref.objective) < 1e-9);
});

// the other bad inputs are checked in-process in groundstate-errors.test.ts
test('celt groundstate: bad input gives one-line errors and exit 1', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--supercell', '2', '--composition', 'Li+=0.3'], /impossible composition, Li\+=0.3 of the 8 sites/],
    [['--supercell', '0'], /zero volume/],
    [['--supercell', '2', '--mu', 'Mn=1'], /species Mn is not on the lattice/],
  ];
  for (const [args, re] of cases) {
    const r = celt('groundstate', '--model', modelFile, ...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
