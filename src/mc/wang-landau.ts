/**
 * Wang–Landau estimate of the density of states ln g(E) (Wang & Landau, PRL 86, 2050 (2001)).
 *
 * Energies are binned per primitive cell in [min, max) with a fixed width. A proposal from σ
 * (bin b) to σ' (bin b') is accepted with min(1, g(b)/g(b') · P_rev/P_fwd); moves leaving the
 * window are rejected. After every step ln g(b_current) += ln f and H(b_current) += 1. Every
 * `checkEvery` steps the histogram is tested for flatness over the bins visited so far
 * (min H ≥ flatness · mean H); when flat, ln f is halved and H reset, until ln f < lnfFinal.
 * With the 1/t variant (Belardinelli & Pereyra 2007) ln f switches to nBins/t once it would
 * fall below it. The per-bin mean energy and mean correlation vector are accumulated along the
 * walk (microcanonical averages do not depend on the walk's weights), so canonical averages
 * at any T follow by reweighting (wlCanonical).
 */
import { InputError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';
import type { CorrelationEvaluator } from '../space/correlation.ts';
import type { MoveSet } from './moves.ts';
import { KB_EV } from '../core/units.ts';
import type { McState } from './state.ts';

export interface WangLandauOptions {
  /** Energy window, eV per primitive cell. */
  min: number;
  max: number;
  binWidth: number;
  flatness?: number;
  lnfFinal?: number;
  checkEvery?: number;
  maxSteps?: number;
  oneOverT?: boolean;
  /** Accumulate per-bin mean correlation vectors (needs the cluster space). */
  correlations?: CorrelationEvaluator;
}

export interface WangLandauResult {
  /** Bin lower edges (eV/prim). */
  edges: number[];
  /** ln g per bin (NaN for bins never visited), normalised so the lowest visited bin is 0. */
  lnG: number[];
  /** Mean energy of the states visited in each bin (eV/prim). */
  binEnergy: number[];
  /** Mean correlation vector per bin (when requested). */
  binCorrelations?: number[][];
  visits: number[];
  steps: number;
  accepted: number;
  /** Lowest whole-cell energy visited (eV) and its occupancy. */
  lowestEnergy: number;
  lowestCodes: Int32Array;
  lnf: number;
  converged: boolean;
  iterations: number;
}

export function wangLandau(state: McState, moves: MoveSet, rng: Rng, o: WangLandauOptions): WangLandauResult {
  const nPrims = state.layout.nPrims;
  if (!(o.binWidth > 0)) throw new InputError('the Wang–Landau bin width must be positive', { field: 'bin-width' });
  if (!(o.max > o.min)) throw new InputError(`the Wang–Landau window is empty (min ${o.min} ≥ max ${o.max})`, { field: 'window' });
  const nBins = Math.ceil((o.max - o.min) / o.binWidth - 1e-9);
  const binOf = (eTot: number) => {
    const e = eTot / nPrims;
    if (e < o.min || e >= o.max) return -1;
    return Math.min(nBins - 1, Math.floor((e - o.min) / o.binWidth));
  };
  let b = binOf(state.energy);
  if (b < 0) throw new InputError(`the starting energy ${state.energyPerPrim.toFixed(6)} eV/prim is outside the window [${o.min}, ${o.max})`, { field: 'window' });
  const flatness = o.flatness ?? 0.8;
  const lnfFinal = o.lnfFinal ?? 1e-6;
  const checkEvery = o.checkEvery ?? 1000 * nBins;
  const maxSteps = o.maxSteps ?? 1e9;
  const lnG = new Float64Array(nBins);
  const H = new Float64Array(nBins);
  const visited = new Uint8Array(nBins);
  const eSum = new Float64Array(nBins), visits = new Float64Array(nBins);
  const ev = o.correlations;
  const nC = ev ? ev.nCorrelations : 0;
  const corr = ev ? Float64Array.from(ev.correlations(state.codes)) : new Float64Array(0);
  const cSum = new Float64Array(nBins * nC);
  const changes: [number, number][] = [];
  let lnf = 1, steps = 0, iterations = 0, converged = false, accepted = 0;
  let lowestEnergy = state.energy;
  const lowestCodes = Int32Array.from(state.codes);
  let tPhase = false; // 1/t variant: ln f = nBins/t from the moment halving would drop below it
  while (!converged && steps < maxSteps) {
    for (let s = 0; s < checkEvery; s++, steps++) {
      if (moves.propose(state, rng)) {
        const dE = state.moveDelta();
        const b2 = binOf(state.energy + dE);
        if (b2 >= 0) {
          const lnA = lnG[b]! - lnG[b2]! + moves.logBias;
          if (lnA >= 0 || rng.next() < Math.exp(lnA)) {
            if (ev) {
              changes.length = 0;
              for (let k = 0; k < state.moveLength; k++) changes.push([state.moveSites[k]!, state.moveNext[k]!]);
              const d = ev.delta(state.codes, changes);
              for (let j = 0; j < nC; j++) corr[j]! += d[j]!;
            }
            state.accept(dE);
            accepted++;
            b = b2;
            if (state.energy < lowestEnergy - 1e-12) {
              lowestEnergy = state.energy;
              lowestCodes.set(state.codes);
            }
          }
        }
      }
      if (tPhase) lnf = nBins / (steps + 1);
      lnG[b]! += lnf;
      H[b]!++;
      visited[b] = 1;
      eSum[b]! += state.energyPerPrim;
      visits[b]!++;
      for (let j = 0; j < nC; j++) cSum[b * nC + j]! += corr[j]!;
    }
    let hMin = Infinity, hSum = 0, nv = 0;
    for (let k = 0; k < nBins; k++) {
      if (!visited[k]) continue;
      hMin = Math.min(hMin, H[k]!);
      hSum += H[k]!;
      nv++;
    }
    if (tPhase) {
      converged = lnf < lnfFinal;
    } else if (hMin >= flatness * (hSum / nv)) {
      iterations++;
      H.fill(0);
      lnf /= 2;
      if (o.oneOverT && lnf < nBins / steps) tPhase = true;
      converged = lnf < lnfFinal;
    }
  }
  let ref = Infinity;
  for (let k = 0; k < nBins; k++) if (visited[k]) ref = Math.min(ref, lnG[k]!);
  const res: WangLandauResult = {
    edges: Array.from({ length: nBins }, (_, k) => o.min + k * o.binWidth),
    lnG: Array.from(lnG, (g, k) => (visited[k] ? g - ref : NaN)),
    binEnergy: Array.from(eSum, (e, k) => (visits[k]! > 0 ? e / visits[k]! : NaN)),
    visits: Array.from(visits),
    steps,
    accepted,
    lowestEnergy,
    lowestCodes,
    lnf,
    converged,
    iterations,
  };
  if (ev) res.binCorrelations = Array.from({ length: nBins }, (_, k) => Array.from(cSum.subarray(k * nC, (k + 1) * nC), (x) => (visits[k]! > 0 ? x / visits[k]! : NaN)));
  return res;
}

function logSumExp(a: number[]): number {
  const m = Math.max(...a.filter(Number.isFinite));
  return m + Math.log(a.reduce((s, x) => (Number.isFinite(x) ? s + Math.exp(x - m) : s), 0));
}

/**
 * Canonical averages at temperature T from a Wang–Landau ln g. lnStates (ln of the number of
 * states in the sampled space) fixes the additive constant of ln g, which the free energy needs.
 * Energies per primitive cell; heat capacity in k_B per primitive cell.
 */
export function wlCanonical(wl: WangLandauResult, T: number, nPrims: number, lnStates: number): { energy: number; heatCapacity: number; freeEnergy: number; lnZ: number } {
  const beta = 1 / (KB_EV * T);
  const bins = wl.lnG.map((g, k) => ({ g, e: wl.binEnergy[k]! })).filter((x) => Number.isFinite(x.g));
  const shift = lnStates - logSumExp(bins.map((x) => x.g));
  const lw = bins.map((x) => x.g + shift - beta * nPrims * x.e);
  const lnZ = logSumExp(lw);
  let e1 = 0, e2 = 0;
  bins.forEach((x, k) => {
    const w = Math.exp(lw[k]! - lnZ);
    e1 += w * x.e;
    e2 += w * x.e * x.e;
  });
  return { energy: e1, heatCapacity: beta * beta * nPrims * (e2 - e1 * e1), freeEnergy: (-KB_EV * T * lnZ) / nPrims, lnZ };
}

export { logSumExp };
