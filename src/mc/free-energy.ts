/**
 * Free energies by thermodynamic integration.
 *
 * Over temperature: ln Z(β) = ln Z(0) − ∫₀^β ⟨H⟩_β' dβ', with H = E − Σ μ_s N_s (whole cell,
 * μ = 0 in the canonical ensemble) and ln Z(0) = ln Ω, the number of states the ensemble
 * visits (β = 0 is the infinite-temperature limit, where every state is equally likely).
 * Over chemical potential at fixed β: ∂ ln Z / ∂μ_s = β ⟨N_s⟩, so
 * ln Z(μ₁) = ln Z(μ₀) + β ∫ ⟨N_s⟩ dμ_s. Both use the trapezoid rule on the caller's grid; the
 * grid must be fine enough for ⟨H⟩ (check by halving it).
 * F = −k_B T ln Z / N_prim (eV per primitive cell).
 */
import { trapezoid } from './analysis.ts';
import { KB_EV } from '../core/units.ts';
import type { Layout } from './state.ts';

function lnFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

/** ln Ω at fixed slot counts (canonical): Π over sublattices of multinomial coefficients. */
export function lnStatesCanonical(layout: Layout, counts: ArrayLike<number>): number {
  let s = 0;
  for (const sub of layout.sublattices) {
    s += lnFactorial(sub.sites.length);
    sub.species.forEach((_, c) => (s -= lnFactorial(counts[sub.slot0 + c]!)));
  }
  return s;
}

/** ln Ω over every occupancy (semigrand): Σ over sublattices of n_sites · ln M. */
export function lnStatesAll(layout: Layout): number {
  return layout.sublattices.reduce((s, sub) => s + sub.sites.length * Math.log(sub.species.length), 0);
}

/**
 * ln Z at every β of an increasing grid starting at β = 0, from ⟨H⟩ (whole cell, eV) measured
 * at those β; returns ln Z per grid point.
 */
export function integrateOverBeta(betas: number[], meanH: number[], lnZ0: number): number[] {
  if (betas[0] !== 0) throw new Error('the β grid must start at 0 (infinite temperature)');
  return betas.map((_, k) => lnZ0 - trapezoid(betas.slice(0, k + 1), meanH.slice(0, k + 1)));
}

/** ln Z along a μ_s grid at fixed β from ⟨N_s⟩ (whole cell) measured there. */
export function integrateOverMu(mus: number[], meanN: number[], beta: number, lnZ0: number): number[] {
  return mus.map((_, k) => lnZ0 + beta * trapezoid(mus.slice(0, k + 1), meanN.slice(0, k + 1)));
}

/** F (eV per primitive cell) from ln Z at temperature T. */
export function freeEnergyPerPrim(lnZ: number, T: number, nPrims: number): number {
  return (-KB_EV * T * lnZ) / nPrims;
}
