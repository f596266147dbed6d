/**
 * The Metropolis–Hastings loop shared by every fixed-temperature ensemble: propose (move set),
 * energy change (processor, whole cell), accept with min(1, exp(−β(ΔE − work) + logBias)),
 * observe every `thin` steps. A step is one proposal; null proposals count as rejected steps.
 */
import type { Rng } from '../core/rng.ts';
import { KB_EV } from '../core/units.ts';
import type { MoveSet } from './moves.ts';
import type { Observer } from './observers.ts';
import type { McState } from './state.ts';

/** Boltzmann constant, eV/K (CODATA 2018). */

export interface MetropolisOptions {
  /** Temperature in kelvin, or a function of the step for annealing schedules. */
  T: number | ((step: number) => number);
  steps: number;
  thin: number;
  observers?: Observer[];
  /** Called every `progressEvery` steps with the number done. */
  onProgress?: (done: number) => void;
  progressEvery?: number;
  /** Called after each accepted move that lowered the energy below every earlier state. */
  onNewMinimum?: (state: McState) => void;
}

export interface MetropolisResult {
  steps: number;
  accepted: number;
  proposals: number;
  seconds: number;
}

export function metropolis(state: McState, moves: MoveSet, rng: Rng, opts: MetropolisOptions): MetropolisResult {
  const { steps, thin } = opts;
  const obs = opts.observers ?? [];
  const every = opts.progressEvery ?? Math.max(1, Math.floor(steps / 100));
  const schedule = typeof opts.T === 'function' ? opts.T : null;
  let beta = schedule ? 0 : 1 / (KB_EV * (opts.T as number));
  let accepted = 0, proposals = 0;
  let lowest = opts.onNewMinimum ? state.energy : -Infinity;
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    if (schedule) beta = 1 / (KB_EV * schedule(s));
    if (moves.propose(state, rng)) {
      proposals++;
      const dE = state.moveDelta();
      const lnA = -beta * (dE - moves.work) + moves.logBias;
      if (lnA >= 0 || rng.next() < Math.exp(lnA)) {
        state.accept(dE);
        accepted++;
        if (state.energy < lowest - 1e-12) {
          lowest = state.energy;
          opts.onNewMinimum!(state);
        }
      }
    }
    if ((s + 1) % thin === 0) for (const o of obs) o.observe(state);
    if (opts.onProgress && (s + 1) % every === 0) opts.onProgress(s + 1);
  }
  return { steps, accepted, proposals, seconds: (performance.now() - t0) / 1000 };
}
