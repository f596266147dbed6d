/**
 * ASE SQLite databases, checked on icet's Ag–Pd tutorial data (data/agpd_icet, 625 rows): the
 * atom counts per row as Python's sqlite3 + numpy read them, icet's 82 correlation functions
 * for cutoffs 13.5/6.5/6.0 Å, and icet's OLS train RMSE on `mixing_energy` (1.594565 meV/atom,
 * issue 19's reference value from icet's own cluster vectors).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, ParseError } from '../../src/core/errors.ts';
import { readAseDb } from '../../src/structure/io/ase-db.ts';
import { loadEntries, readEntries } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });
const DB = join(DATA_DIR, 'agpd_icet/reference_data.db.gz');
const PRIM = join(DATA_DIR, 'agpd_icet/prim.json');

test('every row of icet\'s Ag–Pd database is read, with the atom counts Python reads', async () => {
  const rows = await loadEntries(DB, { energyKey: 'mixing_energy', perAtom: true });
  assert.equal(rows.length, 625);
  const counts = new Map<number, number>();
  for (const r of rows) {
    assert.ok(r.entry, r.error?.describe());
    const n = r.entry.structure.numSites;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  // sqlite3 + numpy: Counter(natoms) = {8: 384, 7: 104, 6: 80, 5: 28, 4: 19, 3: 6, 1: 2, 2: 2}
  assert.deepEqual(Object.fromEntries([...counts].sort((a, b) => a[0] - b[0])), { 1: 2, 2: 2, 3: 6, 4: 19, 5: 28, 6: 80, 7: 104, 8: 384 });
  // row id 50 (index 49): 5 atoms, mixing_energy −0.02956496 eV/atom, cell row 2 = (10.225, 8.18, 2.045)
  const e = rows[49]!.entry!;
  assert.equal(e.structure.numSites, 5);
  assert.ok(Math.abs(e.energy - 5 * -0.029564960000000085) < 1e-15);
  assert.deepEqual(e.structure.lattice.matrix[1], [10.225, 8.18, 2.045]);
  assert.equal((e.data as Record<string, unknown>).tag, 'AgPd_0049');
});

test('a row without the chosen property is a reported entry error; a non-database is refused', async () => {
  const rows = await loadEntries(DB, { energyKey: 'band_gap' });
  assert.ok(rows.every((r) => r.error instanceof InputError && /no 'band_gap'/.test(r.error.message) && r.error.location.entry !== undefined));
  await assert.rejects(readAseDb(new TextEncoder().encode('not a database at all'), 'x.db'), ParseError);
  // a truncated database: the header survives, the pages do not
  const cut = gunzipSync(readFileSync(DB)).subarray(0, 4096);
  await assert.rejects(readAseDb(cut, 'cut.db'), (e: unknown) => e instanceof ParseError && e.location.file === 'cut.db');
  assert.throws(() => readEntries(DB), /ASE database/);
  await assert.rejects(loadEntries(join(DATA_DIR, 'lno/entries.json.gz'), { energyKey: 'mixing_energy' }), /--energy-key applies to ASE databases and extended XYZ files only/);
});

test('icet tutorial: 82 correlation functions and OLS train RMSE 1.594565 meV/atom on mixing_energy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-asedb-'));
  const train = join(dir, 'train.json');
  const f = run(['featurize', '--prim', PRIM, '--data', DB, '--energy-key', 'mixing_energy', '--per-atom', '--cutoffs', '2:13.5,3:6.5,4:6.0', '--out', train]);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /82 features/);
  assert.match(f.stdout, /featurized 625, skipped 0/);
  const fit = run(['fit', '--data', train, '--method', 'ols', '--out', join(dir, 'ols.json')]);
  assert.equal(fit.status, 0, fit.stderr);
  const rmse = JSON.parse(readFileSync(join(dir, 'ols.json'), 'utf8')).train.rmse as number;
  assert.ok(Math.abs(rmse * 1000 - 1.594565) < 5e-7, `train RMSE ${rmse * 1000} meV/atom`);
  const bad = run(['featurize', '--prim', PRIM, '--data', DB, '--energy-key', 'mixing energy', '--cutoffs', '2:5', '--out', train]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^celt: .*energy-key/);
});
