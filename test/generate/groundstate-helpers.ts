/** Models for the ground-state tests: hand-chosen ECIs on real cluster spaces (the references are brute force). */
import { join } from 'node:path';
import type { Mat3 } from '../../src/core/mat3.ts';
import { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import { ClusterSpace } from '../../src/space/cluster-space.ts';
import { cutoffsFromObject } from '../../src/space/cutoffs.ts';
import { readStructureFile } from '../../src/structure/io/read.ts';
import { DATA_DIR } from '../data-dir.ts';
import { fccBinary } from '../space/helpers.ts';

/** Binary fcc (a = 4 Å), pairs to 4.1 Å (1st, 2nd NN) and NN triplets; ECIs chosen to frustrate. */
export function fccModel(eci?: number[]): ClusterExpansion {
  const space = ClusterSpace.build(fccBinary(4), cutoffsFromObject({ 2: 4.1, 3: 2.9 }));
  const j = eci ?? [-1.0, 0.05, 0.12, 0.035, 0.02];
  const coef = space.featureNames.map((_, k) => j[k] ?? 0);
  return new ClusterExpansion(space, coef, { method: 'hand', params: {}, intercept: 0 });
}

/** data/lno (Li/vacancy, Ni3+/Ni4+, O2-) with pairs to 4 Å, triplets to 3 Å and the Ewald term. */
export function lnoModel(ewaldEci = 0.15): ClusterExpansion {
  const prim = readStructureFile(join(DATA_DIR, 'lno/prim.json'));
  const space = ClusterSpace.build(prim, cutoffsFromObject({ 2: 4, 3: 3 }), { ewald: true });
  const coef = new Float64Array(space.nFeatures);
  // a smooth hand-made spectrum: point terms, decaying pairs and triplets
  for (let k = 0; k < space.nCorrelations; k++) coef[k] = k === 0 ? -20 : (k % 3 === 0 ? -1 : 1) * 0.3 / (1 + 0.5 * k);
  coef[space.ewaldIndex] = ewaldEci;
  return new ClusterExpansion(space, coef, { method: 'hand', params: {}, intercept: 0 });
}

export const I3: Mat3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
export function diag(a: number, b: number, c: number): Mat3 {
  return [[a, 0, 0], [0, b, 0], [0, 0, c]];
}

/** data/lmo_drx (tet {Li+, Mn2+, vacancy} ×2, oct {Li+, Mn2+, Mn3+, Mn4+, vacancy}, O2-): seeded random ECIs + Ewald. */
export function lmoModel(seed = 11): ClusterExpansion {
  const prim = readStructureFile(join(DATA_DIR, 'lmo_drx/prim.json'));
  const space = ClusterSpace.build(prim, cutoffsFromObject({ 2: 3.5, 3: 3 }), { ewald: true });
  let s = seed >>> 0;
  // a tiny LCG keeps this helper free of the code under test's RNG
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  const coef = Float64Array.from({ length: space.nFeatures }, (_, k) => (k === 0 ? -30 : 0.4 * next()));
  coef[space.ewaldIndex] = 0.1;
  return new ClusterExpansion(space, coef, { method: 'random', params: {}, intercept: 0 });
}
