/**
 * Issue 19's bad-input classes through the binary: each ends in one line naming the option or
 * file and exit 1, before any long work — work that cannot finish is refused with its limit,
 * and input that would silently give a wrong number is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'celt-bad-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const LNO = join(DATA_DIR, 'lno');
const PRIM = join(LNO, 'prim.json');
const csv = file('d.csv', 'x,y\n0,1\n1,3\n2,5\n3,7\n4,9\n');
const cif = (angles: string, ops: string[]) =>
  `data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n${angles}\nloop_\n_symmetry_equiv_pos_as_xyz\n${ops.map((o) => `'${o}'`).join('\n')}\nloop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nCu1 Cu 0.1 0.2 0.3\n`;
const poscarTwoAtoms = (d: number) => `two\n1.0\n4 0 0\n0 4 0\n0 0 4\nCu\n2\nCartesian\n0 0 0\n${d} 0 0\n`;

const cases: Array<[string, string[], RegExp]> = [
  ['cutoffs past the orbit-search limit', ['space', '--prim', PRIM, '--cutoffs', '2:10000'], /field 'cutoffs': a 2-site cutoff of 10000 Å means ~.* candidate clusters .* use at most ~[\d.]+ Å/],
  ['a supercell size of 10⁹', ['map', '--prim', PRIM, '--data', join(LNO, 'entries.json.gz'), '--supercell-size', '1000000000', '--out', join(dir, 'm.json')], /--supercell-size 1000000000 is past the limit of 10000/],
  ['a tolerance of 10⁶', ['map', '--prim', PRIM, '--data', join(LNO, 'entries.json.gz'), '--stol', '1e6', '--out', join(dir, 'm.json')], /--stol 1e6 is past the limit of 1/],
  ['10⁸ CV splits', ['fit', '--data', csv, '--method', 'ols', '--cv', 'shuffle:100000000:0.2', '--out', join(dir, 'f.json')], /--cv shuffle:100000000 is past the limit of 10000 splits/],
  ['10⁸ bootstrap samples', ['fit', '--data', csv, '--method', 'ols', '--bootstrap', '100000000', '--out', join(dir, 'f.json')], /--bootstrap 100000000 is past the limit/],
  ['10⁸ BO calls', ['charges', '--data', csv, '--element', 'Mn', '--states', '2,3', '--calls', '100000000'], /--calls 100000000 is past the limit of 2000/],
  ['a grid of 10⁹ points', ['search', '--data', csv, '--method', 'ridge', '--grid', 'alpha=1e-6:1:1000000000:log', '--out', join(dir, 's.json')], /count from 1 to 10000/],
  ['an empty grid', ['search', '--data', csv, '--method', 'ridge', '--grid', 'alpha=', '--out', join(dir, 's.json')], /grid 'alpha=' has no values/],
  ['a parameter given twice', ['fit', '--data', csv, '--method', 'ridge', '--param', 'alpha=1', '--param', 'alpha=2', '--out', join(dir, 'f.json')], /--param alpha is given twice/],
  ['--threads 0', ['fit', '--data', csv, '--method', 'ols', '--cv', 'kfold:2', '--threads', '0', '--out', join(dir, 'f.json')], /--threads must be a whole number from 1 to 256, got '0'/],
  ['--threads abc', ['search', '--data', csv, '--method', 'ridge', '--grid', 'alpha=1', '--threads', 'abc', '--out', join(dir, 's.json')], /--threads must be a whole number/],
  ['--seed abc', ['fit', '--data', csv, '--method', 'ols', '--seed', 'abc', '--out', join(dir, 'f.json')], /--seed must be a whole number/],
  ["--states ''", ['charges', '--data', csv, '--element', 'Mn', '--states', ''], /--states must be comma-separated integers/],
  ['CIF angles 120/120/120', ['structure', 'info', file('flat.cif', cif('_cell_angle_alpha 120\n_cell_angle_beta 120\n_cell_angle_gamma 120', ['x,y,z']))], /degenerate or coplanar/],
  ['a singular CIF symmetry operation', ['structure', 'info', file('sing.cif', cif('_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90', ['x,y,z', 'x,x,z']))], /'x,x,z' is not a lattice symmetry/],
  ['two atoms on one position', ['structure', 'info', file('POSCAR_same', poscarTwoAtoms(0))], /sites 0 and 1 are 0\.000 Å apart/],
  ['two atoms 0.008 Å apart', ['structure', 'info', file('POSCAR_near', poscarTwoAtoms(0.008))], /sites 0 and 1 are 0\.008 Å apart/],
  ['an entries file that is a number', ['map', '--prim', PRIM, '--data', file('num.json', '42'), '--out', join(dir, 'm.json')], /expected a list of entries or structures, got number/],
  ['an empty entries list', ['map', '--prim', PRIM, '--data', file('empty.json', '[]'), '--out', join(dir, 'm.json')], /holds no entries/],
  ['a hexadecimal CSV cell', ['fit', '--data', file('hex.csv', 'x,y\n0x10,1\n2,3\n3,4\n'), '--method', 'ols', '--out', join(dir, 'f.json')], /'0x10' is not a number/],
  ['energies whose squares overflow', ['fit', '--data', file('big.csv', 'x,y\n1,1e200\n2,3\n3,4\n'), '--method', 'ols', '--out', join(dir, 'f.json')], /past ±1e\+100/],
  ['featurize where nothing maps', ['featurize', '--prim', PRIM, '--data', join(LNO, 'entries.json.gz'), '--cutoffs', '2:4', '--ltol', '0.001', '--stol', '0.001', '--angle-tol', '0.01', '--out', join(dir, 't.json')], /no entry could be featurized/],
];

for (const [what, args, message] of cases) {
  test(`bad input: ${what}`, () => {
    const r = run(args);
    assert.equal(r.status, 1, `${what}: exit ${r.status}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines.at(-1)!, /^celt: /, r.stderr);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
}
