import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat3 } from '../../src/core/mat3.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { structureToPymatgen } from '../../src/structure/io/pymatgen.ts';
import { supercellSites } from '../../src/structure/mapping.ts';
import { Species } from '../../src/structure/species.ts';
import { type Site, Structure } from '../../src/structure/structure.ts';
import { DATA_DIR } from '../data-dir.ts';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const DATA = DATA_DIR;
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8' });

test('celt structure info --json: rocksalt DRX prim is Fm-3m (225) with 48 operations', () => {
  const r = run(['structure', 'info', join(DATA, 'lmo_drx/prim.json'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.spaceGroup.number, 225);
  assert.equal(info.spaceGroup.numOperations, 48);
  assert.equal(info.numSites, 4);
  assert.ok(Math.abs(info.lattice.alpha - 60) < 1e-9);
});

test('celt map writes mapped/skipped JSON with entry indices; bad options are one-line errors', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'celt-map-')), 'mapped.json');
  const r = run(['map', '--prim', join(DATA, 'lno/prim.json'), '--data', join(DATA, 'lno/entries.json.gz'), '--supercell-size', 'O2-', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(res.mapped.length + res.skipped.length, 31);
  assert.match(r.stdout, new RegExp(`mapped ${res.mapped.length} of 31`));
  const seen = [...res.mapped, ...res.skipped].map((x: { entry: number }) => x.entry).sort((a: number, b: number) => a - b);
  assert.deepEqual(seen, Array.from({ length: 31 }, (_, i) => i));
  for (const m of res.mapped) {
    assert.equal(m.scMatrix.length, 3);
    const det = (a: number[][]) => a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
    assert.equal(m.occupancy.length, 4 * Math.abs(det(m.scMatrix)));
    // relaxed DFT cells are never exactly ideal; the exact value is checked by hand below
    assert.ok(m.maxDisplacement > 0, `entry ${m.entry}: maxDisplacement ${m.maxDisplacement}`);
  }
  for (const s of res.skipped) assert.ok(typeof s.reason === 'string' && s.reason.length > 0);
  const bad = run(['map', '--prim', join(DATA, 'lno/prim.json'), '--data', join(DATA, 'lno/entries.json.gz'), '--mode', 'fancy', '--out', out]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^celt: .*--mode/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('celt map reports maxDisplacement = |d|·(1 − 1/N) for one atom moved by d in an ideal N-atom cell (hand case)', () => {
  // rocksalt LiO on the lmo_drx prim, doubled along a: Li on the octahedral sites, O on the anion sites
  const prim = readStructureFile(join(DATA, 'lmo_drx/prim.json'));
  const double: Mat3 = [[2, 0, 0], [0, 1, 0], [0, 0, 1]];
  const Li = Species.parse('Li+'), O = Species.parse('O2-');
  const sites: Site[] = [];
  for (const s of supercellSites(prim, double)) {
    if (s.primSite === 2) sites.push({ frac: s.frac, species: [{ species: Li, occu: 1 }] });
    if (s.primSite === 3) sites.push({ frac: s.frac, species: [{ species: O, occu: 1 }] });
  }
  const ideal = new Structure(prim.lattice.supercell(double), sites);
  const N = ideal.numSites, d = 0.2;
  const c = ideal.lattice.fracToCart(ideal.sites[1]!.frac);
  const moved = new Structure(ideal.lattice, ideal.sites.map((s, i) => (i === 1 ? { ...s, frac: ideal.lattice.cartToFrac([c[0] + d * 0.6, c[1], c[2] + d * 0.8]) } : s)));
  const dir = mkdtempSync(join(tmpdir(), 'celt-map-hand-'));
  writeFileSync(join(dir, 'moved.json'), JSON.stringify([structureToPymatgen(moved)]));
  const out = join(dir, 'mapped.json');
  const r = run(['map', '--prim', join(DATA, 'lmo_drx/prim.json'), '--data', join(dir, 'moved.json'), '--supercell-size', 'O2-', '--stol', '0.3', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(res.mapped.length, 1);
  assert.ok(Math.abs(res.mapped[0].maxDisplacement - d * (1 - 1 / N)) < 1e-9, `${res.mapped[0].maxDisplacement} vs ${d * (1 - 1 / N)}`);
});
