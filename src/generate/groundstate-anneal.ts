/**
 * Simulated annealing for ground states: the generic annealer (anneal.ts) driven by local
 * energy differences — CorrelationEvaluator.delta for the cluster part, maintained Ewald site
 * potentials for the electrostatic part (O(1) per proposal, O(N) per accepted move) — plus
 * −Σ μ Δn.
 *
 * Moves keep every constraint satisfied, so the annealer never sees an infeasible labeling:
 *  - sites on a sublattice with fixed counts: swap with a site of the same sublattice holding
 *    another species (counts and charge unchanged);
 *  - other sites: flip to another species; if that changes the charge and the model is
 *    charged, a second flip on a free site with the opposite charge change is drawn (up to 32
 *    tries; none found → no move). Charge changes that need three or more flips to undo are
 *    not reachable by these moves; the MILP has no such limit.
 */
import type { Rng } from '../core/rng.ts';
import { type AnnealProblem, type Move, annealLabels } from './anneal.ts';
import type { GroundStateProblem } from './groundstate-problem.ts';

export interface GroundStateAnnealOptions {
  seed?: number;
  /** Proposals per site (default 2000). */
  sweeps?: number;
  timeLimitMs?: number;
}

/** Constraint-keeping moves (see the header). */
function moveProposer(p: GroundStateProblem): (rng: Rng, state: Int32Array) => Move | null {
  const fixedSubs = new Set(p.counts.map((c) => c.sublattice));
  const active: number[] = [];
  for (let i = 0; i < p.nSites; i++) if (p.species[i]!.length > 1) active.push(i);
  const free = active.filter((i) => !fixedSubs.has(p.sublatticeOf[i]!));
  const bySub = new Map<number, number[]>();
  for (const i of active) {
    const s = p.sublatticeOf[i]!;
    if (!bySub.has(s)) bySub.set(s, []);
    bySub.get(s)!.push(i);
  }
  return (rng, state) => {
    if (active.length === 0) return null;
    const i = active[rng.int(active.length)]!;
    const sub = p.sublatticeOf[i]!;
    if (fixedSubs.has(sub)) {
      const peers = bySub.get(sub)!;
      for (let t = 0; t < 32; t++) {
        const j = peers[rng.int(peers.length)]!;
        if (state[j] !== state[i]) return [[i, state[j]!], [j, state[i]!]];
      }
      return null;
    }
    const m = p.species[i]!.length;
    const c = (state[i]! + 1 + rng.int(m - 1)) % m;
    const dq = p.charge[i]![c]! - p.charge[i]![state[i]!]!;
    if (!p.charged || dq === 0) return [[i, c]];
    for (let t = 0; t < 32; t++) {
      const j = free[rng.int(free.length)]!;
      if (j === i) continue;
      const mj = p.species[j]!.length;
      const d = (state[j]! + 1 + rng.int(mj - 1)) % mj;
      if (Math.abs(p.charge[j]![d]! - p.charge[j]![state[j]!]! + dq) < 1e-9) return [[i, c], [j, d]];
    }
    return null;
  };
}

/** Objective change of a move (cluster part from local deltas, Ewald from site potentials, −μΔn) and the potentials' update. */
function energyDelta(p: GroundStateProblem, initial: Int32Array): Pick<AnnealProblem, 'delta' | 'accepted'> {
  const { ce, evaluator, h } = p;
  const N = p.nPrims;
  const eci = ce.eci;
  const nCorr = ce.space.nCorrelations;
  const ew = h.ewald;
  const jEw = ew ? eci[ce.space.ewaldIndex]! : 0;
  const phi = ew && jEw !== 0 ? ew.potentials(ew.chargesOf(initial)) : null;
  const dcorr = new Float64Array(nCorr);
  const changes: [number, number][] = [];
  const moveSites: number[] = [], moveDq: number[] = [];
  const delta = (state: Int32Array, mv: Move): number => {
    changes.length = 0;
    for (const [s, l] of mv) changes.push([s, l]);
    evaluator.delta(state, changes, dcorr);
    let d = 0;
    for (let j = 1; j < nCorr; j++) d += dcorr[j]! * eci[j]!;
    d *= N;
    for (const [s, l] of mv) d += p.muCost[s]![l]! - p.muCost[s]![state[s]!]!;
    if (phi && ew) {
      mv.forEach(([s, l], a) => {
        moveSites[a] = s;
        moveDq[a] = p.charge[s]![l]! - p.charge[s]![state[s]!]!;
      });
      d += jEw * ew.deltaWithPotentials(moveSites, moveDq, mv.length, phi);
    }
    return d;
  };

  // potentials follow the charges; the old charge is gone from state, so use the move's labels
  const chargeNow = Float64Array.from(initial, (c, i) => p.charge[i]![c]!);
  const accepted = (state: Int32Array, mv: Move): void => {
    for (const [s] of mv) {
      const q = p.charge[s]![state[s]!]!;
      if (phi && ew) ew.updatePotentials(phi, s, q - chargeNow[s]!);
      chargeNow[s] = q;
    }
  };
  return { delta, accepted };
}

/** The annealer's view of a ground-state problem (exported for the delta tests). */
export function annealProblem(p: GroundStateProblem, initial: Int32Array): AnnealProblem {
  return { initial, propose: moveProposer(p), ...energyDelta(p, initial) };
}

/** Anneal from a feasible labeling; returns the best labeling found (feasible by construction). */
export function annealGroundState(p: GroundStateProblem, initial: Int32Array, opts: GroundStateAnnealOptions = {}): Int32Array {
  const sweeps = opts.sweeps ?? 2000;
  const res = annealLabels(annealProblem(p, initial), { seed: opts.seed ?? 0, steps: Math.max(1, Math.round(sweeps * p.nSites)), ...(opts.timeLimitMs !== undefined ? { timeLimitMs: opts.timeLimitMs } : {}) });
  return res.best;
}
