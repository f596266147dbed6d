import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, OptionError } from '../../src/core/errors.ts';
import { groundState } from '../../src/generate/groundstate.ts';
import type { Mat3 } from '../../src/core/mat3.ts';
import { Rng } from '../../src/core/rng.ts';
import { GroundStateProblem } from '../../src/generate/groundstate-problem.ts';
import { symmetryBreak, translateToFixed } from '../../src/generate/symmetry-break.ts';
import { countsFromFractions, latticeSpeciesValues } from '../../src/generate/options.ts';
import { parseSupercell } from '../../src/structure/supercell.ts';
import { diag, fccModel, lnoModel } from './groundstate-helpers.ts';

test('supercell option: N means N·I, "a b c" is diagonal, bad shapes and zero volume are refused', () => {
  assert.deepEqual(parseSupercell('3'), diag(3, 3, 3));
  assert.deepEqual(parseSupercell('2 1 1'), diag(2, 1, 1));
  assert.deepEqual(parseSupercell('1 1 0, 0 1 1,1 0 1'), [[1, 1, 0], [0, 1, 1], [1, 0, 1]]);
  // the flat comma forms `celt fce` documents: nine numbers (rows), three (diagonal)
  assert.deepEqual(parseSupercell('-3,3,3,3,-3,3,3,3,-3'), [[-3, 3, 3], [3, -3, 3], [3, 3, -3]]);
  assert.deepEqual(parseSupercell('2,2,1'), diag(2, 2, 1));
  assert.throws(() => parseSupercell('1 2,3'), OptionError);
  for (const [text, re] of [['0', /zero volume/], ['1 0 0,0 1 0,0 0 0', /zero volume/], ['1 1 0,1 1 0,0 0 1', /zero volume/], ['1.5', /integers/], ['1,2', /must be "a b c/], ['x', /integers/]] as const) {
    assert.throws(() => parseSupercell(text), (e: unknown) => e instanceof OptionError && re.test(e.message), text);
  }
});

test('species options: lattice keys, element shorthand when unambiguous, unknown species refused', () => {
  const space = lnoModel().space;
  assert.deepEqual(latticeSpeciesValues('Li=0.5, Ni3+=0.25', space, 'composition'), { 'Li+': 0.5, 'Ni3+': 0.25 });
  assert.throws(() => latticeSpeciesValues('Ni=0.5', space, 'composition'), /not on the lattice/); // Ni3+ or Ni4+?
  assert.throws(() => latticeSpeciesValues('Mn2+=1', space, 'mu'), /not on the lattice/);
  assert.throws(() => latticeSpeciesValues('Li+=abc', space, 'mu'), /not a number/);
  assert.throws(() => latticeSpeciesValues('Li+', space, 'mu'), /SPECIES=value/);
  // 1/2 of 4 Li sites = 2; 1/3 of them is not an integer
  assert.deepEqual(countsFromFractions({ 'Li+': 0.5 }, space, 4), [{ sublattice: 0, species: 'Li+', count: 2 }]);
  assert.throws(() => countsFromFractions({ 'Li+': 1 / 3 }, space, 4), /impossible composition/);
  assert.throws(() => countsFromFractions({ 'Li+': 1.5 }, space, 4), /must lie in \[0, 1\]/);
});

test('groundState refuses impossible compositions, unknown species and infeasible charge balance', async () => {
  const ce = lnoModel();
  const sc = diag(2, 1, 1);
  await assert.rejects(groundState(ce, { scMatrix: sc, counts: [{ sublattice: 0, species: 'Li+', count: 3 }] }), (e: unknown) => e instanceof OptionError && /impossible composition: 3 Li\+ on a sublattice of 2 sites/.test(e.message));
  await assert.rejects(groundState(ce, { scMatrix: sc, counts: [{ sublattice: 0, species: 'Ni3+', count: 1 }] }), /not allowed on sublattice 0/);
  await assert.rejects(groundState(ce, { scMatrix: sc, counts: [{ sublattice: 0, species: 'Li+', count: 1 }, { sublattice: 0, species: 'Vacancy', count: 0 }] }), /add up to 1, it has 2 sites/);
  await assert.rejects(groundState(ce, { scMatrix: sc, mu: { 'Mn2+': 1 } }), /not on the lattice/);
  // 2 Li need 2 Ni3+, but only 0 are allowed: no charge-balanced labeling
  await assert.rejects(groundState(ce, { scMatrix: sc, counts: [{ sublattice: 0, species: 'Li+', count: 2 }, { sublattice: 1, species: 'Ni3+', count: 0 }] }), (e: unknown) => e instanceof InputError && /satisfies charge balance and the requested composition/.test(e.message));
  await assert.rejects(groundState(ce, { scMatrix: [[1, 0, 0], [0, 1, 0], [0, 0, 0]] }), /singular/);
  await assert.rejects(groundState(ce, { scMatrix: sc, timeLimit: -1 }), /time limit must be a positive number/);
});

test('a time-limited MILP is never called optimal: status, proven bound and gap are reported', async () => {
  // fcc 3×3×2 needs several CPU seconds to prove optimality (README table); 0.5 s cannot
  const r = await groundState(fccModel(), { scMatrix: diag(3, 3, 2), timeLimit: 0.5 });
  assert.equal(r.status, 'time-limit');
  // on a loaded machine the root LP may not finish: then there is no bound, and none is claimed
  if (r.lowerBound === null) assert.equal(r.gap, null);
  else assert.ok(r.lowerBound < r.objective - 1e-6 && r.gap !== null && r.gap > 0, `bound ${r.lowerBound} objective ${r.objective}`);
  assert.match(r.note ?? '', /time limit of 0.5 s reached/);
});

test('above the size limit the MILP is refused up front: annealing answer marked heuristic, no bound', async () => {
  const r = await groundState(fccModel(), { scMatrix: diag(2, 2, 2), maxProducts: 10 });
  assert.equal(r.status, 'heuristic');
  assert.equal(r.method, 'anneal');
  assert.equal(r.lowerBound, null);
  assert.equal(r.gap, null);
  assert.match(r.note ?? '', /above the limit of 10/);
});

test('translation symmetry breaking: the translated labeling keeps energy, charge and counts, and holds the fixed species', () => {
  const ce = lnoModel();
  const sc: Mat3 = [[1, 1, 0], [0, 1, 1], [1, 0, 2]];
  const p = new GroundStateProblem(ce, sc, { counts: [{ sublattice: 0, species: 'Li+', count: 1 }] });
  const fix = symmetryBreak(p)!;
  assert.deepEqual(fix, { site: 0, code: 0 }); // first copy of the Li prim site, Li+
  const rng = new Rng(9);
  for (let t = 0; t < 10; t++) {
    // one Li on a random Li site, one Ni3+ on a random Ni site (charge balance)
    const codes = Int32Array.from(p.species, () => 0);
    for (let i = 0; i < p.nSites; i++) if (p.species[i]!.length > 1) codes[i] = 1;
    codes[rng.int(3)] = 0;
    codes[3 + rng.int(3)] = 0;
    assert.ok(p.feasible(codes));
    const moved = translateToFixed(p, codes, fix);
    assert.equal(moved[0], 0);
    assert.ok(p.feasible(moved));
    assert.ok(Math.abs(p.energy(moved) - p.energy(codes)) < 1e-10);
  }
});
