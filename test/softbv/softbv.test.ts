import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Mat3, Vec3 } from '../../src/core/mat3.ts';
import { inv3, mul3, vecMul3 } from '../../src/core/mat3.ts';
import { bondValenceSums } from '../../src/softbv/bvs.ts';
import { SoftBvEnergy } from '../../src/softbv/energy.ts';
import { effectiveCharges, prepareIons } from '../../src/softbv/ions.ts';
import { resolveSpecies } from '../../src/softbv/oxidation.ts';
import { KAPPA, MissingPairError, defaultParams } from '../../src/softbv/params.ts';
import { latticeError, relax, scaled, siteDisplacement } from '../../src/softbv/relax.ts';
import { sfAuto, zeroCrossing } from '../../src/softbv/sfopt.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { niggliReduce } from '../../src/structure/reduction.ts';
import { supercell } from '../../src/structure/supercell.ts';
import { DATA_DIR } from '../data-dir.ts';

const P = defaultParams();
const file = (name: string) => join(DATA_DIR, 'softbv', 'structures', `${name}.json`);
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tol ${tol})`);

function rocksalt(a: number, cation: Species | string, anion: Species | string): Structure {
  const sp = (x: Species | string) => (typeof x === 'string' ? Species.parse(x) : x);
  const lat = new Lattice([[0, a / 2, a / 2], [a / 2, 0, a / 2], [a / 2, a / 2, 0]]);
  return new Structure(lat, [
    { frac: [0, 0, 0], species: [{ species: sp(cation), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: sp(anion), occu: 1 }] },
  ]);
}

// Tabulated values (data/softbv/softbv-params.json, Chen & Adams 2017 via BVlain), read by eye:
// Na+–Cl−: R0 = 1.69489 Å, α = 1.663894 Å⁻¹; Ti4+–O2−: R0 = 1.72394, α = 1.988072;
// Sr2+–O2−: R0 = 1.95311, α = 2.197802.
const NACL = { R0: 1.69489, b: 1 / 1.663894 };
const TIO = { R0: 1.72394, b: 1 / 1.988072 };
const SRO = { R0: 1.95311, b: 1 / 2.197802 };
const rcut = (p: { R0: number; b: number }) => p.R0 - p.b * Math.log(0.001);

test('table: the pairs used below carry the tabulated R0 and b', () => {
  const p = P.pair(Species.parse('Na+'), Species.parse('Cl-'));
  close(p.R0, NACL.R0, 1e-12, 'R0 Na–Cl');
  close(p.b, NACL.b, 1e-12, 'b Na–Cl');
  close(P.pair(Species.parse('Ti4+'), Species.parse('O2-')).b, TIO.b, 1e-12, 'b Ti–O');
});

test('BVS of Na in rocksalt NaCl (a = 5.64 Å) by hand: 6 Cl at a/2 + 8 Cl at a√3/2 inside Rcutoff', () => {
  const a = 5.64;
  // Cl shells around Na: a/2 (6), a√3/2 (8), a√5/2 = 6.31 Å (24) — the third lies beyond Rcutoff = 5.85 Å
  assert.ok(a * Math.sqrt(3) / 2 < rcut(NACL) && a * Math.sqrt(5) / 2 > rcut(NACL));
  const hand = 6 * Math.exp((NACL.R0 - a / 2) / NACL.b) + 8 * Math.exp((NACL.R0 - (a * Math.sqrt(3)) / 2) / NACL.b);
  const s = rocksalt(a, 'Na+', 'Cl-');
  const r = bondValenceSums(s, resolveSpecies(s, P).species, P);
  close(r.bvs[0]!, hand, 1e-12, 'BVS Na');
  close(r.bvs[1]!, hand, 1e-12, 'BVS Cl (same bonds)');
  assert.equal(r.bonds[0], 14);
});

test('BVS of Ti and Sr in cubic SrTiO3 (a = 3.905 Å) and its GII, by hand', () => {
  const a = 3.905;
  // Ti at the cube centre: O shells a/2 (6), a√5/2 = 4.366 Å (24); next 1.5a = 5.86 Å > Rcutoff 5.20 Å
  assert.ok(a * 1.5 > rcut(TIO) && (a * Math.sqrt(5)) / 2 < rcut(TIO));
  const ti = 6 * Math.exp((TIO.R0 - a / 2) / TIO.b) + 24 * Math.exp((TIO.R0 - (a * Math.sqrt(5)) / 2) / TIO.b);
  // Sr at the corner: O shells a/√2 (12), a√1.5 = 4.783 Å (24); next a√2.5 = 6.17 Å > Rcutoff 5.10 Å
  assert.ok(a * Math.sqrt(2.5) > rcut(SRO) && a * Math.sqrt(1.5) < rcut(SRO));
  const sr = 12 * Math.exp((SRO.R0 - a / Math.SQRT2) / SRO.b) + 24 * Math.exp((SRO.R0 - a * Math.sqrt(1.5)) / SRO.b);
  const s = readStructureFile(file('SrTiO3'));
  const sp = resolveSpecies(s, P).species;
  const r = bondValenceSums(s, sp, P);
  const iTi = sp.findIndex((x) => x.element === 'Ti'), iSr = sp.findIndex((x) => x.element === 'Sr');
  close(r.bvs[iTi]!, ti, 1e-12, 'BVS Ti');
  close(r.bvs[iSr]!, sr, 1e-12, 'BVS Sr');
  close(ti, 3.9347, 1e-4, 'hand BVS Ti (printed value)');
  // Eq. 7 over the N = 2 cations
  close(r.gii, Math.sqrt(((sr - 2) ** 2 + (ti - 4) ** 2) / 2), 1e-12, 'GII');
});

test('Eq. 5 effective charges sum to zero and keep q ∝ V/√n within cations and within anions', () => {
  const V = [2, 3, 3, -2, -2, -2, -2, 1, -1];
  const n = [3, 3, 3, 2, 2, 2, 2, 4, 3];
  const q = effectiveCharges(V, n);
  close(q.reduce((t, v) => t + v, 0), 0, 1e-12, 'Σq');
  close(q[0]! / q[1]!, (2 / Math.sqrt(3)) / (3 / Math.sqrt(3)), 1e-12, 'cation ratio');
  close(q[3]! / q[8]!, (-2 / Math.sqrt(2)) / (-1 / Math.sqrt(3)), 1e-12, 'anion ratio');
  const sp = resolveSpecies(readStructureFile(file('MgAl2O4')), P).species;
  close(prepareIons(sp, P).q.reduce((t, v) => t + v, 0), 0, 1e-12, 'Σq MgAl2O4');
});

test('D0 of the table follows κ b²/2 · c (c·V_iV_j)^{1/c} / (Rmin √(n_i n_j)): c = 1 s/p-block, c = 2 d-block', () => {
  // (cation, anion, c): s/p-block cations follow Eq. 2 of seed 004 with c = 1 exactly; for the
  // d-block cations Eq. 2 as printed (c·(V_iV_j)^{1/c}) is √2 too small — the table carries c·(c V_i V_j)^{1/c}.
  const cases: Array<[string, string, number]> = [['Na+', 'Cl-', 1], ['Al3+', 'O2-', 1], ['Sr2+', 'O2-', 1], ['Mg2+', 'O2-', 1], ['Ti4+', 'O2-', 2], ['Fe3+', 'O2-', 2], ['Zn2+', 'O2-', 2], ['Zr4+', 'O2-', 2]];
  for (const [c, an, cc] of cases) {
    const cat = Species.parse(c), ani = Species.parse(an);
    const p = P.pair(cat, ani);
    const V = cat.charge * Math.abs(ani.charge);
    const nn = Math.sqrt(P.principalQuantumNumber(cat.element) * P.principalQuantumNumber(ani.element));
    const base = (KAPPA * p.b * p.b) / 2 / (p.Rmin * nn);
    close(p.D0 / (base * cc * (cc * V) ** (1 / cc)), 1, 2e-5, `D0 ${c}–${an}`);
    const printedEq2 = base * cc * V ** (1 / cc);
    close(p.D0 / printedEq2, cc === 1 ? 1 : Math.SQRT2, 2e-5, `D0 / Eq. 2 as printed, ${c}–${an}`);
  }
});

/** A distorted, sheared MgAl2O4 primitive cell with displaced atoms (seeded, fixed numbers). */
function distortedSpinel(cutoff: 'shifted-force' | 'hard' = 'shifted-force'): { E: SoftBvEnergy; L: Mat3; f: Float64Array } {
  const s = readStructureFile(file('MgAl2O4'));
  const ions = prepareIons(resolveSpecies(s, P).species, P);
  const E = new SoftBvEnergy(ions, { sf: 0.74, cutoff });
  const L = mul3(s.lattice.matrix, [[1.02, 0.03, -0.01], [0.0, 0.97, 0.02], [0.015, -0.02, 1.01]]);
  const f = Float64Array.from(s.sites.flatMap((x) => x.frac));
  for (let k = 0; k < f.length; k++) f[k] += 0.01 * Math.sin(1.7 * k + 0.3);
  return { E, L, f };
}

for (const cutoff of ['shifted-force', 'hard'] as const) test(`forces and lattice gradient equal central finite differences of the energy (1e-6 relative), ${cutoff} Morse cutoff`, () => {
  const { E, L, f } = distortedSpinel(cutoff);
  const r = E.compute(L, f);
  const h = 1e-5;
  const Linv = inv3(L);
  let gmax = 0, err = 0;
  for (let i = 0; i < f.length / 3; i++) {
    for (let a = 0; a < 3; a++) {
      // move atom i by h along Cartesian a: Δf = h e_a · L⁻¹
      const d = vecMul3([a === 0 ? h : 0, a === 1 ? h : 0, a === 2 ? h : 0] as Vec3, Linv);
      const fp = Float64Array.from(f), fm = Float64Array.from(f);
      for (let k = 0; k < 3; k++) { fp[3 * i + k] += d[k]!; fm[3 * i + k] -= d[k]!; }
      const fd = (E.compute(L, fp).energy - E.compute(L, fm).energy) / (2 * h);
      gmax = Math.max(gmax, Math.abs(r.gradient[3 * i + a]!));
      err = Math.max(err, Math.abs(fd - r.gradient[3 * i + a]!));
    }
  }
  assert.ok(gmax > 0.1, `distortion gives real forces (${gmax})`);
  assert.ok(err <= 1e-6 * gmax, `force error ${err} vs max ${gmax}`);
  let smax = 0, serr = 0;
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const Lp = L.map((row) => [...row]) as Mat3, Lm = L.map((row) => [...row]) as Mat3;
      Lp[a]![b] += h; Lm[a]![b] -= h;
      const fd = (E.compute(Lp, f).energy - E.compute(Lm, f).energy) / (2 * h);
      smax = Math.max(smax, Math.abs(r.latticeGradient[a]![b]!));
      serr = Math.max(serr, Math.abs(fd - r.latticeGradient[a]![b]!));
    }
  }
  assert.ok(serr <= 1e-6 * smax, `lattice-gradient error ${serr} vs max ${smax}`);
  // stress = Lᵀ dE/dL / V and its trace equals V·dE/dV·3 at fixed fractions: check −P against isotropic FD
  const V = new Lattice(L).volume;
  const eps = 1e-6;
  const Ls = (t: number) => L.map((row) => row.map((v) => v * (1 + t))) as Mat3;
  const dEdeps = (E.compute(Ls(eps), f).energy - E.compute(Ls(-eps), f).energy) / (2 * eps);
  close((r.stress[0][0] + r.stress[1][1] + r.stress[2][2]) * V, dEdeps, 1e-6 * Math.abs(dEdeps), 'trace of the virial');
});

test('energy is invariant under a change of lattice basis and scales with a supercell', () => {
  const s = readStructureFile(file('ZnFe2O4'));
  const ions = prepareIons(resolveSpecies(s, P).species, P);
  const E0 = new SoftBvEnergy(ions, { sf: 0.74 }).compute(s.lattice.matrix, s.sites.flatMap((x) => x.frac)).energy;
  // unimodular basis change L' = U L, f' = f U⁻¹ (a skewed, unreduced basis of the same lattice)
  const U: Mat3 = [[1, 1, 0], [0, 1, 1], [1, 1, 1]]; // det 1
  const Ui = inv3(U);
  const L2 = mul3(U, s.lattice.matrix);
  const f2: number[] = s.sites.flatMap((x) => vecMul3(x.frac, Ui));
  const E2 = new SoftBvEnergy(ions, { sf: 0.74 }).compute(L2, f2).energy;
  close(E2, E0, 1e-9 * Math.abs(E0), 'basis change');
  // and back: Niggli reduction of the skewed basis (L'' = T L', f'' = f' T⁻¹) gives the same energy
  const red = niggliReduce(new Lattice(L2));
  const Ti = inv3(red.transformation);
  const f4: number[] = [];
  for (let i = 0; i < f2.length / 3; i++) f4.push(...vecMul3([f2[3 * i]!, f2[3 * i + 1]!, f2[3 * i + 2]!], Ti));
  const E4 = new SoftBvEnergy(ions, { sf: 0.74 }).compute(red.lattice.matrix, f4).energy;
  close(E4, E0, 1e-9 * Math.abs(E0), 'Niggli-reduced basis');
  const sc = supercell(s, [[2, 0, 0], [0, 1, 0], [1, 1, 2]]);
  const ions3 = prepareIons(resolveSpecies(sc, P).species, P);
  const E3 = new SoftBvEnergy(ions3, { sf: 0.74 }).compute(sc.lattice.matrix, sc.sites.flatMap((x) => x.frac)).energy;
  close(E3, 4 * E0, 1e-9 * Math.abs(4 * E0), 'supercell ×4');
});

test('SrTiO3: Er rises with sf, does not depend on the ±10 % start, and crosses zero between 0.74 and 1.0', () => {
  const s = readStructureFile(file('SrTiO3'));
  const ions = prepareIons(resolveSpecies(s, P).species, P);
  const curve = [0.6, 0.74, 0.9, 1.0].map((sf) => {
    const e = [0.9, 1.1].map((strain) => {
      const r = relax(scaled(s, strain), ions, { sf, mode: 'isotropic' });
      assert.ok(r.converged, r.message);
      return latticeError(r.structure, s);
    });
    close(e[0]!, e[1]!, 1e-5, `Er from 0.9 vs 1.1 start at sf ${sf}`);
    return { sf, Er: e[0]! };
  });
  for (let k = 1; k < curve.length; k++) assert.ok(curve[k]!.Er > curve[k - 1]!.Er, `Er(${curve[k]!.sf}) > Er(${curve[k - 1]!.sf})`);
  const z = zeroCrossing(curve)!;
  assert.ok(z > 0.74 && z < 1.0, `sf_opt ${z}`);
  // the relaxed cubic cell keeps its shape and the ions their ideal positions (forces vanish by symmetry)
  const r = relax(s, ions, { sf: 0.74, mode: 'full' });
  const [a, b, c] = r.structure.lattice.abc;
  close(a, b, 1e-6, 'a = b'); close(b, c, 1e-6, 'b = c');
  r.structure.lattice.angles.forEach((x) => close(x, 90, 1e-4, 'right angles'));
});

test('zeroCrossing interpolates linearly and returns null without a bracket', () => {
  close(zeroCrossing([{ sf: 0.6, Er: -0.02 }, { sf: 0.7, Er: 0.02 }])!, 0.65, 1e-12, 'midpoint');
  assert.equal(zeroCrossing([{ sf: 0.6, Er: 0.01 }, { sf: 0.7, Er: 0.02 }]), null);
});

test('oxidation states are guessed by charge balance when absent', () => {
  const s = readStructureFile(file('SrTiO3'));
  const bare = new Structure(s.lattice, s.sites.map((x) => ({ ...x, species: [{ species: Species.of(x.species[0]!.species.element), occu: 1 }] })));
  const r = resolveSpecies(bare, P);
  assert.equal(r.guessed, true);
  assert.deepEqual(r.species.map((x) => x.key), ['Sr2+', 'Ti4+', 'O2-', 'O2-', 'O2-']);
});

test('bad input: unbalanceable composition, missing pair and sf ≤ 0 give one-line errors naming them', () => {
  // Na has only +1 in the table: NaCl2 cannot be charge balanced
  const lat = new Lattice([[4, 0, 0], [0, 4, 0], [0, 0, 4]]);
  const nacl2 = new Structure(lat, [
    { frac: [0, 0, 0], species: [{ species: Species.of('Na'), occu: 1 }] },
    { frac: [0.5, 0.5, 0.5], species: [{ species: Species.of('Cl'), occu: 1 }] },
    { frac: [0.5, 0, 0], species: [{ species: Species.of('Cl'), occu: 1 }] },
  ]);
  assert.throws(() => resolveSpecies(nacl2, P), /cannot charge-balance Na Cl2 .*Na \+1/);
  // Ti7+ does not exist in the table
  assert.throws(() => prepareIons([Species.parse('Ti7+'), Species.parse('O2-')], P), (e: unknown) => e instanceof MissingPairError && /Ti7\+–O2-/.test((e as Error).message));
  const ions = prepareIons(resolveSpecies(readStructureFile(file('SrTiO3')), P).species, P);
  for (const sf of [0, -0.5, NaN]) assert.throws(() => new SoftBvEnergy(ions, { sf }), /--sf must be a positive number/);
  assert.throws(() => prepareIons(resolveSpecies(rocksalt(4.2, 'Mg2+', 'O2-'), P).species.map((x, i) => (i === 0 ? Species.of('Mg') : x)), P), /site 0 \(Mg\) has no oxidation state/);
});

test('Δ_site (seed 004) removes the rigid shift: one of 5 sites moved by 0.05 gives (0.04 + 4·0.01)/5', () => {
  const s = readStructureFile(file('SrTiO3'));
  const moved = new Structure(s.lattice, s.sites.map((x, i) => ({ ...x, frac: (i === 0 ? [x.frac[0] + 0.05, x.frac[1], x.frac[2]] : x.frac) as Vec3 })));
  close(siteDisplacement(s, moved), 0.016, 1e-12, 'Δ_site');
  close(siteDisplacement(s, s), 0, 0, 'Δ_site of itself');
});

test('sf_auto (zero pressure of a cell) reproduces that cell: Er ≈ 0 for the reference, ≈ +10 % for the 1.1 start', () => {
  const s = readStructureFile(file('KTaO3'));
  const ions = prepareIons(resolveSpecies(s, P).species, P);
  const auto = sfAuto(s, ions)!;
  const er = latticeError(relax(scaled(s, 0.9), ions, { sf: auto }).structure, s);
  close(er, 0, 1e-5, 'Er at sf_auto of the reference');
  const autoStrained = sfAuto(scaled(s, 1.1), ions)!;
  assert.ok(autoStrained > auto, 'a larger cell needs a larger sf');
  close(latticeError(relax(scaled(s, 1.1), ions, { sf: autoStrained }).structure, s), 0.1, 1e-5, 'Er at sf_auto of the strained cell');
});
