/**
 * A small real cluster expansion for the loop tests: fcc Ag/Pd (a = 4.09 Å), pairs ≤ 4.2 Å and
 * triplets ≤ 3 Å, ECIs chosen by hand; its training set is every ordering of ≤ 4 prim cells with
 * the model's energies plus seeded noise, its candidates every ordering of ≤ 6 prim cells.
 */
import { Rng } from '../../src/core/rng.ts';
import { TrainingSet } from '../../src/data/training-set.ts';
import { type Candidate, enumeratedCandidates } from '../../src/loop/candidates.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { Lattice } from '../../src/structure/lattice.ts';
import { Species } from '../../src/structure/species.ts';
import { Structure } from '../../src/structure/structure.ts';

export function agpdPrim(): Structure {
  const h = 4.09 / 2;
  return new Structure(new Lattice([[0, h, h], [h, 0, h], [h, h, 0]]), [{ frac: [0, 0, 0], species: [{ species: Species.parse('Ag'), occu: 0.5 }, { species: Species.parse('Pd'), occu: 0.5 }] }]);
}

export function smallModel(cutoffs: Record<string, number> = { 2: 4.2, 3: 3 }): ClusterExpansion {
  const space = ClusterSpace.build(agpdPrim(), cutoffsFromObject(cutoffs), { basis: 'sinusoid', ewald: false });
  const eci = Float64Array.from({ length: space.nFeatures }, (_, j) => [-3.9, 0.25, 0.06, 0.015, -0.01, 0.004][j] ?? 0.002);
  return new ClusterExpansion(space, eci, { method: 'ridge', params: { alpha: 1e-8 }, intercept: 0 });
}

/** Training rows from candidates with energies = model + N(0, noise²) per prim. */
export function trainingFrom(model: ClusterExpansion, cands: Candidate[], noise: number, seed = 1): TrainingSet {
  const ts = TrainingSet.forSpace(model.space);
  const rng = new Rng(seed);
  for (const c of cands) {
    const e = model.predictOne(c.features) + noise * rng.normal();
    ts.rows.push({ entry: ts.rows.length, scMatrix: c.scMatrix, occupancy: c.occupancy, nPrims: c.nPrims, energyTotal: e * c.nPrims, features: c.features, weight: 1 });
  }
  return ts;
}

export function loopCase(): { model: ClusterExpansion; ts: TrainingSet; cands: Candidate[] } {
  const model = smallModel();
  const small = enumeratedCandidates(model, { sizes: [1, 2, 3, 4] });
  const cands = enumeratedCandidates(model, { sizes: [1, 2, 3, 4, 5, 6] });
  return { model, ts: trainingFrom(model, small, 0.002), cands };
}
