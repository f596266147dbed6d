/**
 * Semigrand ensemble against exact enumeration: every one of the 2¹⁶ occupancies of the 16
 * active sites of lno 2×2×2 under a cluster-only model (lno's pair and triplet ECIs with
 * hand-chosen point ECIs; no Ewald, so flips are allowed), weights exp(−β(E − Σ μ_s N_s)).
 * Energy and both compositions at 3 temperatures × 2 chemical-potential sets within 4
 * standard errors; ln Z(μ) by thermodynamic integration over μ vs exact. Plain flips on the real lno model (charged species + Ewald) are refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.ts';
import { integrateOverMu } from '../../src/mc/free-energy.ts';
import { runMonteCarlo } from '../../src/mc/run.ts';
import { KB_EV } from '../../src/core/units.ts';
import { Layout } from '../../src/mc/state.ts';
import { LNO_ECI, enumerate, exactAverages, lnoModel, SC2, slotStats, within4 } from './helpers.ts';

const eci = LNO_ECI.slice();
eci[1] = 0.05;
eci[2] = -0.03;
eci[11] = 0;
const model = lnoModel(eci);
const layout = new Layout(model.space, SC2);
const en = enumerate(model, layout);

test('semigrand lno (cluster terms): E and composition at 3 T × 2 μ within 4 standard errors of all 65,536 states', async () => {
  assert.equal(en.energy.length, 65536);
  const Ts = [1500, 2500, 4000];
  const mus = [{ 'Li+': 0, 'Ni4+': 0 }, { 'Li+': -0.25, 'Ni4+': -0.25 }];
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'semigrand', T: Ts, mu: mus, steps: 250000, warmup: 5000, thin: 16, seed: 7, correlations: true, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } });
  const li = layout.slotSpecies.indexOf('Li+'), ni4 = layout.slotSpecies.indexOf('Ni4+');
  res.summary.conditions.forEach((c, k) => {
    const muSlot = Float64Array.from(layout.slotSpecies, (s) => (c.mu as Record<string, number>)[s] ?? 0);
    const ex = exactAverages(en, c.T, 8, muSlot);
    assert.ok(ex.counts[li]! > 0.15 && ex.counts[li]! < 7.85 && ex.counts[ni4]! > 0.15 && ex.counts[ni4]! < 7.85, `condition ${k} is not trivially saturated`);
    within4(c.energy!.mean, c.energy!.stderr, ex.energy, `semigrand E at T=${c.T}, μ=${JSON.stringify(c.mu)}`);
    const sLi = slotStats(res.details[k]!, c.equilibrationSteps, [li]);
    const sNi = slotStats(res.details[k]!, c.equilibrationSteps, [ni4]);
    within4(sLi.mean, sLi.stderr, ex.counts[li]!, `⟨N_Li⟩ at T=${c.T}, μ=${JSON.stringify(c.mu)}`);
    within4(sNi.mean, sNi.stderr, ex.counts[ni4]!, `⟨N_Ni4+⟩ at T=${c.T}, μ=${JSON.stringify(c.mu)}`);
    assert.ok(Math.abs(c.composition['Li+']! - sLi.mean / 8) < 1e-12, 'summary composition = fraction of the sublattice');
    // mean point correlations (CorrelationEvaluator on each sample) are fixed by the mean composition:
    // φ₁ = −cos(πσ) is −1 on the first species and +1 on the second, so ⟨Π⟩ = x_second − x_first
    const points = [c.composition.Vacancy! - c.composition['Li+']!, c.composition['Ni4+']! - c.composition['Ni3+']!].sort();
    const got = c.meanCorrelations!.slice(1, 3).sort();
    assert.ok(Math.abs(points[0]! - got[0]!) < 1e-9 && Math.abs(points[1]! - got[1]!) < 1e-9, `point correlations ${got} vs composition ${points}`);
  });
});

test('plain flips on lno with its Ewald term are refused (charge would not be conserved)', async () => {
  await assert.rejects(
    runMonteCarlo(lnoModel(), { supercell: SC2, ensemble: 'semigrand', T: [1000], steps: 10, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } }),
    (e: unknown) => e instanceof OptionError && /charge-neutral/.test(e.message),
  );
});

test('thermodynamic integration over μ in the semigrand ensemble gives the exact ln Z(μ)', async () => {
  const sg = model;
  const all = en;
  const T = 2500, beta = 1 / (KB_EV * T);
  const mus = Array.from({ length: 9 }, (_, k) => -0.4 + (0.4 * k) / 8);
  const muSlot = (m: number) => Float64Array.from(layout.slotSpecies, (s) => (s === 'Li+' ? m : 0));
  const res = await runMonteCarlo(sg, { supercell: SC2, ensemble: 'semigrand', T: [T], mu: mus.map((m) => ({ 'Li+': m })), steps: 100000, warmup: 2000, thin: 16, seed: 9, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } });
  const nLi = res.summary.conditions.map((c) => c.composition['Li+']! * 8);
  const se = res.summary.conditions.map((c, k) => slotStats(res.details[k]!, c.equilibrationSteps, [layout.slotSpecies.indexOf('Li+')]).stderr);
  const dmu = 0.4 / 8;
  const stat = beta * Math.sqrt(se.reduce((s, x, k) => s + ((k === 0 || k === 8 ? 0.5 : 1) * dmu * x) ** 2, 0));
  const lnZ0 = exactAverages(all, T, 8, muSlot(mus[0]!)).lnZ;
  const lnZ = integrateOverMu(mus, nLi, beta, lnZ0).at(-1)!;
  const exact = exactAverages(all, T, 8, muSlot(mus.at(-1)!)).lnZ;
  const coarse = integrateOverMu(mus.filter((_, k) => k % 2 === 0), nLi.filter((_, k) => k % 2 === 0), beta, lnZ0).at(-1)!;
  const grid = Math.abs(lnZ - coarse) / 3;
  assert.ok(Math.abs(lnZ - exact) <= 4 * stat + grid, `ln Z(μ): TI ${lnZ} vs exact ${exact} (stat ${stat}, grid ${grid})`);
});
