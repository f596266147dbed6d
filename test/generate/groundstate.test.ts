import { test } from 'node:test';
import assert from 'node:assert/strict';
import { det3, type Mat3 } from '../../src/core/mat3.ts';
import { groundState } from '../../src/generate/groundstate.ts';
import { GroundStateProblem, type ProblemOptions } from '../../src/generate/groundstate-problem.ts';
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { bruteForce } from './bruteforce.ts';
import { I3, diag, fccModel, lnoModel } from './helpers.ts';

const FCC_CELLS: Mat3[] = [
  I3, diag(2, 1, 1), [[1, 0, 0], [0, 1, 0], [1, 1, 2]], diag(3, 1, 1), [[1, 0, 0], [1, 3, 0], [0, 0, 1]],
  diag(2, 2, 1), [[-1, 1, 1], [1, -1, 1], [1, 1, -1]], [[1, 1, 0], [0, 1, 1], [1, 0, 2]], diag(5, 1, 1),
  diag(2, 3, 1), [[2, 0, 0], [0, 2, 0], [1, 1, 2]], diag(2, 2, 2), [[1, 2, 0], [0, 3, 0], [1, 0, 3]], diag(10, 1, 1),
];
const LNO_CELLS: Mat3[] = [
  I3, diag(2, 1, 1), diag(1, 1, 2), [[1, 1, 0], [0, 1, 1], [1, 0, 2]], diag(2, 2, 1), [[1, 1, 0], [0, 1, 1], [1, 0, 1]],
  diag(5, 1, 1), [[2, 0, 0], [0, 1, 0], [0, 1, 2]],
];

/** MILP objective equals the minimum over every labeling; status optimal with a ~zero proven gap. */
async function check(ce: ClusterExpansion, sc: Mat3, opts: ProblemOptions, what: string): Promise<void> {
  const ref = bruteForce(ce, sc, opts);
  // μ and fixed-composition runs skip the annealing warm start, so the MILP alone must find the optimum
  const r = await groundState(ce, { scMatrix: sc, ...opts, timeLimit: 30, ...(opts.mu || opts.counts ? { annealSweeps: 0 } : {}) });
  const tag = `${what} ${JSON.stringify(sc)} ${JSON.stringify(opts)}`;
  assert.equal(r.status, 'optimal', tag);
  assert.ok(Math.abs(r.objective - ref.objective) < 1e-9, `${tag}: MILP ${r.objective} vs enumeration ${ref.objective} (${ref.feasible} feasible labelings)`);
  assert.ok(r.lowerBound !== null && r.lowerBound <= r.objective + 1e-9 && r.objective - r.lowerBound < 1e-8, `${tag}: bound ${r.lowerBound}`);
  // the returned labeling meets the constraints and has that energy on a fresh evaluation
  const p = new GroundStateProblem(ce, sc, opts);
  assert.ok(p.feasible(r.codes), tag);
  assert.ok(Math.abs(p.energy(r.codes) - r.energy) < 1e-12, tag);
  assert.equal(r.structure.sites.length, r.occupancy.filter((k) => k !== 'Vacancy').length);
  if (opts.counts) for (const c of opts.counts) assert.equal(r.composition[c.species], c.count, tag);
}

test('sizes of the test cells: 14 fcc (1–10 sites) and 8 lno (1–5 prims) supercells', () => {
  assert.deepEqual(FCC_CELLS.map((m) => Math.abs(Math.round(det3(m)))), [1, 2, 2, 3, 3, 4, 4, 3, 5, 6, 8, 8, 9, 10]);
  assert.deepEqual(LNO_CELLS.map((m) => Math.abs(Math.round(det3(m)))), [1, 2, 2, 3, 4, 2, 5, 4]);
});

test('fcc binary, pairs + triplet: MILP = enumeration (free, μ, fixed composition) on 14 cells', async () => {
  const ce = fccModel();
  for (const sc of FCC_CELLS) {
    const n = Math.abs(Math.round(det3(sc)));
    await check(ce, sc, {}, 'fcc free');
    await check(ce, sc, { mu: { Au: 0.1, Cu: 0.02 } }, 'fcc μ');
    if (n >= 2) await check(ce, sc, { counts: [{ sublattice: 0, species: 'Au', count: Math.floor(n / 3) + 1 }] }, 'fcc fixed');
  }
});

test('lno (Li/vacancy + Ni3+/Ni4+ + O2-, Ewald, charge balance): MILP = enumeration (free, μ, fixed composition) on 8 cells', async () => {
  const ce = lnoModel();
  for (const sc of LNO_CELLS) {
    const n = Math.abs(Math.round(det3(sc)));
    await check(ce, sc, {}, 'lno free');
    await check(ce, sc, { mu: { 'Li+': 2 } }, 'lno μ');
    await check(ce, sc, { counts: [{ sublattice: 0, species: 'Li+', count: Math.ceil(n / 2) }] }, 'lno fixed');
  }
});
