import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { InputError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { supercellSites } from '../../src/structure/supercell.ts';
import { erfc } from '../../src/core/erfc.ts';
import { buildEwaldMatrix, COULOMB_EV_ANGSTROM } from '../../src/space/ewald-matrix.ts';
import { EwaldTerm } from '../../src/space/ewald.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ewald/pymatgen_ewald.json', import.meta.url), 'utf8'));

test('erfc matches scipy.special.erfc to 1e-15 absolute', () => {
  // values printed by scipy 1.10 (python3 -c "from scipy.special import erfc; print(repr(erfc(x)))")
  const ref: Array<[number, number]> = [
    [0, 1.0], [0.1, 0.8875370839817152], [0.5, 0.4795001221869535], [1, 0.15729920705028516],
    [2, 0.004677734981047266], [2.49, 0.00042928786773391303], [2.51, 0.0003857054817242799],
    [3, 2.2090496998585445e-05], [4, 1.541725790028002e-08], [5, 1.5374597944280347e-12], [6, 2.1519736712498913e-17],
  ];
  for (const [x, v] of ref) assert.ok(Math.abs(erfc(x) - v) < 1e-15, `erfc(${x})`);
  assert.ok(Math.abs(erfc(-1) - (2 - 0.15729920705028516)) < 1e-15);
});

/** Rocksalt (fcc prim, conventional a) with +1 on the cation and −1 on the anion, as a Structure. */
function rocksalt(a: number, cation = 'Na+', anion = 'Cl-'): Structure {
  const lat = new Lattice([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]]);
  return new Structure(lat, [
    { frac: [0, 0, 0], species: [{ species: Species.parse(cation), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: Species.parse(anion), occu: 1 }] },
  ]);
}

function orderedValuePerPrim(prim: Structure, sc: Mat3, opts = {}): number {
  const sites = supercellSites(prim, sc);
  const term = EwaldTerm.build(prim, sc, sites, opts);
  return term.valuePerPrim(new Int32Array(sites.length)); // code 0 = the only species
}

test('rocksalt Madelung constant 1.747565 (to 1e-6)', () => {
  // The energy per ion pair of a ±1 point-charge lattice is E = −α·k/r0 with k = e²/4πε₀ =
  // 14.399645 eV·Å and r0 the nearest-neighbour distance (a/2 in rocksalt); one prim holds one
  // pair, so α = −E_prim·r0/k. Published α(NaCl) = 1.747564594633 (e.g. Kittel; Ashcroft–Mermin).
  const a = 5.64;
  const e = orderedValuePerPrim(rocksalt(a), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const alpha = (-e * (a / 2)) / COULOMB_EV_ANGSTROM;
  assert.ok(Math.abs(alpha - 1.747564594633) < 1e-6, `alpha = ${alpha}`);
  assert.ok(Math.abs(COULOMB_EV_ANGSTROM - 14.399645) < 1e-6);
});

test('CsCl Madelung constant 1.762675 (to 1e-6)', () => {
  // Simple cubic a, Cs+ at 0 and Cl− at the body centre; r0 = a√3/2; α = 1.762674773 (published).
  const a = 4.12;
  const prim = new Structure(new Lattice([[a, 0, 0], [0, a, 0], [0, 0, a]]), [
    { frac: [0, 0, 0], species: [{ species: Species.parse('Cs+'), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: Species.parse('Cl-'), occu: 1 }] },
  ]);
  const e = orderedValuePerPrim(prim, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const alpha = (-e * ((a * Math.sqrt(3)) / 2)) / COULOMB_EV_ANGSTROM;
  assert.ok(Math.abs(alpha - 1.762674773) < 1e-6, `alpha = ${alpha}`);
});

test('energy per prim does not depend on the supercell chosen for the same crystal', () => {
  const prim = rocksalt(4.2, 'Mg2+', 'O2-');
  const ref = orderedValuePerPrim(prim, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  for (const sc of [
    [[2, 0, 0], [0, 2, 0], [0, 0, 2]],
    [[1, 1, 0], [-1, 1, 0], [0, 0, 2]],
    [[2, 1, 0], [0, 1, 1], [1, 0, 2]],
    [[-1, 1, 1], [1, -1, 1], [1, 1, -1]], // conventional cubic cell
    [[0, 1, 0], [1, 0, 0], [0, 0, 3]], // negative determinant
  ] as Mat3[]) {
    const v = orderedValuePerPrim(prim, sc);
    assert.ok(Math.abs(v - ref) < 1e-8, `${JSON.stringify(sc)}: ${v} vs ${ref}`);
  }
  // A charged crystal (only the cation sublattice, +2) with the neutralizing background: the
  // energy of the same infinite periodic system per prim must not depend on the cell either.
  const cationOnly = new Structure(prim.lattice, [prim.sites[0]!]);
  const refQ = orderedValuePerPrim(cationOnly, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], { chargedCellTerm: true });
  const vQ = orderedValuePerPrim(cationOnly, [[1, 1, 0], [-1, 1, 0], [0, 0, 2]], { chargedCellTerm: true });
  assert.ok(Math.abs(vQ - refQ) < 1e-8, `${vQ} vs ${refQ}`);
});

const lmoPrim = structureFromPymatgen(fixture.prim);

/** A fixture cell as an ordered structure without vacancies, treated as its own prim. */
function orderedCell(cell: any): { supLat: ReturnType<typeof lmoPrim.lattice.supercell>; fracs: Vec3[]; charges: number[] } {
  const supLat = lmoPrim.lattice.supercell(cell.scMatrix);
  const fracs: Vec3[] = [];
  const charges: number[] = [];
  cell.sites.forEach((s: any, i: number) => {
    const sp = lmoPrim.allowedSpecies(s.primSite)[cell.codes[i]]!;
    if (sp.isVacancy) return;
    fracs.push(s.frac);
    charges.push(sp.oxidationState!);
  });
  return { supLat, fracs, charges };
}

test('matches pymatgen EwaldSummation.total_energy on ordered lmo_drx cells (1e-6 eV)', () => {
  for (const [n, cell] of (fixture.cells as any[]).entries()) {
    const { supLat, fracs, charges } = orderedCell(cell);
    const m = buildEwaldMatrix({
      primLattice: supLat,
      primFracs: fracs,
      scMatrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
      sites: fracs.map((f, i) => ({ frac: f, primSite: i })),
    });
    assert.ok(Math.abs(m.params.eta - cell.eta) < 1e-12, 'same automatic eta as pymatgen');
    const N = fracs.length;
    let e = 0, Q = 0;
    for (let i = 0; i < N; i++) {
      Q += charges[i]!;
      for (let j = 0; j < N; j++) e += charges[i]! * charges[j]! * m.matrix[i * N + j]!;
    }
    e += m.backgroundPerCharge2 * Q * Q;
    assert.ok(Math.abs(e - cell.total_energy) < 1e-6, `cell ${n}: ${e} vs pymatgen ${cell.total_energy}`);
  }
});

test('real, reciprocal and point parts match pymatgen separately (smol use_term)', () => {
  for (const [n, cell] of (fixture.cells as any[]).entries()) {
    const { supLat, fracs, charges } = orderedCell(cell);
    const parts = { real: cell.real_space_energy, reciprocal: cell.reciprocal_space_energy, point: cell.point_energy } as const;
    for (const [term, ref] of Object.entries(parts)) {
      const m = buildEwaldMatrix({
        primLattice: supLat,
        primFracs: fracs,
        scMatrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        sites: fracs.map((f, i) => ({ frac: f, primSite: i })),
        term: term as 'real' | 'reciprocal' | 'point',
      });
      const N = fracs.length;
      let e = 0;
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) e += charges[i]! * charges[j]! * m.matrix[i * N + j]!;
      assert.ok(Math.abs(e - ref) < 1e-6, `cell ${n} ${term}: ${e} vs pymatgen ${ref}`);
    }
  }
});

test("matches smol's EwaldTerm value per prim (recipe reproduced with pymatgen) on lmo_drx supercells", () => {
  for (const [n, cell] of (fixture.cells as any[]).entries()) {
    const term = EwaldTerm.build(lmoPrim, cell.scMatrix, cell.sites);
    assert.ok(Math.abs(term.params.eta - cell.smol_eta) < 1e-12, 'eta counts every allowed non-vacancy species');
    const v = term.valuePerPrim(cell.codes);
    // the same occupancy given as species keys
    const keys = (cell.codes as number[]).map((c, s) => lmoPrim.allowedSpecies(cell.sites[s].primSite)[c]!.key);
    assert.equal(term.valuePerPrim(term.codesOf(keys)), v);
    assert.ok(Math.abs(v - cell.smol_value_per_prim) < 1e-6, `cell ${n}: ${v} vs ${cell.smol_value_per_prim}`);
  }
});

test('deltaFlip and deltaSwap equal recomputation (with and without background)', () => {
  const sc: Mat3 = [[2, 1, 0], [0, 1, 1], [1, 0, 2]];
  const sites = supercellSites(lmoPrim, sc);
  const rng = new Rng(7);
  for (const chargedCellTerm of [false, true]) {
    const term = EwaldTerm.build(lmoPrim, sc, sites, { chargedCellTerm });
    const codes = Int32Array.from(sites, (_, s) => rng.int(term.chargeTable[s]!.length));
    const q = term.chargesOf(codes);
    let e = term.energy(q);
    for (let step = 0; step < 40; step++) {
      if (step % 2 === 0) {
        const s = rng.int(sites.length);
        const c = rng.int(term.chargeTable[s]!.length);
        const newQ = term.chargeTable[s]![c]!;
        const d = term.deltaFlip(s, q[s]!, newQ, q);
        q[s] = newQ;
        const e2 = term.energy(q);
        assert.ok(Math.abs(e2 - e - d) < 1e-9, `flip ${step}: ${d} vs ${e2 - e}`);
        e = e2;
      } else {
        const i = rng.int(sites.length), j = rng.int(sites.length);
        const d = term.deltaSwap(i, j, q);
        const qi = q[i]!;
        q[i] = q[j]!;
        q[j] = qi;
        const e2 = term.energy(q);
        assert.ok(Math.abs(e2 - e - d) < 1e-9, `swap ${step}: ${d} vs ${e2 - e}`);
        e = e2;
      }
    }
  }
});

test('maintained site potentials give the same flip energies and stay equal to recomputation', () => {
  const sc: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 1]];
  const sites = supercellSites(lmoPrim, sc);
  const term = EwaldTerm.build(lmoPrim, sc, sites);
  const rng = new Rng(3);
  const q = term.chargesOf(Int32Array.from(sites, (_, s) => rng.int(term.chargeTable[s]!.length)));
  const phi = term.potentials(q);
  for (let step = 0; step < 30; step++) {
    const s = rng.int(sites.length);
    const newQ = term.chargeTable[s]![rng.int(term.chargeTable[s]!.length)]!;
    const dOld = term.deltaFlip(s, q[s]!, newQ, q);
    const dNew = term.deltaFlipWithPotentials(s, q[s]!, newQ, phi);
    assert.ok(Math.abs(dOld - dNew) < 1e-9);
    term.updatePotentials(phi, s, newQ - q[s]!);
    q[s] = newQ;
  }
  const fresh = term.potentials(q);
  for (let i = 0; i < fresh.length; i++) assert.ok(Math.abs(fresh[i]! - phi[i]!) < 1e-9);
});

test('a partial site list gives the same pair entries as the full supercell (fixed eta)', () => {
  const sc: Mat3 = [[2, 1, 0], [0, 2, 0], [0, 0, 1]];
  const all = supercellSites(lmoPrim, sc);
  const keep = all.map((_, i) => i).filter((i) => i % 3 !== 1);
  const primFracs = lmoPrim.sites.map((s) => s.frac);
  const opts = { eta: 0.5 };
  const full = buildEwaldMatrix({ primLattice: lmoPrim.lattice, primFracs, scMatrix: sc, sites: all, options: opts });
  const part = buildEwaldMatrix({ primLattice: lmoPrim.lattice, primFracs, scMatrix: sc, sites: keep.map((i) => all[i]!), options: opts });
  let worst = 0;
  keep.forEach((i, a) => keep.forEach((j, b) => {
    worst = Math.max(worst, Math.abs(full.matrix[i * all.length + j]! - part.matrix[a * keep.length + b]!));
  }));
  assert.ok(worst < 1e-12, `max difference ${worst}`);
});

test('bad input gives typed errors', () => {
  const noOx = new Structure(new Lattice([[3, 0, 0], [0, 3, 0], [0, 0, 3]]), [
    { frac: [0, 0, 0], species: [{ species: Species.parse('Ag'), occu: 0.5 }, { species: Species.parse('Pd'), occu: 0.5 }] },
  ]);
  assert.throws(() => EwaldTerm.build(noOx, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [{ frac: [0, 0, 0], primSite: 0 }]), InputError);
  const prim = rocksalt(4);
  assert.throws(() => EwaldTerm.build(prim, [[2, 0, 0], [0, 1, 0], [0, 0, 1]], [{ frac: [0.3, 0, 0], primSite: 0 }]), /not on a lattice image/);
  assert.throws(() => EwaldTerm.build(prim, [[1, 0, 0], [0, 1, 0], [0, 0, 0]], [{ frac: [0, 0, 0], primSite: 0 }]), InputError);
  const term = EwaldTerm.build(prim, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], supercellSites(prim, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]));
  assert.throws(() => term.valuePerPrim([0, 5]), InputError);
  assert.throws(() => term.valuePerPrim([0]), InputError);
});
