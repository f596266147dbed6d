/**
 * Primitive cells from pure translations: for supercells built from a known primitive cell the
 * translations number det(M) (times the conventional-cell factor), the primitive cell has the
 * known volume and site count, and its space group equals moyo's on the whole supercell where
 * that is affordable. A cell without translations is left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { writePoscar } from '../../src/structure/io/poscar.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure, type Site } from '../../src/structure/structure.ts';
import { supercell } from '../../src/structure/supercell.ts';
import { primitiveReduction, pureTranslations } from '../../src/symmetry/primitive.ts';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';

const site = (frac: Vec3, sp: string): Site => ({ frac, species: [{ species: Species.parse(sp), occu: 1 }] });
const fcc = (a: number) => new Lattice([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]]);
const rocksaltPrim = new Structure(fcc(4.2), [site([0, 0, 0], 'Li+'), site([0.5, 0.5, 0.5], 'O2-')]);

/** Rocksalt in the n×n×n conventional cubic cell: 8n³ sites, 4n³ pure translations. */
function rocksaltCubic(n: number): Structure {
  const sites: Site[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
    for (const [x, y, z] of [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]] as Vec3[]) {
      sites.push(site([(i + x) / n, (j + y) / n, (k + z) / n], 'Li+'));
      sites.push(site([((i + x + 0.5) / n) % 1, (j + y) / n, (k + z) / n], 'O2-'));
    }
  }
  return new Structure(new Lattice([[4.2 * n, 0, 0], [0, 4.2 * n, 0], [0, 0, 4.2 * n]]), sites);
}

test('rocksalt conventional supercells: 4n³ translations, the 2-site primitive cell, 225 as moyo finds on the whole cell', () => {
  for (const n of [1, 2]) {
    const s = rocksaltCubic(n);
    const r = primitiveReduction(s)!;
    assert.equal(r.translations.length, 4 * n ** 3);
    assert.equal(r.primitive.numSites, 2);
    assert.ok(Math.abs(r.primitive.lattice.volume - rocksaltPrim.lattice.volume) < 1e-9);
    assert.equal(analyzeSymmetry(r.primitive).number, analyzeSymmetry(s).number);
    assert.equal(analyzeSymmetry(r.primitive).number, 225);
  }
});

test('a sheared supercell (det 3) of fcc and of rocksalt reduces to the original primitive volume', () => {
  const M: Mat3 = [[1, 1, 0], [0, 1, 1], [2, 0, 1]];
  for (const prim of [new Structure(fcc(3.61), [site([0, 0, 0], 'Cu')]), rocksaltPrim]) {
    const s = supercell(prim, M);
    const r = primitiveReduction(s)!;
    assert.equal(r.translations.length, 3);
    assert.equal(r.primitive.numSites, prim.numSites);
    assert.ok(Math.abs(r.primitive.lattice.volume - prim.lattice.volume) < 1e-9);
    assert.equal(analyzeSymmetry(r.primitive).number, 225);
  }
});

test('an ordering that breaks every translation keeps the cell; one that keeps half of them halves it', () => {
  const rng = new Rng(5);
  const s = supercell(rocksaltPrim, [[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
  // a random Li/Mn ordering on the cation sites: no pure translation survives (checked by brute force below)
  const random = new Structure(s.lattice, s.sites.map((x) => (x.species[0]!.species.key === 'Li+' && rng.uniform(0, 1) < 0.5 ? site(x.frac, 'Mn2+') : x)));
  const brute = bruteTranslations(random);
  assert.equal(pureTranslations(random).length, brute);
  if (brute === 1) assert.equal(primitiveReduction(random), null);
  // layered along a: cations alternate Li/Mn in planes x = 0 and x = 1/2 → 4 of 8 translations remain
  const layered = new Structure(s.lattice, s.sites.map((x) => (x.species[0]!.species.key === 'Li+' && Math.abs(x.frac[0] - 0.5) < 1e-9 ? site(x.frac, 'Mn2+') : x)));
  assert.equal(pureTranslations(layered).length, bruteTranslations(layered));
  assert.equal(primitiveReduction(layered)?.primitive.numSites, 16 / bruteTranslations(layered));
});

/** Independent count: try every difference of two sites as a translation, compare sorted site lists. */
function bruteTranslations(s: Structure): number {
  const key = (f: number[], sp: string) => `${sp}:${f.map((x) => (((Math.round(x * 1e6) % 1e6) + 1e6) % 1e6)).join(',')}`;
  const all = new Set(s.sites.map((x) => key(x.frac, x.species[0]!.species.key)));
  const found = new Set<string>();
  for (const b of s.sites) {
    const t = b.frac.map((v, k) => v - s.sites[0]!.frac[k]!);
    if (s.sites.every((x) => all.has(key(x.frac.map((v, k) => v + t[k]!), x.species[0]!.species.key)))) found.add(key(t, ''));
  }
  return found.size;
}

test('celt structure info on a 1,000-site rocksalt cell reports 225 from its primitive cell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'celt-prim-'));
  writeFileSync(join(dir, 'POSCAR'), writePoscar(rocksaltCubic(5)));
  const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, 'structure', 'info', join(dir, 'POSCAR'), '--json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const sg = JSON.parse(r.stdout).spaceGroup;
  assert.deepEqual([sg.number, sg.numOperations, sg.primitiveSites, sg.pureTranslations], [225, 48, 2, 500]);
});
