import { test } from 'node:test';
import assert from 'node:assert/strict';
import { det3, type Mat3 } from '../../src/core/mat3.ts';
import { check } from './bruteforce.ts';
import { I3, diag, fccModel, lnoModel } from './groundstate-helpers.ts';

const FCC_CELLS: Mat3[] = [
  I3, diag(2, 1, 1), [[1, 0, 0], [0, 1, 0], [1, 1, 2]], diag(3, 1, 1), [[1, 0, 0], [1, 3, 0], [0, 0, 1]],
  diag(2, 2, 1), [[-1, 1, 1], [1, -1, 1], [1, 1, -1]], [[1, 1, 0], [0, 1, 1], [1, 0, 2]], diag(5, 1, 1),
  diag(2, 3, 1), [[2, 0, 0], [0, 2, 0], [1, 1, 2]], diag(2, 2, 2), [[1, 2, 0], [0, 3, 0], [1, 0, 3]], diag(10, 1, 1),
];
const LNO_CELLS: Mat3[] = [
  I3, diag(2, 1, 1), diag(1, 1, 2), [[1, 1, 0], [0, 1, 1], [1, 0, 2]], diag(2, 2, 1), [[1, 1, 0], [0, 1, 1], [1, 0, 1]],
  diag(5, 1, 1), [[2, 0, 0], [0, 1, 0], [0, 1, 2]],
];

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
