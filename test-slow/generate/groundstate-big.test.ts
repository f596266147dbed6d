/**
 * Slow check (not part of `npm test`): on cells far too big to enumerate, the MILP (60 s limit)
 * is never worse than simulated annealing from 10 seeds. Run:
 *   node --import tsx --test test-slow/generate/groundstate-big.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Mat3 } from '../../src/core/mat3.ts';
import { groundState } from '../../src/generate/groundstate.ts';
import type { ProblemOptions } from '../../src/generate/groundstate-problem.ts';
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { diag, fccModel, lnoModel } from '../../test/generate/groundstate-helpers.ts';

const cases: Array<[string, () => ClusterExpansion, Mat3, ProblemOptions]> = [
  ['lno 3×2×2, Li 6 of 12 (853,776 charge-balanced labelings)', lnoModel, diag(3, 2, 2), { counts: [{ sublattice: 0, species: 'Li+', count: 6 }] }],
  ['lno 2×2×2, μ(Li+) = 2 eV', lnoModel, diag(2, 2, 2), { mu: { 'Li+': 2 } }],
  ['fcc 3×3×3 (27 sites), μ(Au) = 0.05 eV', fccModel, diag(3, 3, 3), { mu: { Au: 0.05 } }],
  ['fcc 4×4×2 (32 sites), 12 Au', fccModel, diag(4, 4, 2), { counts: [{ sublattice: 0, species: 'Au', count: 12 }] }],
];

for (const [name, model, sc, opts] of cases) {
  test(`${name}: MILP ≤ best of 10 annealing seeds`, async () => {
    const ce = model();
    const milp = await groundState(ce, { scMatrix: sc, ...opts, timeLimit: 60 });
    let sa = Infinity;
    for (let seed = 1; seed <= 10; seed++) sa = Math.min(sa, (await groundState(ce, { scMatrix: sc, ...opts, maxProducts: 0, annealRuns: 1, annealSweeps: 2000, seed })).objective);
    console.log(`${name}: MILP ${milp.objective} (${milp.status}, gap ${milp.gap}, ${milp.seconds.toFixed(1)} s), SA best of 10 ${sa}`);
    assert.ok(milp.objective <= sa + 1e-9, `MILP ${milp.objective} vs SA ${sa}`);
  });
}
