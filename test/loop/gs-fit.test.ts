/**
 * The ground-state-preserving refit keeps the training set's DFT hull: after it, the model's
 * hull over the training rows has exactly the DFT vertices (compareGroundStates, an independent
 * hull comparison) where the plain lasso at the same α misses or adds some — on a binary fcc
 * Ag/Pd set and on a ternary Ag/Pd/vacancy set, where energies per atom differ from energies
 * per prim cell (the rows carry 1/atoms and the intercept).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareMethod } from '../../src/fit/registry.ts';
import { enumeratedCandidates } from '../../src/loop/candidates.ts';
import { fitMember, predictMember } from '../../src/loop/ensemble.ts';
import { cvGatedPreservingFit, groundStatePreservingFit } from '../../src/loop/gs-fit.ts';
import { makeSplits } from '../../src/fit/selection/splits.ts';
import { groundStateScore, hullFrame, representatives } from '../../src/loop/hull-distance.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';
import { smallModel, trainingFrom } from './helpers.ts';

await prepareMethod('constrained');

/** perAtom: an energy per atom added to the model's (a cohesive energy, so a vacancy costs energy and per-atom and per-prim differ). */
function check(model: ClusterExpansion, sizes: number[], noise: number, alpha: number, perAtom = 0): void {
  // the empty cell (all vacancies) has no composition
  const ts = trainingFrom(model, enumeratedCandidates(model, { sizes }).filter((c) => c.occupancy.some((k) => k !== 'Vacancy')), noise, 3);
  for (const r of ts.rows) r.energyTotal += perAtom * r.occupancy.filter((k) => k !== 'Vacancy').length;
  const frame = hullFrame(ts.rows);
  const rows = Array.from({ length: ts.nRows }, (_, i) => i);
  const reps = representatives(ts.X, ts.energy);
  const plain = groundStateScore(frame, reps, ts.energy, predictMember(fitMember({ method: 'lasso', params: { alpha } }, ts.X, ts.energy), ts.X));
  assert.ok(plain.missing.length + plain.spurious.length > 0, 'the plain lasso does not already reproduce the hull (else the test shows nothing)');
  const kept = groundStatePreservingFit(frame, rows, ts.X, ts.energy, alpha);
  assert.ok(kept, 'the rows are feasible');
  const s = groundStateScore(frame, reps, ts.energy, predictMember(kept, ts.X));
  assert.deepEqual(s.missing, []);
  assert.deepEqual(s.spurious, []);
  assert.equal(s.matched.length, s.dft.length);
}

test('binary fcc Ag/Pd: the preserving lasso reproduces every DFT ground state, none spurious', () => {
  check(smallModel({ 2: 7, 3: 4.2 }), [1, 2, 3, 4], 0.005, 1e-3);
});

test('ternary Ag/Pd/vacancy (per-atom hull, per-prim fit, intercept in the rows): every DFT ground state, none spurious', () => {
  const h = 4.09 / 2;
  const prim = new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [{ frac: [0, 0, 0], species: ['Ag', 'Pd', 'Vacancy'].map((k) => ({ species: Species.parse(k), occu: 1 / 3 })) }]);
  const space = ClusterSpace.build(prim, cutoffsFromObject({ 2: 6, 3: 4.2 }), { basis: 'sinusoid', ewald: false });
  const eci = Float64Array.from({ length: space.nFeatures }, (_, j) => [0, 0.3, -0.2, 0.08, 0.05, -0.03][j] ?? 0.01);
  check(new ClusterExpansion(space, eci, { method: 'ridge', params: { alpha: 1e-8 }, intercept: 0 }), [1, 2, 3, 4], 0.001, 1e-3, -3);
});

test('CV gate (one-SE rule), hand cases: a perfect plain CV (zero residuals, SE 0) rejects the preserving fit; a hopeless one (1 eV residuals) accepts it, equal to the ungated fit', () => {
  const model = smallModel({ 2: 7, 3: 4.2 });
  const ts = trainingFrom(model, enumeratedCandidates(model, { sizes: [1, 2, 3, 4] }), 0.001, 3);
  const frame = hullFrame(ts.rows);
  const rows = Array.from({ length: ts.nRows }, (_, i) => i);
  const splits = makeSplits(ts.nRows, { kind: 'kfold', k: 5 }, 0);
  assert.equal(cvGatedPreservingFit(frame, rows, ts.X, ts.energy, 1e-3, splits, new Float64Array(ts.nRows)), null);
  const accepted = cvGatedPreservingFit(frame, rows, ts.X, ts.energy, 1e-3, splits, new Float64Array(ts.nRows).fill(1));
  const direct = groundStatePreservingFit(frame, rows, ts.X, ts.energy, 1e-3);
  assert.ok(accepted && direct);
  assert.deepEqual(Array.from(accepted.coef), Array.from(direct.coef));
  assert.equal(accepted.intercept, direct.intercept);
});
