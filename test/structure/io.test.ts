import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CeltError, InputError, ParseError } from '../../src/core/errors.ts';
import type { Mat3 } from '../../src/core/mat3.ts';
import { parseCif, writeCif } from '../../src/structure/io/cif.ts';
import { parseExtxyz, writeExtxyz } from '../../src/structure/io/extxyz.ts';
import { parsePoscar, writePoscar } from '../../src/structure/io/poscar.ts';
import { readEntries, readStructureFile, writeStructureFile, readTextFile } from '../../src/structure/io/read.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import type { Structure } from '../../src/structure/structure.ts';
import { DATA_DIR } from '../data-dir.ts';

const DATA = DATA_DIR;
const dir = mkdtempSync(join(tmpdir(), 'celt-io-'));
const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

function sameStructure(a: Structure, b: Structure, opts: { ox: boolean; tol?: number }) {
  const tol = opts.tol ?? 1e-6;
  a.lattice.abc.forEach((x, k) => close(b.lattice.abc[k]!, x, tol, 'abc'));
  a.lattice.angles.forEach((x, k) => close(b.lattice.angles[k]!, x, tol, 'angles'));
  assert.equal(b.numSites, a.numSites);
  a.sites.forEach((s, i) => {
    const t = b.sites[i]!;
    s.frac.forEach((x, k) => {
      const d = Math.abs(x - t.frac[k]!);
      assert.ok(Math.min(d, Math.abs(d - 1)) < tol, `site ${i} frac`);
    });
    const key = (o: { species: { key: string; element: string }; occu: number }) => `${opts.ox ? o.species.key : o.species.element}:${o.occu.toFixed(6)}`;
    assert.deepEqual(t.species.map(key).sort(), s.species.map(key).sort(), `site ${i} species`);
  });
}

test('all shared datasets read without error', () => {
  for (const f of ['lmo_drx/prim.json', 'lmo_drx/spinel_LiMn2O4.json', 'lno/prim.json']) {
    assert.ok(readStructureFile(join(DATA, f)).numSites > 0, f);
  }
  const lmo = readEntries(join(DATA, 'lmo_drx/entries.json.gz'));
  assert.equal(lmo.length, 638);
  assert.equal(lmo.filter((e) => e.error).length, 0);
  const lno = readEntries(join(DATA, 'lno/entries.json.gz'));
  assert.equal(lno.length, 31);
  assert.equal(lno.filter((e) => e.error).length, 0);
  const agpd = readEntries(join(DATA, 'agpd_fcc/structures.json.gz'));
  assert.equal(agpd.length, 290);
  assert.equal(agpd.filter((e) => e.error).length, 0);
  // the disordered prim keeps its partial occupancies and implied vacancies
  const prim = readStructureFile(join(DATA, 'lmo_drx/prim.json'));
  assert.deepEqual(prim.allowedSpecies(2).map((s) => s.key), ['Li+', 'Mn2+', 'Mn3+', 'Mn4+', 'Vacancy']);
});

test('POSCAR round trip (spinel, with selective dynamics) and pymatgen JSON / CIF / extxyz round trips', () => {
  const spinel = readStructureFile(join(DATA, 'lmo_drx/spinel_LiMn2O4.json'));
  spinel.sites.forEach((s, i) => (s.properties = { selective_dynamics: [i % 2 === 0, true, i % 3 === 0] }));
  const p = parsePoscar(writePoscar(spinel));
  sameStructure(spinel, p, { ox: false, tol: 1e-9 });
  p.sites.forEach((s, i) => assert.deepEqual(s.properties?.selective_dynamics, spinel.sites[i]!.properties!.selective_dynamics));
  for (const ext of ['json', 'cif', 'xyz']) {
    const path = join(dir, `spinel.${ext}`);
    writeStructureFile(path, spinel);
    sameStructure(spinel, readStructureFile(path), { ox: true, tol: 1e-7 });
  }
  // disordered prim through CIF and JSON keeps occupancies and oxidation states
  const prim = readStructureFile(join(DATA, 'lmo_drx/prim.json'));
  sameStructure(prim, parseCif(writeCif(prim)), { ox: true, tol: 1e-7 });
  const pj = join(dir, 'prim.json');
  writeStructureFile(pj, prim);
  sameStructure(prim, readStructureFile(pj), { ox: true, tol: 1e-12 });
  // extxyz keeps the Cartesian frame exactly
  const x = parseExtxyz(writeExtxyz(spinel));
  x.lattice.matrix.forEach((r, i) => r.forEach((v, j) => close(v, spinel.lattice.matrix[i]![j]!, 1e-9, 'matrix')));
});

test('extended XYZ written by ASE-like tools: extra columns and keys are skipped', () => {
  const text = [
    '2',
    'Lattice="4.0 0.0 0.0 0.0 4.0 0.0 0.0 0.0 4.0" Properties=species:S:1:pos:R:3:forces:R:3 energy=-3.5 pbc="T T T"',
    'Na 0.0 0.0 0.0 0.1 0.2 0.3',
    'Cl 2.0 2.0 2.0 -0.1 -0.2 -0.3',
    '',
  ].join('\n');
  const s = parseExtxyz(text);
  assert.equal(s.numSites, 2);
  s.sites[1]!.frac.forEach((v) => close(v, 0.5, 1e-12, 'frac'));
  assert.equal(s.sites[1]!.species[0]!.species.key, 'Cl');
});

test('POSCAR details: VASP 4 species from the comment, negative scale = volume, Cartesian with scale', () => {
  const text = ['Na Cl', '-64.0', '1 0 0', '0 1 0', '0 0 1', '1 1', 'Cartesian', '0 0 0', '0.5 0.5 0.5', ''].join('\n');
  const s = parsePoscar(text);
  close(s.lattice.volume, 64, 1e-9, 'volume');
  assert.deepEqual(s.sites.map((x) => x.species[0]!.species.element), ['Na', 'Cl']);
  // VASP scales Cartesian positions by the same factor as the lattice (here (64/1)^(1/3) = 4)
  s.sites[1]!.frac.forEach((v) => close(v, 0.5, 1e-12, 'cart→frac with volume scale'));
  const t = parsePoscar(['x', '2.0', '1 0 0', '0 1 0', '0 0 1', 'Li O_s', '1 1', 'C', '0 0 0', '0.25 0.25 0.25', ''].join('\n'));
  close(t.lattice.volume, 8, 1e-12, 'scaled volume');
  t.sites[1]!.frac.forEach((v) => close(v, 0.25, 1e-12, 'cart→frac with scale'));
  assert.equal(t.sites[1]!.species[0]!.species.element, 'O');
});

/** The 48 signed permutation matrices of m-3m written as x,y,z strings, times 4 F-centring translations. */
function fm3mOps(): string[] {
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  const out: string[] = [];
  for (const t of ['', '+1/2', '+1/2', '+1/2'].map((_, k) => [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]][k]!)) {
    for (const p of perms) for (let s = 0; s < 8; s++) {
      out.push([0, 1, 2].map((r) => `${(s >> r) & 1 ? '-' : ''}${'xyz'[p[r]!]}${t[r] ? '+1/2' : ''}`).join(', '));
    }
  }
  return out;
}

test('CIF: NaCl Fm-3m conventional cell, 2 sites × 192 operations → 8 sites with oxidation states', () => {
  const ops = fm3mOps();
  assert.equal(ops.length, 192);
  const cif = [
    '# NaCl, written by hand for this test',
    'data_NaCl',
    '_cell_length_a 5.6402(3)',
    '_cell_length_b 5.6402',
    '_cell_length_c 5.6402',
    '_cell_angle_alpha 90',
    '_cell_angle_beta 90.0',
    '_cell_angle_gamma 90',
    "_symmetry_space_group_name_H-M 'F m -3 m'",
    'loop_',
    '_space_group_symop_operation_xyz',
    ...ops.map((o) => `'${o}'`),
    'loop_',
    '_atom_type_symbol',
    '_atom_type_oxidation_number',
    'Na1+ 1',
    'Cl1- -1',
    'loop_',
    '_atom_site_label',
    '_atom_site_type_symbol',
    '_atom_site_fract_x',
    '_atom_site_fract_y',
    '_atom_site_fract_z',
    '_atom_site_occupancy',
    'Na1 Na1+ 0 0 0 1',
    'Cl1 Cl1- 0.5 0.5 0.5 1.0',
  ].join('\n');
  const s = parseCif(cif);
  assert.equal(s.numSites, 8);
  const keys = s.sites.map((x) => x.species[0]!.species.key).sort();
  assert.deepEqual(keys, ['Cl-', 'Cl-', 'Cl-', 'Cl-', 'Na+', 'Na+', 'Na+', 'Na+']);
  close(s.lattice.volume, 5.6402 ** 3, 1e-9, 'volume');
  // Na at the four F-centring positions
  const na = s.sites.filter((x) => x.species[0]!.species.element === 'Na').map((x) => x.frac.map((v) => v.toFixed(3)).join(' ')).sort();
  assert.deepEqual(na, ['0.000 0.000 0.000', '0.000 0.500 0.500', '0.500 0.000 0.500', '0.500 0.500 0.000']);
  // the legacy tag and a mixed-occupancy site written as two rows
  const legacy = [
    'data_x', '_cell_length_a 4', '_cell_length_b 4', '_cell_length_c 4', '_cell_angle_alpha 90', '_cell_angle_beta 90', '_cell_angle_gamma 90',
    'loop_', '_symmetry_equiv_pos_as_xyz', 'x,y,z', '-x,-y,-z',
    'loop_', '_atom_site_label', '_atom_site_type_symbol', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', '_atom_site_occupancy',
    'Li1 Li+ 0.1 0.2 0.3 0.5', 'Mn1 Mn3+ 0.1 0.2 0.3 0.25', 'O1 O2- 0.5 0.5 0.5 1',
  ].join('\n');
  const d = parseCif(legacy);
  assert.equal(d.numSites, 3);
  assert.deepEqual(d.allowedSpecies(0).map((x) => x.key), ['Li+', 'Mn3+', 'Vacancy']);
});

test('CIFs written by pymatgen: symmetrized Fd-3m spinel expands to 56 sites; disordered prim keeps occupancies', () => {
  const fx = (f: string) => new URL(`../fixtures/structure/${f}`, import.meta.url).pathname;
  const sp = readStructureFile(fx('spinel_Fd-3m_pymatgen.cif'));
  assert.equal(sp.numSites, 56);
  assert.equal(sp.formula(), 'Li8 Mn16 O32');
  close(sp.lattice.volume, 592.705, 1e-3, 'volume');
  const prim = readStructureFile(fx('lmo_prim_pymatgen.cif'));
  const ref = readStructureFile(join(DATA, 'lmo_drx/prim.json'));
  assert.equal(prim.numSites, 4);
  for (let i = 0; i < 4; i++) {
    // same allowed species on the site at the same position
    const j = ref.sites.findIndex((r) => r.frac.every((v, k) => Math.abs(v - prim.sites[i]!.frac[k]!) < 1e-6));
    assert.ok(j >= 0);
    assert.deepEqual(prim.allowedSpecies(i).map((x) => x.key).sort(), ref.allowedSpecies(j).map((x) => x.key).sort());
  }
});

test('bad input: typed errors naming file and line / entry', () => {
  const expectErr = (fn: () => unknown, cls: typeof CeltError, check: (e: CeltError) => void) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).name}: ${(e as Error).message}`);
      check(e as CeltError);
      return;
    }
    assert.fail('no error thrown');
  };
  // truncated JSON
  const full = readTextFile(join(DATA, 'lno/entries.json.gz'));
  const trunc = join(dir, 'trunc.json');
  writeFileSync(trunc, full.slice(0, Math.floor(full.length / 2)));
  expectErr(() => readEntries(trunc), ParseError, (e) => {
    assert.equal(e.location.file, trunc);
    assert.ok(typeof e.location.line === 'number');
    assert.match(e.describe(), /trunc\.json, line \d+/);
  });
  // POSCAR whose counts promise more atoms than listed, and fewer than listed
  const pos = join(dir, 'POSCAR');
  writeFileSync(pos, ['t', '1', '3 0 0', '0 3 0', '0 0 3', 'Li O', '2 1', 'Direct', '0 0 0', '0.5 0.5 0.5', ''].join('\n'));
  expectErr(() => readStructureFile(pos), ParseError, (e) => {
    assert.equal(e.location.file, pos);
    assert.equal(e.location.line, 11);
  });
  writeFileSync(pos, ['t', '1', '3 0 0', '0 3 0', '0 0 3', 'Li O', '1 1', 'Direct', '0 0 0', '0.5 0.5 0.5', '0.1 0.1 0.1', ''].join('\n'));
  expectErr(() => readStructureFile(pos), ParseError, (e) => assert.equal(e.location.line, 11));
  // unknown element
  writeFileSync(pos, ['t', '1', '3 0 0', '0 3 0', '0 0 3', 'Li Qx', '1 1', 'Direct', '0 0 0', '0.5 0.5 0.5', ''].join('\n'));
  expectErr(() => readStructureFile(pos), InputError, (e) => {
    assert.equal(e.location.line, 6);
    assert.match(e.message, /Qx/);
  });
  // CIF without a cell
  const cif = join(dir, 'nocell.cif');
  writeFileSync(cif, ['data_x', '_cell_length_a 4', 'loop_', '_atom_site_label', '_atom_site_fract_x', '_atom_site_fract_y', '_atom_site_fract_z', 'Li1 0 0 0', ''].join('\n'));
  expectErr(() => readStructureFile(cif), ParseError, (e) => {
    assert.equal(e.location.file, cif);
    assert.equal(e.location.line, 1);
    assert.match(e.message, /_cell_length_b/);
  });
  // an entry list with one bad entry: reported with index and field, the rest load
  const list = JSON.parse(full) as Record<string, unknown>[];
  (list[3]!.structure as { sites: { species: { element: string }[] }[] }).sites[0]!.species[0]!.element = 'Zz';
  delete list[5]!.energy;
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify(list));
  const res = readEntries(bad);
  assert.equal(res.length, 31);
  assert.deepEqual(res.filter((r) => r.error).map((r) => r.index), [3, 5]);
  const e3 = res[3]!.error!;
  assert.equal(e3.location.entry, 3);
  assert.match(e3.location.field!, /^structure\.sites\[0\]\.species\[0\]/);
  assert.match(e3.message, /Zz/);
  assert.equal(res[5]!.error!.location.field, 'energy');
  // extxyz without a lattice
  expectErr(() => parseExtxyz('1\nProperties=species:S:1:pos:R:3\nLi 0 0 0\n', 'a.xyz'), ParseError, (e) => assert.equal(e.location.line, 2));
  void (null as unknown as Mat3);
  void Lattice;
});
