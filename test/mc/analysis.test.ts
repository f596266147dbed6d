/**
 * Observers and analysis against hand derivations: AR(1) series with known integrated
 * autocorrelation time τ = (1 + ρ) / (2(1 − ρ)); MSER-5 finds a planted transient; the Ising
 * mapping (pair ECI −2J ⇒ E/site = −2J ferromagnet, +2J checkerboard); Warren–Cowley α = ±1
 * on the checkerboard.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.ts';
import { integratedAutocorrTime, mserTruncation, seriesStats } from '../../src/mc/analysis.ts';
import { SroObserver } from '../../src/mc/observers.ts';
import { buildProcessor } from '../../src/mc/processor.ts';
import { Layout, McState } from '../../src/mc/state.ts';
import { isingModel } from './helpers.ts';

function ar1(n: number, rho: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = rho * x[i - 1]! + rng.normal();
  return x;
}

test('integrated autocorrelation time of AR(1) matches (1+ρ)/(2(1−ρ)); stderr of white noise is σ/√n', () => {
  for (const rho of [0, 0.5, 0.9]) {
    const exact = (1 + rho) / (2 * (1 - rho));
    const taus = [1, 2, 3, 4].map((s) => integratedAutocorrTime(ar1(200000, rho, s)).tau);
    const m = taus.reduce((a, b) => a + b, 0) / taus.length;
    assert.ok(Math.abs(m - exact) / exact < 0.05, `ρ=${rho}: τ ${m} vs ${exact}`);
  }
  const st = seriesStats(ar1(100000, 0, 9));
  assert.ok(Math.abs(st.stderr / (st.std / Math.sqrt(100000)) - 1) < 0.05);
});

test('MSER-5 cuts a planted exponential transient and keeps the stationary part', () => {
  const x = ar1(20000, 0.5, 5);
  for (let i = 0; i < x.length; i++) x[i]! += 50 * Math.exp(-i / 300);
  const d = mserTruncation(x);
  // the transient is below the noise (σ ≈ 1.15) after ≈ 300·ln(50/0.1) ≈ 1,860 samples
  assert.ok(d > 1000 && d < 4000, `cut ${d}`);
  assert.equal(mserTruncation(ar1(20000, 0.5, 6)) < 2000, true);
});

test('Ising CE: pair ECI −2J gives E/site = −2J (ferro) and +2J (checkerboard); Warren–Cowley α = ±1', () => {
  const J = 0.01;
  const model = isingModel(J);
  const L = 4;
  const sc: [[number, number, number], [number, number, number], [number, number, number]] = [[L, 0, 0], [0, L, 0], [0, 0, 1]];
  const layout = new Layout(model.space, sc);
  const { processor } = buildProcessor(model, sc);
  const ferro = new McState(layout, processor, new Int32Array(L * L));
  assert.ok(Math.abs(ferro.energyPerPrim - -2 * J) < 1e-12);
  // supercell sites are ordered by integer offset (x, then y): site index = x·L + y
  const check = Int32Array.from({ length: L * L }, (_, i) => (Math.floor(i / L) + (i % L)) % 2);
  const st = new McState(layout, processor, check);
  assert.ok(Math.abs(st.energyPerPrim - 2 * J) < 1e-12);
  const sro = new SroObserver(model.space, sc, 2, (s, c) => layout.slotOf(s, c), layout.nSlots);
  sro.observe(st);
  const a = sro.alpha(layout.slotSpecies, new Int32Array(layout.nSlots));
  const get = (f: string, t: string) => a.find((x) => x.from === f && x.to === t)!.alpha;
  assert.ok(Math.abs(get('Cu', 'Cu') - 1) < 1e-12 && Math.abs(get('Au', 'Au') - 1) < 1e-12);
  assert.ok(Math.abs(get('Cu', 'Au') + 1) < 1e-12);
});
