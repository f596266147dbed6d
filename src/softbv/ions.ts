/**
 * The ions of an ordered structure as SoftBV sees them: formal valence V, principal quantum
 * number n, radius r, effective charge q (seed 004 Eq. 5), and the cation–anion pair
 * parameters. Species must carry oxidation states (oxidation.ts guesses them when absent).
 */
import { InputError } from '../core/errors.ts';
import type { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import type { PairParams, SoftBvParams } from './params.ts';

export interface IonSet {
  species: Species[];
  cation: Uint8Array;
  valence: Float64Array;
  n: Float64Array;
  radius: Float64Array;
  /** Effective charge of Eq. 5; Σ q over the cell is zero. */
  q: Float64Array;
  /** pair(i, j) for cation i and anion j (site indices). */
  pair(i: number, j: number): PairParams;
}

export function orderedSpecies(s: Structure): Species[] {
  if (!s.isOrdered()) throw new InputError('SoftBV needs an ordered structure (one species per site, occupancy 1)');
  return s.sites.map((_, i) => s.speciesAt(i));
}

/**
 * Eq. 5: q_i = V_i/√n_i · (A/C)^½ for cations, q_j = V_j/√n_j · (C/A)^½ for anions, with
 * C = Σ_cations V N/√n and A = Σ_anions |V| N/√n (N = number of such ions), so Σq = √(AC) − √(AC) = 0.
 */
export function effectiveCharges(valence: ArrayLike<number>, n: ArrayLike<number>): Float64Array {
  let C = 0, A = 0;
  for (let k = 0; k < valence.length; k++) {
    const w = valence[k]! / Math.sqrt(n[k]!);
    if (w > 0) C += w;
    else A -= w;
  }
  if (!(C > 0 && A > 0)) throw new InputError('SoftBV needs both cations and anions');
  return Float64Array.from(valence, (v, k) => (v / Math.sqrt(n[k]!)) * Math.sqrt(v > 0 ? A / C : C / A));
}

/** Ions of `species` (one per site, with oxidation states); throws naming a missing pair. */
export function prepareIons(species: Species[], params: SoftBvParams): IonSet {
  species.forEach((sp, i) => {
    if (sp.oxidationState === null) throw new InputError(`site ${i} (${sp.key}) has no oxidation state`);
  });
  const N = species.length;
  const cation = Uint8Array.from(species, (sp) => (sp.charge > 0 ? 1 : 0));
  const valence = Float64Array.from(species, (sp) => sp.charge);
  species.forEach((sp, i) => {
    if (sp.charge === 0) throw new InputError(`site ${i} (${sp.key}) has oxidation state 0; SoftBV needs ions`);
  });
  // resolve every cation–anion pair once, so a missing pair fails here with its name
  const table = new Map<string, PairParams>();
  for (let i = 0; i < N; i++) {
    if (!cation[i]) continue;
    for (let j = 0; j < N; j++) {
      if (cation[j]) continue;
      const key = `${species[i]!.key}|${species[j]!.key}`;
      if (!table.has(key)) table.set(key, params.pair(species[i]!, species[j]!));
    }
  }
  const n = Float64Array.from(species, (sp) => params.principalQuantumNumber(sp.element));
  const radius = Float64Array.from(species, (sp) => params.radius(sp.element, sp.charge));
  const q = effectiveCharges(valence, n);
  const pair = (i: number, j: number) => table.get(`${species[i]!.key}|${species[j]!.key}`)!;
  return { species, cation, valence, n, radius, q, pair };
}

