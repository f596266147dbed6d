/**
 * Slow suite (not part of `npm test`; run `npm run test:slow`): the square-lattice
 * Ising model built as a cluster expansion (test/mc/helpers.ts isingModel: one-site tetragonal
 * prim, pair cutoff between a and √2·a, pair ECI −2J), sampled with semigrand flips at μ = 0
 * (single-spin-flip Metropolis). Checked against Kaufman's exact finite-lattice solution
 * (test-slow/kaufman.ts, itself checked against brute force and Onsager):
 *  - energy per site on 32×32 and 64×64 tori at T = 0.8 Tc (ordered start) and 1.5 Tc (random
 *    start) within 4 standard errors;
 *  - the heat-capacity peak of the 32×32 torus within 1 % of the exact peak temperature: one
 *    long run at Onsager's Tc, energy histogram reweighted (Ferrenberg–Swendsen) to
 *    neighbouring temperatures, maximum located by golden-section search.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMonteCarlo } from '../src/mc/run.ts';
import { KB_EV } from '../src/core/units.ts';
import { isingModel } from '../test/mc/helpers.ts';
import { bruteLnZ, kaufmanEnergy, kaufmanLnZ, kaufmanPeak } from './kaufman.ts';

const J = 0.01; // eV
const TC = 2 / Math.log(1 + Math.SQRT2); // 2.269185 J/k_B
const kelvin = (t: number) => (t * J) / KB_EV;
const model = isingModel(J);
const sc = (L: number): [[number, number, number], [number, number, number], [number, number, number]] => [[L, 0, 0], [0, L, 0], [0, 0, 1]];

test('Kaufman finite-lattice ln Z equals brute force (L = 4) and gives Onsager energies for large L', () => {
  for (const t of [1.5, TC, 3]) assert.ok(Math.abs(kaufmanLnZ(1 / t, 4) - bruteLnZ(1 / t, 4)) < 1e-9);
  assert.ok(Math.abs(kaufmanEnergy(0.8 * TC, 512) - -1.8524) < 1e-4);
  assert.ok(Math.abs(kaufmanEnergy(1.5 * TC, 512) - -0.685) < 1e-4);
});

for (const L of [32, 64]) {
  test(`Ising ${L}×${L}: energy per site at 0.8 Tc and 1.5 Tc within 4 standard errors of Kaufman`, async () => {
    const N = L * L;
    for (const [t, composition] of [[0.8 * TC, [{ species: 'Cu', fraction: 1 }]], [1.5 * TC, [{ species: 'Cu', fraction: 0.5 }]]] as const) {
      const res = await runMonteCarlo(model, { supercell: sc(L), ensemble: 'semigrand', T: [kelvin(t)], steps: 4000 * N, warmup: 500 * N, thin: N, seed: L, init: { composition: [...composition] } });
      const c = res.summary.conditions[0]!;
      const exact = kaufmanEnergy(t, L);
      const z = Math.abs(c.energy!.mean / J - exact) / (c.energy!.stderr / J);
      console.log(`L=${L} T=${(t / TC).toFixed(1)}Tc: MC ${(c.energy!.mean / J).toFixed(5)} ± ${(c.energy!.stderr / J).toFixed(5)} J, exact ${exact.toFixed(5)} J (${z.toFixed(2)} SE), ${c.stepsPerSecond.toFixed(0)} steps/s`);
      assert.ok(z <= 4, `L=${L}, T=${t / TC} Tc: ${c.energy!.mean / J} vs ${exact}`);
    }
  });
}

test('Ising 32×32: heat-capacity peak within 1 % of the exact finite-lattice peak temperature', async () => {
  const L = 32, N = L * L;
  const res = await runMonteCarlo(model, { supercell: sc(L), ensemble: 'semigrand', T: [kelvin(TC)], steps: 60000 * N, warmup: 2000 * N, thin: N, seed: 99, init: { composition: [{ species: 'Cu', fraction: 1 }] } });
  const d = res.details[0]!;
  const cut = res.summary.conditions[0]!.equilibrationSteps;
  const E = d.trace.energy.filter((_, k) => d.trace.step[k]! > cut).map((e) => (e * N) / J); // total energy in J
  const t0 = TC;
  // C(t) per site in k_B from the energy histogram of the run at t0 reweighted to t
  const heat = (t: number) => {
    const db = 1 / t - 1 / t0;
    const w = E.map((e) => -db * e);
    const m = Math.max(...w);
    let z = 0, e1 = 0, e2 = 0;
    E.forEach((e, k) => {
      const x = Math.exp(w[k]! - m);
      z += x;
      e1 += x * e;
      e2 += x * e * e;
    });
    return (e2 / z - (e1 / z) ** 2) / (t * t) / N;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let a = 2.2, b = 2.4;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  while (b - a > 1e-5) {
    if (heat(x1) > heat(x2)) { b = x2; x2 = x1; x1 = b - g * (b - a); }
    else { a = x1; x1 = x2; x2 = a + g * (b - a); }
  }
  const peak = (a + b) / 2, exact = kaufmanPeak(L);
  console.log(`32×32 C(T) peak: MC ${peak.toFixed(4)} J/k_B (C = ${heat(peak).toFixed(3)}), exact ${exact.toFixed(4)} (${((100 * (peak - exact)) / exact).toFixed(2)} %), ${E.length} samples`);
  assert.ok(Math.abs(peak - exact) / exact < 0.01);
});
