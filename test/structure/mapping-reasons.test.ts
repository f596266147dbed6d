/**
 * Every mapping failure reason from a structure built to have exactly that defect, the
 * min-cost "untangle" assignment against brute-force enumeration, and a mapping that needs it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MappingError } from '../../src/core/errors.ts';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { type MappedStructure, type MappingOptions, mapStructure, supercellSites } from '../../src/structure/mapping.ts';
import { FORBIDDEN, minCostAssignment } from '../../src/structure/mapping/assignment.ts';
import { Species } from '../../src/structure/species.ts';
import { type Site, Structure } from '../../src/structure/structure.ts';
import { DATA_DIR } from '../data-dir.ts';

// lmo_drx prim: sites 0, 1 tetrahedral (Li+, Mn2+, vacancy), 2 octahedral (Li+, Mn2+/3+/4+, vacancy), 3 O2- (no vacancy)
const prim = readStructureFile(`${DATA_DIR}/lmo_drx/prim.json`);
const OPTS: MappingOptions = { ltol: 0.15, stol: 0.2, angleTol: 15, supercellSize: 'O2-' };
const Li = Species.parse('Li+'), O = Species.parse('O2-');

function outcome(s: Structure, opts: MappingOptions = OPTS, p: Structure = prim): MappedStructure | string {
  try {
    return mapStructure(p, s, opts);
  } catch (e) {
    if (e instanceof MappingError) return e.reason;
    throw e;
  }
}

/** Rocksalt LiO in the supercell scMatrix: Li on every octahedral site, O on every anion site, tetrahedra empty. */
function rocksalt(scMatrix: Mat3): Structure {
  const sites: Site[] = [];
  for (const s of supercellSites(prim, scMatrix)) {
    if (s.primSite === 2) sites.push({ frac: s.frac, species: [{ species: Li, occu: 1 }] });
    if (s.primSite === 3) sites.push({ frac: s.frac, species: [{ species: O, occu: 1 }] });
  }
  return new Structure(prim.lattice.supercell(scMatrix), sites);
}

const DOUBLE: Mat3 = [[2, 0, 0], [0, 1, 0], [0, 0, 1]];

test('the ideal rocksalt cell maps (the baseline every defect below starts from)', () => {
  assert.equal(typeof outcome(rocksalt(DOUBLE)), 'object');
});

test('each failure reason from a structure with exactly that defect', () => {
  // a partially occupied structure (the prim itself)
  assert.equal(outcome(prim), 'disordered-structure');
  // one O missing: an O2- site (no vacancy allowed) stays empty; size given explicitly
  const ideal = rocksalt(DOUBLE);
  const o = ideal.sites.findIndex((s) => s.species[0]!.species.key === 'O2-');
  assert.equal(outcome(new Structure(ideal.lattice, ideal.sites.filter((_, i) => i !== o)), { ...OPTS, supercellSize: 2 }), 'composition-mismatch');
  // one O doubled 0.05 Å away: two atoms on one site, and no free O site nearby to untangle to
  const c = ideal.lattice.fracToCart(ideal.sites[o]!.frac);
  const twin: Site = { frac: ideal.lattice.cartToFrac([c[0] + 0.05, c[1], c[2]]), species: ideal.sites[o]!.species };
  assert.equal(outcome(new Structure(ideal.lattice, [...ideal.sites, twin]), { ...OPTS, supercellSize: 2 }), 'site-conflict');
  // anion-framework mode on a prim without anions (fcc Cu–Au)
  const cuAu = new Structure(new Lattice([[0, 1.8, 1.8], [1.8, 0, 1.8], [1.8, 1.8, 0]]), [{ frac: [0, 0, 0], species: [{ species: Species.parse('Cu'), occu: 0.5 }, { species: Species.parse('Au'), occu: 0.5 }] }]);
  const cu = new Structure(cuAu.lattice, [{ frac: [0, 0, 0], species: [{ species: Species.parse('Cu'), occu: 1 }] }]);
  assert.equal(outcome(cu, { mode: 'anion-framework' }, cuAu), 'no-anion-sublattice');
  // the standard-mode reasons on the same cell: a species the prim lacks, a wrong size, a bad lattice
  assert.equal(outcome(new Structure(ideal.lattice, ideal.sites.map((s, i) => (i === o ? { ...s, species: [{ species: Species.parse('F-'), occu: 1 }] } : s)))), 'species-not-allowed');
  assert.equal(outcome(rocksalt([[2, 0, 0], [0, 2, 0], [0, 0, 1]]), { ...OPTS, supercellSize: 1 }), 'size-mismatch'); // 8 atoms, 4 sites
  const strained = new Structure(new Lattice(ideal.lattice.matrix.map((r, k) => r.map((v) => (k === 0 ? v * 1.5 : v))) as Mat3), ideal.sites);
  assert.equal(outcome(strained), 'no-lattice-match');
});

test('min-cost assignment equals brute-force enumeration (random costs with forbidden pairs)', () => {
  const rng = new Rng(5);
  const permutations = (n: number, m: number): number[][] => {
    if (n === 0) return [[]];
    return permutations(n - 1, m).flatMap((p) => Array.from({ length: m }, (_, c) => c).filter((c) => !p.includes(c)).map((c) => [...p, c]));
  };
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + rng.int(4), m = n + rng.int(3);
    const cost = Float64Array.from({ length: n * m }, () => (rng.next() < 0.25 ? FORBIDDEN : Math.round(rng.next() * 100) / 10));
    let best = Infinity;
    for (const p of permutations(n, m)) {
      const total = p.reduce((s, c, r) => s + cost[r * m + c]!, 0);
      if (p.every((c, r) => cost[r * m + c]! < FORBIDDEN)) best = Math.min(best, total);
    }
    const sol = minCostAssignment(cost, n, m);
    if (best === Infinity) {
      assert.equal(sol, null, `trial ${trial}: no allowed assignment exists`);
      continue;
    }
    assert.ok(sol, `trial ${trial}: an allowed assignment exists`);
    assert.equal(new Set(sol).size, n, 'distinct columns');
    const total = Array.from(sol).reduce((s, c, r) => s + cost[r * m + c]!, 0);
    assert.ok(Math.abs(total - best) < 1e-9, `trial ${trial}: ${total} vs brute force ${best}`);
  }
});

test('two atoms nearest to one site are untangled by the min-cost assignment', () => {
  // Li on the tetrahedral site and a second Li moved from the octahedral site 1.0 Å towards that
  // tetrahedron (oct–tet distance 1.82 Å): both are nearest to the tetrahedral site, so
  // nearest-site placement conflicts; the min-cost assignment puts one on each site.
  const tet = prim.lattice.fracToCart([0.25, 0.25, 0.25]), oct = prim.lattice.fracToCart([0, 0, 0]);
  const d = [tet[0] - oct[0], tet[1] - oct[1], tet[2] - oct[2]];
  const len = Math.hypot(d[0]!, d[1]!, d[2]!);
  const moved = prim.lattice.cartToFrac([oct[0] + (d[0]! / len) * 1.0, oct[1] + (d[1]! / len) * 1.0, oct[2] + (d[2]! / len) * 1.0]);
  const s = new Structure(prim.lattice, [
    { frac: [0.25, 0.25, 0.25] as Vec3, species: [{ species: Li, occu: 1 }] },
    { frac: moved, species: [{ species: Li, occu: 1 }] },
    { frac: [0.5, 0.5, 0.5] as Vec3, species: [{ species: O, occu: 1 }] },
  ]);
  assert.ok(len - 1.0 < 1.0, 'the moved Li is nearer the tetrahedral site than its own');
  // stol 0.8: the site tolerance (≈1.3 Å here) admits the 1 Å displacement
  const m = outcome(s, { ...OPTS, stol: 0.8 });
  assert.equal(typeof m, 'object', `mapped (got ${String(m)})`);
  const occ = (m as MappedStructure).occupancy.map((x) => x.key);
  assert.equal(occ[2], 'Li+', 'one Li on the octahedral site');
  assert.deepEqual([occ[0], occ[1]].sort(), ['Li+', 'Vacancy'], 'one Li on a tetrahedral site');
  assert.equal(occ[3], 'O2-');
});

test('maxDisplacement: one atom moved by d in an ideal cell of N atoms gives |d|·(1 − 1/N) (the mean shift is removed)', () => {
  const ideal = rocksalt(DOUBLE);
  const N = ideal.numSites;
  for (const [k, d] of [[0, 0.1], [1, 0.25], [2, 0.05]] as const) {
    const c = ideal.lattice.fracToCart(ideal.sites[k]!.frac);
    const moved = new Structure(ideal.lattice, ideal.sites.map((s, i) => (i === k ? { ...s, frac: ideal.lattice.cartToFrac([c[0] + d * 0.6, c[1] + d * 0.8, c[2]]) } : s)));
    const m = outcome(moved, { ...OPTS, stol: 0.3 });
    assert.equal(typeof m, 'object', `atom ${k} moved ${d} Å maps`);
    const got = (m as MappedStructure).maxDisplacement;
    assert.ok(Math.abs(got - d * (1 - 1 / N)) < 1e-9, `atom ${k}, d = ${d}: ${got} vs ${d * (1 - 1 / N)}`);
  }
});
