/**
 * Semigrand ensemble against exact enumeration: every one of the 2¹⁶ occupancies of the 16
 * active sites of lno 2×2×2 under a cluster-only model (lno's pair and triplet ECIs with
 * hand-chosen point ECIs; no Ewald, so flips are allowed), weights exp(−β(E − Σ μ_s N_s)).
 * Energy and both compositions at 3 temperatures × 2 chemical-potential sets within 4
 * standard errors. Plain flips on the real lno model (charged species + Ewald) are refused.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.ts';
import { runMonteCarlo } from '../../src/mc/run.ts';
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
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'semigrand', T: Ts, mu: mus, steps: 250000, warmup: 5000, thin: 16, seed: 7, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } });
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
  });
});

test('plain flips on lno with its Ewald term are refused (charge would not be conserved)', async () => {
  await assert.rejects(
    runMonteCarlo(lnoModel(), { supercell: SC2, ensemble: 'semigrand', T: [1000], steps: 10, init: { composition: [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }] } }),
    (e: unknown) => e instanceof OptionError && /charge-neutral/.test(e.message),
  );
});
