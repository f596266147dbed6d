import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeSymmetry } from '../../src/symmetry/symmetry.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure, type Site } from '../../src/structure/structure.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import type { Vec3 } from '../../src/core/mat3.ts';
import { mulVec3 } from '../../src/core/mat3.ts';

const site = (frac: Vec3, ...sp: string[]): Site => ({ frac, species: sp.map((s) => ({ species: Species.parse(s), occu: 1 / sp.length })) });
const fccPrim = (a: number): Lattice => new Lattice([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]]);
const data = (p: string) => JSON.parse(readFileSync(new URL(`../../data/${p}`, import.meta.url), 'utf8'));

test('fcc Cu primitive cell: Fm-3m (225), 48 operations', () => {
  const s = new Structure(fccPrim(3.61), [site([0, 0, 0], 'Cu')]);
  const g = analyzeSymmetry(s);
  assert.equal(g.number, 225);
  assert.equal(g.operations.length, 48);
});

test('rocksalt NaCl primitive cell: 225 with 48 point operations; every operation maps the sites onto themselves', () => {
  const s = new Structure(fccPrim(5.64), [site([0, 0, 0], 'Na+'), site([0.5, 0.5, 0.5], 'Cl-')]);
  const g = analyzeSymmetry(s);
  assert.equal(g.number, 225);
  assert.equal(g.operations.length, 48);
  for (const op of g.operations) {
    for (const st of s.sites) {
      const img = mulVec3(op.rotation, st.frac).map((v, k) => v + op.translation[k]!) as Vec3;
      const d = img.map((v, k) => v - st.frac[k]!).map((v) => v - Math.round(v));
      assert.ok(d.every((v) => Math.abs(v) < 1e-6), 'rocksalt sites are fixed points of every op');
    }
  }
  // Rotations preserve the metric: Rᵀ G R = G in fractional coordinates.
  const L = s.lattice.matrix;
  const G = [0, 1, 2].map((i) => [0, 1, 2].map((j) => L[i]![0] * L[j]![0] + L[i]![1] * L[j]![1] + L[i]![2] * L[j]![2]));
  for (const { rotation: R } of g.operations) {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      let v = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) v += R[k]![i]! * G[k]![l]! * R[l]![j]!;
      assert.ok(Math.abs(v - G[i]![j]!) < 1e-8);
    }
  }
});

test('ordering a site with different species lowers the symmetry (zincblende 216)', () => {
  const s = new Structure(fccPrim(5.43), [site([0, 0, 0], 'Zn2+'), site([0.25, 0.25, 0.25], 'S2-')]);
  assert.equal(analyzeSymmetry(s).number, 216);
});

test('hexagonal cell: wurtzite-like hcp Mg is P6_3/mmc (194), 24 operations', () => {
  const lat = Lattice.fromParameters(3.21, 3.21, 5.21, 90, 90, 120);
  const s = new Structure(lat, [site([1 / 3, 2 / 3, 0.25], 'Mg'), site([2 / 3, 1 / 3, 0.75], 'Mg')]);
  const g = analyzeSymmetry(s);
  assert.equal(g.number, 194);
  assert.equal(g.operations.length, 24);
});

test('spinel LiMn2O4 (shared data): Fd-3m (227) without charge order, Imma (74) with its Mn3+/Mn4+ order (pymatgen/spglib give the same)', () => {
  const s = structureFromPymatgen(data('lmo_drx/spinel_LiMn2O4.json'));
  assert.equal(analyzeSymmetry(s, { symprec: 0.1 }).number, 74);
  const neutral = new Structure(s.lattice, s.sites.map((st) => ({ frac: st.frac, species: [{ species: Species.of(st.species[0]!.species.element), occu: 1 }] })));
  assert.equal(analyzeSymmetry(neutral, { symprec: 0.1 }).number, 227);
});

test('shared disordered primitive cells: lmo_drx rocksalt-derived prim keeps the full Fm-3m group', () => {
  const prim = structureFromPymatgen(data('lmo_drx/prim.json'));
  const g = analyzeSymmetry(prim);
  // Octahedral Li/Mn site at the origin, O at (½,½,½), two tetrahedral sites at ±(¼,¼,¼):
  // the inversion through the origin swaps the two tetrahedral sites (same species set), so Fm-3m survives.
  assert.equal(g.number, 225);
  assert.equal(g.operations.length, 48);
  // The two tetrahedral sites are one orbit, the octahedral and the anion sites are their own.
  assert.equal(new Set(g.siteOrbits).size, 3);
});
