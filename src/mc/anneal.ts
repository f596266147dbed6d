/**
 * Simulated annealing: Metropolis with a geometric temperature schedule T(s) = T₀·(T₁/T₀)^(s/steps),
 * keeping the lowest-energy configuration met anywhere along the way (not the final one, which
 * can be a higher local minimum).
 */
import type { Rng } from '../core/rng.ts';
import { OptionError } from '../core/errors.ts';
import type { MoveSet } from './moves.ts';
import { metropolis, type MetropolisResult } from './sampler.ts';
import type { McState } from './state.ts';

export interface AnnealResult extends MetropolisResult {
  /** Lowest whole-cell energy met (eV) and its occupancy. */
  lowestEnergy: number;
  lowestCodes: Int32Array;
}

export function anneal(state: McState, moves: MoveSet, rng: Rng, o: { Tstart: number; Tend: number; steps: number; onProgress?: (done: number) => void }): AnnealResult {
  if (!(o.Tstart > 0 && o.Tend > 0)) throw new OptionError('annealing temperatures must be positive', { field: 'T' });
  const ratio = o.Tend / o.Tstart;
  let lowestEnergy = state.energy;
  let lowestCodes = Int32Array.from(state.codes);
  const res = metropolis(state, moves, rng, {
    T: (s) => o.Tstart * ratio ** (s / o.steps),
    steps: o.steps,
    thin: o.steps + 1,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    onNewMinimum: (st) => {
      lowestEnergy = st.energy;
      lowestCodes = Int32Array.from(st.codes);
    },
  });
  return { ...res, lowestEnergy, lowestCodes };
}
