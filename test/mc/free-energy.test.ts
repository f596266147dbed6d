/**
 * Wang–Landau and thermodynamic integration against exact enumeration on canonical lno 2×2×2
 * (4,900 states with the Ewald term): WL ln g(E) per bin vs the enumerated number of states
 * per bin (additive constant fixed by Σ g = 4,900) within the spread of independent runs;
 * free energies F(T) from WL and from integrating ⟨E⟩ over β from the infinite-temperature
 * limit vs −k_B T ln Z of the enumeration (integration over μ: semigrand.test.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { freeEnergyPerPrim, integrateOverBeta, lnStatesCanonical } from '../../src/mc/free-energy.ts';
import { compositionCounts, randomOccupancy } from '../../src/mc/init.ts';
import { SwapMoves } from '../../src/mc/moves.ts';
import { buildProcessor } from '../../src/mc/processor.ts';
import { runMonteCarlo } from '../../src/mc/run.ts';
import { KB_EV } from '../../src/core/units.ts';
import { Layout, McState } from '../../src/mc/state.ts';
import { logSumExp, wangLandau, wlCanonical } from '../../src/mc/wang-landau.ts';
import { enumerate, exactAverages, lnoModel, SC2 } from './helpers.ts';

const model = lnoModel();
const layout = new Layout(model.space, SC2);
const composition = [{ species: 'Li+', fraction: 0.5 }, { species: 'Ni4+', fraction: 0.5 }];
const en = enumerate(model, layout, (c) => c[0] === 4 && c[3] === 4);
const e = Array.from(en.energy, (x) => x / 8);
const lo = Math.min(...e) - 1e-6, hi = Math.max(...e) + 1e-6;
const nBins = 12, width = (hi - lo) / nBins;

test('Wang–Landau ln g(E) and F(T) match enumeration within the spread of independent runs', () => {
  const hist = new Array<number>(nBins).fill(0);
  for (const x of e) hist[Math.floor((x - lo) / width)]!++;
  const exact = hist.map((h) => (h > 0 ? Math.log(h) : NaN));
  const { processor } = buildProcessor(model, SC2);
  const start = randomOccupancy(layout, compositionCounts(layout, composition), new Rng(1));
  const lnS = lnStatesCanonical(layout, compositionCounts(layout, composition));
  assert.ok(Math.abs(lnS - Math.log(4900)) < 1e-12);
  const runs = [11, 12, 13, 14].map((seed) => {
    const st = new McState(layout, processor, start);
    const r = wangLandau(st, new SwapMoves(layout), new Rng(seed), { min: lo, max: hi, binWidth: width, lnfFinal: 1e-5, checkEvery: 30000 });
    assert.ok(r.converged);
    // visited bins are exactly the bins that hold states
    assert.deepEqual(r.lnG.map(Number.isFinite), exact.map(Number.isFinite));
    const shift = lnS - logSumExp(r.lnG);
    return { lnG: r.lnG.map((g) => g + shift), F: [2000, 5000].map((T) => wlCanonical(r, T, 8, lnS).freeEnergy) };
  });
  const n = runs.length;
  const bins = exact.map((x, k) => (Number.isFinite(x) ? k : -1)).filter((k) => k >= 0);
  // pooled run-to-run standard deviation of ln g over bins
  let v = 0;
  for (const k of bins) {
    const m = runs.reduce((s, r) => s + r.lnG[k]!, 0) / n;
    v += runs.reduce((s, r) => s + (r.lnG[k]! - m) ** 2, 0) / (n - 1);
  }
  const sd = Math.sqrt(v / bins.length);
  for (const k of bins) {
    const m = runs.reduce((s, r) => s + r.lnG[k]!, 0) / n;
    assert.ok(Math.abs(m - exact[k]!) <= 4 * sd, `bin ${k}: WL ln g ${m.toFixed(4)} vs enumerated ${exact[k]!.toFixed(4)} (run spread ${sd.toFixed(4)})`);
  }
  [2000, 5000].forEach((T, t) => {
    const Fx = freeEnergyPerPrim(exactAverages(en, T, 8).lnZ, T, 8);
    const Fs = runs.map((r) => r.F[t]!);
    const m = Fs.reduce((a, b) => a + b, 0) / n;
    const s = Math.sqrt(Fs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    // F per prim carries k_B T·δ(ln g)/N_prim: compare with the spread of ln g converted the same way
    const tol = 4 * Math.max(s, (KB_EV * T * sd) / 8);
    assert.ok(Math.abs(m - Fx) <= tol, `F(${T} K): WL ${m} vs exact ${Fx} (tolerance ${tol})`);
  });
});

test('thermodynamic integration over β from infinite temperature gives the exact canonical F', async () => {
  const T = 4000;
  const betaT = 1 / (KB_EV * T);
  // ⟨E⟩ is smooth in β: 9 points on [0, β_T] with the trapezoid rule; the grid error is checked below by halving
  const betas = Array.from({ length: 9 }, (_, k) => (k * betaT) / 8);
  const Ts = betas.map((b) => (b === 0 ? 1e12 : 1 / (KB_EV * b)));
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'canonical', T: Ts, steps: 100000, warmup: 2000, thin: 16, seed: 5, init: { composition } });
  const meanE = res.summary.conditions.map((c) => c.energy!.mean * 8);
  const se = res.summary.conditions.map((c) => c.energy!.stderr * 8);
  const lnZ0 = lnStatesCanonical(layout, compositionCounts(layout, composition));
  const lnZ = integrateOverBeta(betas, meanE, lnZ0).at(-1)!;
  const coarse = integrateOverBeta(betas.filter((_, k) => k % 2 === 0), meanE.filter((_, k) => k % 2 === 0), lnZ0).at(-1)!;
  const exact = exactAverages(en, T, 8).lnZ;
  // statistical error of the integral: trapezoid weights × standard errors (independent chains)
  const stat = Math.sqrt(betas.reduce((s, _, k) => s + ((k === 0 || k === 8 ? 0.5 : 1) * (betaT / 8) * se[k]!) ** 2, 0));
  const grid = Math.abs(lnZ - coarse) / 3; // Richardson estimate of the trapezoid error
  assert.ok(Math.abs(lnZ - exact) <= 4 * stat + grid, `ln Z: TI ${lnZ} vs exact ${exact} (stat ${stat}, grid ${grid})`);
  assert.ok(Math.abs(freeEnergyPerPrim(lnZ, T, 8) - freeEnergyPerPrim(exact, T, 8)) < 2e-3, 'F per prim within 2 meV');
});

test('runMonteCarlo wang-landau: reweighted E(T) and F(T) in the summary agree with enumeration', async () => {
  const res = await runMonteCarlo(model, { supercell: SC2, ensemble: 'wang-landau', T: [2000, 5000], steps: 5_000_000, seed: 2, init: { composition }, wangLandau: { min: lo, max: hi, binWidth: width, lnfFinal: 1e-3, checkEvery: 20000 } });
  assert.ok(res.summary.wangLandau!.converged);
  assert.ok(res.summary.wangLandau!.binCorrelations!.length === nBins, 'per-bin mean correlation vectors are reported');
  for (const c of res.summary.conditions) {
    const ex = exactAverages(en, c.T, 8);
    // ln f down to 1e-3 leaves ln g errors ≈ 0.1 (see the test above): k_B T·0.1/8 ≈ 2–5 meV per prim
    assert.ok(Math.abs(c.freeEnergy! - freeEnergyPerPrim(ex.lnZ, c.T, 8)) < 0.01, `F(${c.T}) ${c.freeEnergy} vs ${freeEnergyPerPrim(ex.lnZ, c.T, 8)}`);
    assert.ok(Math.abs(c.energy!.mean - ex.energy) < 0.01, `E(${c.T}) ${c.energy!.mean} vs ${ex.energy}`);
    assert.ok(c.acceptance > 0 && c.acceptance <= 1);
  }
});
