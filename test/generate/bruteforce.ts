/** Exhaustive reference for the ground-state tests: every labeling of the active sites. */
import type { ClusterExpansion } from '../../src/model/cluster-expansion.ts';
import type { Mat3 } from '../../src/core/mat3.ts';
import assert from 'node:assert/strict';
import { groundState } from '../../src/generate/groundstate.ts';
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

/** MILP objective equals the minimum over every labeling; status optimal with a ~zero proven gap. */
export async function check(ce: ClusterExpansion, sc: Mat3, opts: ProblemOptions, what: string): Promise<void> {
  const ref = bruteForce(ce, sc, opts);
  // μ and fixed-composition runs skip the annealing warm start, so the MILP alone must find the optimum
  // fixed-composition runs also switch on translation symmetry breaking, so it is checked too
  const r = await groundState(ce, { scMatrix: sc, ...opts, timeLimit: 30, ...(opts.mu || opts.counts ? { annealSweeps: 0 } : {}), ...(opts.counts ? { symmetryBreak: true } : {}) });
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

