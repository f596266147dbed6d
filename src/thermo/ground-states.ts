/**
 * Which ground states a model keeps (seed 000 Fig. 5a): hulls of the reference (DFT) and the
 * model (CE) energies over the same structures, compared vertex by vertex.
 *  - matched: a ground state in both;
 *  - missing: a DFT ground state the CE does not put on its hull;
 *  - spurious: on the CE hull but not a DFT ground state.
 * Identity is by structure (index), so a different structure of the same composition taking
 * over the CE hull shows up as one missing and one spurious ground state.
 */
import { InputError } from '../core/errors.ts';
import { type HullOptions, type HullPoint, type HullResult, lowerHull } from './hull.ts';

export interface GroundStateComparison {
  matched: number[];
  missing: number[];
  spurious: number[];
  dftHull: HullResult;
  ceHull: HullResult;
}

/**
 * `points` carry compositions (and ids); `dftEnergy` and `ceEnergy` are the two energies per
 * point in the hull's normalization (e.g. eV/atom or formation energy per site).
 */
export function compareGroundStates(points: Array<Pick<HullPoint, 'x' | 'id'>>, dftEnergy: ArrayLike<number>, ceEnergy: ArrayLike<number>, opts: HullOptions = {}): GroundStateComparison {
  if (dftEnergy.length !== points.length || ceEnergy.length !== points.length) {
    throw new InputError(`got ${points.length} compositions, ${dftEnergy.length} DFT and ${ceEnergy.length} CE energies`);
  }
  const mk = (e: ArrayLike<number>): HullPoint[] => points.map((p, i) => ({ x: p.x, e: e[i]!, ...(p.id !== undefined ? { id: p.id } : {}) }));
  const dftHull = lowerHull(mk(dftEnergy), opts);
  const ceHull = lowerHull(mk(ceEnergy), opts);
  const dft = new Set(dftHull.vertices);
  const ce = new Set(ceHull.vertices);
  return {
    matched: dftHull.vertices.filter((i) => ce.has(i)),
    missing: dftHull.vertices.filter((i) => !ce.has(i)),
    spurious: ceHull.vertices.filter((i) => !dft.has(i)),
    dftHull,
    ceHull,
  };
}
