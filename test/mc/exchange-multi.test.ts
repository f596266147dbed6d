/**
 * Table exchanges on a multi-sublattice ionic space: lmo_drx (tetrahedral {Li+, Mn2+, Vac} ×2,
 * octahedral {Li+, Mn2+, Mn3+, Mn4+, Vac}) in a 2-prim cell with random ECIs and an Ewald term.
 * The null space has 5 basis directions (completed with their short combinations), some moving two atoms of one slot (|u_s| = 2) and touching both
 * sublattices, so every combinatorial factor of the acceptance is exercised. Checks: every
 * visited state is neutral; at infinite temperature the walk visits all 102 neutral states
 * (table + swaps connect them); energy and Li content at 2 T × 2 μ agree with enumeration of the
 * neutral states within 4 standard errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Mat3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { exchangeTable } from '../../src/mc/exchange-table.ts';
import { totalCharge } from '../../src/mc/init.ts';
import { TableExchangeMoves } from '../../src/mc/moves.ts';
import { buildProcessor } from '../../src/mc/processor.ts';
import { runMonteCarlo } from '../../src/mc/run.ts';
import { Layout, McState } from '../../src/mc/state.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { DATA_DIR } from '../data-dir.ts';
import { enumerate, exactAverages, slotStats, within4 } from './helpers.ts';

const prim = structureFromPymatgen(JSON.parse(readFileSync(`${DATA_DIR}/lmo_drx/prim.json`, 'utf8')));
const space = ClusterSpace.build(prim, parseCutoffs('2:4,3:3'), { ewald: true });
const rng = new Rng(3);
const model = new ClusterExpansion(space, Array.from({ length: space.nFeatures }, (_, j) => (j === space.nFeatures - 1 ? 0.05 : 0.05 * rng.normal())), { method: 'hand', params: {}, intercept: 0 });
const sc: Mat3 = [[2, 0, 0], [0, 1, 0], [0, 0, 1]];
const layout = new Layout(space, sc);
const neutral = (c: Int32Array) => Math.abs(c.reduce((q, n, k) => q + n * layout.slotCharge[k]!, -2 * layout.nPrims)) < 1e-9;
const en = enumerate(model, layout, neutral);
// a neutral start: Li on every tetrahedral site (+4), Mn4+ on both octahedral sites would give +12; use Li tet ×2, Vac tet ×2, Mn2+ ×1 oct, Vac oct ×1: 2 + 2 = 4 = 2 O2- × 2
const startCodes = (() => {
  const c = new Int32Array(layout.nSites);
  const [tet, oct] = layout.sublattices;
  tet!.sites.forEach((s, k) => (c[s] = k < 2 ? 0 : 2));
  c[oct!.sites[0]!] = 1;
  c[oct!.sites[1]!] = 4;
  return c;
})();

test('lmo_drx table: the 5 basis directions plus their short combinations, each neutral and site-conserving', () => {
  assert.equal(en.energy.length, 102);
  const t = exchangeTable(layout);
  assert.ok(t.rows.length > 5, `${t.rows.length} directions`);
  for (const u of t.rows) {
    assert.equal(u.reduce((q, x, k) => q + x * layout.slotCharge[k]!, 0), 0);
    for (const s of layout.sublattices) assert.equal(u.slice(s.slot0, s.slot0 + s.species.length).reduce((a, b) => a + b, 0), 0);
  }
  assert.equal(totalCharge(layout, startCodes), 0);
});

test('at infinite temperature table exchanges + swaps visit all 102 neutral states, all neutral', () => {
  const { processor } = buildProcessor(model, sc);
  const state = new McState(layout, processor, startCodes);
  const moves = new TableExchangeMoves(layout, exchangeTable(layout), new Float64Array(layout.species.length), 0.3);
  const r = new Rng(8);
  const seen = new Set<string>();
  for (let s = 0; s < 200000; s++) {
    if (moves.propose(state, r)) {
      const dE = state.moveDelta();
      if (moves.logBias >= 0 || r.next() < Math.exp(moves.logBias)) state.accept(dE);
    }
    seen.add(state.codes.join(''));
  }
  assert.equal(seen.size, 102);
  for (const k of seen) assert.equal(totalCharge(layout, Int32Array.from(k, Number)), 0);
  assert.ok(Math.abs(state.energy - processor.energy(state.codes)) < 1e-8);
});

test('charge-neutral lmo_drx: E and Li content at 2 T × 2 μ within 4 standard errors of enumeration', async () => {
  const Ts = [3000, 8000];
  const mus: Record<string, number>[] = [{ 'Li+': 0.2, 'Mn4+': -0.1 }, { 'Li+': -0.3, 'Mn2+': 0.2 }];
  const res = await runMonteCarlo(model, { supercell: sc, ensemble: 'charge-neutral', T: Ts, mu: mus, steps: 200000, warmup: 5000, thin: 6, seed: 2, init: { codes: startCodes } });
  const li = layout.slotSpecies.map((s, k) => (s === 'Li+' ? k : -1)).filter((k) => k >= 0);
  res.summary.conditions.forEach((c, k) => {
    const muSlot = Float64Array.from(layout.slotSpecies, (s) => (c.mu as Record<string, number>)[s] ?? 0);
    const ex = exactAverages(en, c.T, layout.nPrims, muSlot);
    within4(c.energy!.mean, c.energy!.stderr, ex.energy, `E at T=${c.T} μ=${JSON.stringify(c.mu)}`);
    const exLi = li.reduce((s, q) => s + ex.counts[q]!, 0);
    const mcLi = slotStats(res.details[k]!, c.equilibrationSteps, li);
    within4(mcLi.mean, mcLi.stderr, exLi, `N_Li at T=${c.T} μ=${JSON.stringify(c.mu)}`);
  });
});
