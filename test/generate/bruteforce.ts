/** Exhaustive reference for the ground-state tests: every labeling of the active sites. */
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import type { Mat3 } from '../../src/core/mat3.ts';
import { GroundStateProblem, type ProblemOptions } from '../../src/generate/groundstate-problem.ts';

export interface BruteForce {
  /** Minimum of energy − Σμn/N (eV per prim) over feasible labelings, and how many were feasible. */
  objective: number;
  energy: number;
  feasible: number;
  total: number;
}

export function bruteForce(ce: ClusterExpansion, sc: Mat3, opts: ProblemOptions = {}): BruteForce {
  const p = new GroundStateProblem(ce, sc, opts);
  const active: number[] = [];
  for (let i = 0; i < p.nSites; i++) if (p.species[i]!.length > 1) active.push(i);
  const codes = new Int32Array(p.nSites);
  let best = Infinity, bestE = NaN, feasible = 0, total = 0;
  for (;;) {
    total++;
    if (p.feasible(codes)) {
      feasible++;
      const e = p.energy(codes);
      const obj = e + p.muTerm(codes) / p.nPrims;
      if (obj < best) { best = obj; bestE = e; }
    }
    // odometer over the active sites
    let k = 0;
    for (; k < active.length; k++) {
      const i = active[k]!;
      if (++codes[i]! < p.species[i]!.length) break;
      codes[i] = 0;
    }
    if (k === active.length) break;
  }
  return { objective: best, energy: bestE, feasible, total };
}
