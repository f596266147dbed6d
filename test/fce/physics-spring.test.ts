/**
 * Nearest-neighbour central springs on fcc: the only force constants are Φ_ij = −k êêᵀ and
 * Φ_ii = 4k·I, so the dispersion is closed-form: D(q) = (k/m) Σ_j êêᵀ (1 − cos q·r_j), giving
 * ω_L(X) = √(8k/m), ω_T(X) = √(4k/m), ω_L(L) = √(8k/m), ω_T(L) = √(2k/m) (hand derivation in
 * src/fce/README.md). The fitted FCE must reproduce them; also equipartition of the normal-mode
 * generator and the Dulong–Petit limit of C_V.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { FcClusterSpace } from '../../src/fce/cluster-space.ts';
import { fitFce } from '../../src/fce/fit.ts';
import { normalModes, phononRattle, rattle, supercellMasses } from '../../src/fce/generate.ts';
import { Phonons, forceConstantsText, phononDos, thermalProperties } from '../../src/fce/phonons.ts';
import { SpringNetwork, finiteDifferenceFc } from '../../src/fce/potentials.ts';
import { FcSupercell } from '../../src/fce/supercell.ts';
import { fccPrim } from './helpers.ts';

const a = 3.61, k = 1.7, mass = 63.546;
const prim = fccPrim(a);
const springs = new SpringNetwork(k, 0.8 * a);
// SI conversion written out here, independent of src/fce/units.ts
const thz = (lambda: number) => Math.sqrt((lambda * 1.602176634e-19) / 1e-20 / (mass * 1.6605390666e-27)) / (2 * Math.PI) / 1e12;

function fittedModel() {
  const cs = FcClusterSpace.build(prim, new Map([[2, 0.8 * a]]));
  const sc = new FcSupercell(prim, [[-2, 2, 2], [2, -2, 2], [2, 2, -2]]);
  const rng = new Rng(3);
  const data = Array.from({ length: 3 }, (_, s) => {
    const u = rattle(sc.numAtoms, 0.02, rng);
    return { supercell: sc, displacements: u, forces: springs.forces(sc, u), label: `s${s}` };
  });
  return fitFce(cs, data, 'ols', {}, { cvFolds: 3, masses: [mass] });
}

test('spring model: fitted FCE gives the closed-form frequencies at X and L to 1e-6', () => {
  const res = fittedModel();
  assert.ok(res.cv!.rmse < 1e-10, `harmonic data are fitted exactly (CV-RMSE ${res.cv!.rmse})`);
  const ph = new Phonons(prim, res.model.pairForceConstants(), [mass]);
  const X = ph.frequencies([0.5, 0, 0.5]), L = ph.frequencies([0.5, 0.5, 0.5]);
  const expectX = [thz(4 * k), thz(4 * k), thz(8 * k)];
  const expectL = [thz(2 * k), thz(2 * k), thz(8 * k)];
  X.forEach((v, i) => assert.ok(Math.abs(v / expectX[i]! - 1) < 1e-6, `X band ${i}: ${v} vs ${expectX[i]}`));
  L.forEach((v, i) => assert.ok(Math.abs(v / expectL[i]! - 1) < 1e-6, `L band ${i}: ${v} vs ${expectL[i]}`));
  const G = ph.frequencies([0, 0, 0]);
  G.forEach((v) => assert.ok(Math.abs(v) < 1e-5, `acoustic sum rule: Γ frequencies vanish (${v})`));
});

test('spring model: FORCE_CONSTANTS blocks are −k êêᵀ and 4k·I, rows sum to zero', () => {
  const res = fittedModel();
  const { text, supercell } = forceConstantsText(prim, res.model.pairForceConstants(), [[2, 0, 0], [0, 2, 0], [0, 0, 2]]);
  const lines = text.trim().split('\n');
  const N = supercell.numAtoms;
  assert.equal(lines[0], `${N} ${N}`);
  assert.equal(lines.length, 1 + N * N * 4);
  const block = (i: number, j: number) => lines.slice(1 + (i * N + j) * 4 + 1, 1 + (i * N + j) * 4 + 4).map((l) => l.trim().split(/\s+/).map(Number));
  for (let i = 0; i < N; i++) {
    const sum = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < N; j++) block(i, j).flat().forEach((v, t) => (sum[t] += v));
    sum.forEach((v) => assert.ok(Math.abs(v) < 1e-9));
  }
  block(0, 0).forEach((row, r) => row.forEach((v, c) => assert.ok(Math.abs(v - (r === c ? 4 * k : 0)) < 1e-9)));
  // a 2×2×2 prim supercell of fcc folds each neighbour pair onto one image pair twice: pick atom
  // 0's partner along a1 = (0, a/2, a/2); the bonds ±a1 both land on it: −2k êêᵀ
  const j = supercell.indexOf([0, 1, 0, 0]);
  const e = [0, Math.SQRT1_2, Math.SQRT1_2];
  block(supercell.indexOf([0, 0, 0, 0]), j).forEach((row, r) => row.forEach((v, c) => assert.ok(Math.abs(v + 2 * k * e[r]! * e[c]!) < 1e-9, `${v}`)));
});

test('normal-mode generator: mean potential energy is (3N − 3)/2 k_BT (equipartition)', () => {
  const sc = new FcSupercell(prim, [[3, 0, 0], [0, 3, 0], [0, 0, 3]]);
  const modes = normalModes(finiteDifferenceFc(springs, sc), supercellMasses(sc, [mass]));
  const T = 300, kB = 8.617333262e-5, rng = new Rng(11), n = 200;
  let e = 0;
  for (let s = 0; s < n; s++) e += springs.energy(sc, phononRattle(modes, T, rng));
  const expected = ((3 * sc.numAtoms - 3) / 2) * kB * T;
  // relative std of the mean: √(2/(3N−3))/√n ≈ 1.1 %; allow 4σ
  assert.ok(Math.abs(e / n / expected - 1) < 0.045, `⟨E⟩ = ${e / n}, expected ${expected}`);
});

test('harmonic thermodynamics: C_V → 3 k_B per atom at high T, → 0 at low T; DOS integrates to 3 per atom', () => {
  const ph = new Phonons(prim, fittedModel().model.pairForceConstants(), [mass]);
  const mesh = ph.meshFrequencies([8, 8, 8]);
  const [cold, hot] = thermalProperties(mesh, [1, 20000]);
  // the three ω = 0 modes at Γ are left out (as phonopy does), so the limit is (3·512 − 3)/512
  const limit = (3 * 512 - 3) / 512;
  assert.ok(hot!.heatCapacity > limit - 1e-3 && hot!.heatCapacity <= limit, `${hot!.heatCapacity}`);
  assert.ok(cold!.heatCapacity < 1e-6, `${cold!.heatCapacity}`);
  const dos = phononDos(mesh, 0.05, 2000);
  const dx = dos.freq[1]! - dos.freq[0]!;
  const total = dos.dos.reduce((s, v) => s + v * dx, 0);
  assert.ok(Math.abs(total - 3) < 1e-3, `∫DOS = ${total}`);
});
