/**
 * Canonical ensemble against exact enumeration: lno 2×2×2 (16 active sites) with its Ewald
 * term at Li₄Vac₄ / Ni³⁺₄Ni⁴⁺₄ — all C(8,4)² = 4,900 states. Exact Boltzmann ⟨E⟩ at three
 * temperatures (chosen where the average is well away from the ground state: the Ewald term
 * makes the spectrum several eV wide) vs MC within 4 standard errors; composition is conserved
 * exactly; heat capacity from fluctuations vs the exact variance; annealing finds the exact
 * ground state.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runMonteCarlo } from '../../src/mc/run.ts';
import { KB_EV } from '../../src/core/units.ts';
import { Layout } from '../../src/mc/state.ts';
import { enumerate, exactAverages, lnoModel, SC2, within4 } from './helpers.ts';

const model = lnoModel();
const layout = new Layout(model.space, SC2);
const composition = [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }];
const en = enumerate(model, layout, (c) => c[0] === 4 && c[3] === 4);

test('canonical lno: ⟨E⟩ at 3 temperatures within 4 standard errors of enumeration; composition fixed', async () => {
  assert.equal(en.energy.length, 4900);
  const Ts = [2000, 5000, 12000];
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'canonical', T: Ts, steps: 300000, warmup: 5000, thin: 16, seed: 1, init: { composition } });
  res.summary.conditions.forEach((c, k) => {
    const ex = exactAverages(en, Ts[k]!, 8);
    assert.ok(Math.abs(ex.energy - Math.min(...en.energy) / 8) > 0.01, 'the test temperature is not trivially the ground state');
    within4(c.energy!.mean, c.energy!.stderr, ex.energy, `canonical E at ${Ts[k]} K`);
    assert.equal(c.composition['Li+'], 0.5);
    assert.equal(c.composition['Ni4+'], 0.5);
    // heat capacity in k_B per prim: N·Var(e)/(k_B T)²; a variance from ~10⁴ correlated samples is good to a few %
    const exactC = (8 * ex.energyVar) / (KB_EV * Ts[k]!) ** 2;
    assert.ok(Math.abs(c.heatCapacity! - exactC) / exactC < 0.1, `C ${c.heatCapacity} vs exact ${exactC}`);
  });
});

test('annealing reaches the exact canonical ground state of lno 2×2×2', async () => {
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'anneal', T: [20000, 100], steps: 100000, seed: 4, init: { composition } });
  const ground = Math.min(...en.energy) / 8;
  assert.ok(Math.abs(res.summary.conditions[0]!.lowestEnergy - ground) < 1e-9, `annealed ${res.summary.conditions[0]!.lowestEnergy} vs ground state ${ground}`);
  // the stored lowest configuration really has that energy
  const k = en.codes.findIndex((c) => c.every((v, i) => v === res.details[0]!.lowestCodes[i]));
  assert.ok(k >= 0 && Math.abs(en.energy[k]! / 8 - ground) < 1e-9);
});
