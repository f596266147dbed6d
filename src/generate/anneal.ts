/**
 * Simulated annealing over labelings (one integer label per site), generic: the caller
 * supplies a move proposer and the objective change of a move, so the same loop serves
 * ground-state search (energy − μ·n) and any other labeling objective.
 *
 * Schedule: geometric cooling from T0 to T1 over `steps` proposals, Metropolis acceptance
 * min(1, exp(−Δ/T)). T0 defaults to the mean |Δ| of a sample of proposals (so about a third
 * of uphill moves are accepted at the start), T1 to T0/1000. The best labeling seen is kept,
 * tracked through the accumulated deltas (the caller recomputes its objective from scratch).
 * Deterministic: every random choice comes from the seeded Rng.
 */
import { OptionError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';

/** A move: sites and the labels they take. */
export type Move = Array<[site: number, label: number]>;

export interface AnnealProblem {
  /** Starting labeling (copied). */
  initial: ArrayLike<number>;
  /** A random move from `state`, or null when none is possible (e.g. all sites alike). */
  propose(rng: Rng, state: Int32Array): Move | null;
  /** Objective change if `move` is applied to `state` (state must not be modified). */
  delta(state: Int32Array, move: Move): number;
  /** Called after `state` has been updated by an accepted move (for caches such as site potentials). */
  accepted?(state: Int32Array, move: Move, delta: number): void;
}

export interface AnnealOptions {
  seed?: number;
  steps: number;
  t0?: number;
  t1?: number;
  /** Stop early when this many milliseconds have passed. */
  timeLimitMs?: number;
}

export interface LabelAnnealResult {
  best: Int32Array;
  /** Objective of `best` minus that of `initial` (≤ 0). */
  bestDelta: number;
  steps: number;
  accepted: number;
  t0: number;
}

function sampleTemperature(p: AnnealProblem, state: Int32Array, rng: Rng): number {
  let sum = 0, n = 0;
  for (let k = 0; k < 200; k++) {
    const mv = p.propose(rng, state);
    if (!mv) continue;
    const d = Math.abs(p.delta(state, mv));
    if (d > 0) { sum += d; n++; }
  }
  return n > 0 ? sum / n : 1;
}

export function annealLabels(p: AnnealProblem, opts: AnnealOptions): LabelAnnealResult {
  if (!(Number.isInteger(opts.steps) && opts.steps >= 0)) throw new OptionError(`annealing steps must be a non-negative integer, got ${opts.steps}`, { field: 'steps' });
  const rng = new Rng(opts.seed ?? 0);
  const state = Int32Array.from(p.initial);
  const t0 = opts.t0 ?? sampleTemperature(p, state, rng);
  const t1 = opts.t1 ?? t0 / 1000;
  if (!(t0 > 0 && t1 > 0)) throw new OptionError(`annealing temperatures must be positive (T0 = ${t0}, T1 = ${t1})`, { field: 't0' });
  const ratio = opts.steps > 1 ? (t1 / t0) ** (1 / (opts.steps - 1)) : 1;
  const deadline = opts.timeLimitMs !== undefined ? performance.now() + opts.timeLimitMs : Infinity;
  let T = t0, cur = 0, bestDelta = 0, accepted = 0, step = 0;
  const best = Int32Array.from(state);
  for (; step < opts.steps; step++, T *= ratio) {
    // checking the clock every 1024 steps keeps its cost out of the loop
    if ((step & 1023) === 0 && performance.now() > deadline) break;
    const mv = p.propose(rng, state);
    if (!mv) continue;
    const d = p.delta(state, mv);
    if (d > 0 && rng.next() >= Math.exp(-d / T)) continue;
    for (const [s, l] of mv) state[s] = l;
    p.accepted?.(state, mv, d);
    accepted++;
    cur += d;
    if (cur < bestDelta - 1e-12) {
      bestDelta = cur;
      best.set(state);
    }
  }
  return { best, bestDelta, steps: step, accepted, t0 };
}
