/**
 * Processors against the model's own feature path: after every random move (flips, swaps,
 * multi-site exchanges) the running energy (sum of local deltas) equals E = N_prim·(Π·J +
 * J_ewald·E_ewald/N_prim) recomputed from scratch with CorrelationEvaluator.correlations and
 * EwaldTerm (code the processors do not use for deltas), on cells small enough that cluster
 * images fold onto themselves and on a multicomponent lmo_drx cell.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Mat3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { buildProcessor } from '../../src/mc/processor.ts';
import { Layout, McState } from '../../src/mc/state.ts';
import { FlipMoves, SwapMoves } from '../../src/mc/moves.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { CorrelationEvaluator } from '../../src/space/correlation.ts';
import { parseCutoffs } from '../../src/space/cutoffs.ts';
import { EwaldTerm } from '../../src/space/ewald.ts';
import { structureFromPymatgen } from '../../src/structure/io/pymatgen.ts';
import { supercellSites } from '../../src/structure/supercell.ts';
import { DATA_DIR } from '../data-dir.ts';
import { lnoModel } from './helpers.ts';

function reference(model: ClusterExpansion, sc: Mat3): (codes: Int32Array) => number {
  const ev = new CorrelationEvaluator(model.space, sc);
  const ew = model.space.ewald ? EwaldTerm.build(model.space.prim, sc, supercellSites(model.space.prim, sc)) : null;
  return (codes) => {
    const f = new Float64Array(model.space.nFeatures);
    f.set(ev.correlations(codes));
    if (ew) f[model.space.ewaldIndex] = ew.valuePerPrim(codes);
    return model.predictOne(f) * ev.nPrims;
  };
}

function randomCodes(layout: Layout, rng: Rng): Int32Array {
  const c = new Int32Array(layout.nSites);
  for (const s of layout.sublattices) for (const i of s.sites) c[i] = rng.int(s.species.length);
  return c;
}

function checkDrift(model: ClusterExpansion, sc: Mat3, moves: 'flip' | 'swap' | 'multi', n: number): number {
  const layout = new Layout(model.space, sc);
  const { processor } = buildProcessor(model, sc, { ewald: model.space.ewald });
  const rng = new Rng(11);
  const state = new McState(layout, processor, randomCodes(layout, rng));
  const ref = reference(model, sc);
  const flip = new FlipMoves(layout, new Float64Array(layout.species.length));
  const swap = new SwapMoves(layout);
  let worst = Math.abs(state.energy - ref(state.codes));
  for (let k = 0; k < n; k++) {
    if (moves === 'multi') {
      // up to 5 distinct random sites to random codes in one move
      const m = 1 + rng.int(Math.min(5, layout.activeSites.length));
      const used = new Set<number>();
      state.moveLength = 0;
      while (state.moveLength < m) {
        const i = layout.activeSites[rng.int(layout.activeSites.length)]!;
        if (used.has(i)) continue;
        used.add(i);
        state.moveSites[state.moveLength] = i;
        state.moveNext[state.moveLength++] = rng.int(layout.sublattices[layout.subOf[i]!]!.species.length);
      }
    } else if (!(moves === 'flip' ? flip : swap).propose(state, rng)) continue;
    const dE = state.moveDelta();
    const before = Int32Array.from(state.codes);
    const e0 = state.energy;
    state.accept(dE);
    const exact = ref(state.codes);
    worst = Math.max(worst, Math.abs(state.energy - exact));
    // the delta left the occupancy untouched until accept
    assert.ok(Math.abs(exact - (ref(before) + dE)) < 1e-8 * Math.max(1, Math.abs(e0)));
  }
  return worst;
}

test('lno 2×2×2 with Ewald: running energy = from-scratch energy after flips, swaps and 5-site moves', () => {
  const model = lnoModel();
  const sc: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 2]];
  for (const kind of ['flip', 'swap', 'multi'] as const) {
    const worst = checkDrift(model, sc, kind, 300);
    assert.ok(worst < 1e-8, `${kind}: |E_running − E_exact| = ${worst}`);
  }
});

test('lno in a skewed 1×1×2-type cell (images fold onto themselves): local deltas stay exact', () => {
  const model = lnoModel();
  const sc: Mat3 = [[1, 1, 0], [0, 1, 0], [0, 0, 2]];
  const worst = checkDrift(model, sc, 'multi', 300);
  assert.ok(worst < 1e-8, `|E_running − E_exact| = ${worst}`);
});

test('lmo_drx (3- and 5-species sublattices, pairs/triplets/quadruplets) with random ECIs: exact deltas', () => {
  const prim = structureFromPymatgen(JSON.parse(readFileSync(`${DATA_DIR}/lmo_drx/prim.json`, 'utf8')));
  const space = ClusterSpace.build(prim, parseCutoffs('2:4,3:3,4:2'), { ewald: true });
  const rng = new Rng(3);
  const eci = Array.from({ length: space.nFeatures }, (_, j) => (j % 3 === 1 ? 0 : 0.05 * rng.normal()));
  const model = new ClusterExpansion(space, eci, { method: 'hand', params: {}, intercept: 0 });
  const sc: Mat3 = [[2, 0, 0], [0, 2, 0], [0, 0, 1]];
  for (const kind of ['flip', 'multi'] as const) {
    const worst = checkDrift(model, sc, kind, 200);
    assert.ok(worst < 1e-8, `${kind}: |E_running − E_exact| = ${worst}`);
  }
});
