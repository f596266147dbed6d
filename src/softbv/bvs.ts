/**
 * Bond valence sums and the global instability index (seed 004 Eq. 7).
 *
 * s_ij = exp((R0 − R_ij)/b) for every cation–anion pair closer than the pair's Rcutoff
 * (params.ts); the BVS of an ion is Σ_j s_ij over its counter-ions. Seed 004 Eq. 7 averages
 * (BVS_i − V_i)² over the N cations; the common crystallographic GII (Salinas-Sanchez et al.
 * 1992) averages over all ions — both are returned.
 */
import { findNeighbors } from '../structure/neighbors.ts';
import type { Species } from '../structure/species.ts';
import type { Structure } from '../structure/structure.ts';
import type { SoftBvParams } from './params.ts';

export interface BvsResult {
  /** Bond valence sum per site (positive for cations and anions alike). */
  bvs: Float64Array;
  /** |V| per site. */
  valence: Float64Array;
  /** Seed 004 Eq. 7: root mean square of (BVS − V) over cations. */
  gii: number;
  /** Same over all ions. */
  giiAll: number;
  /** Number of counter-ions within Rcutoff per site. */
  bonds: Int32Array;
}

export function bondValenceSums(s: Structure, species: Species[], params: SoftBvParams): BvsResult {
  const N = species.length;
  let rMax = 0;
  for (let i = 0; i < N; i++) {
    if (species[i]!.charge <= 0) continue;
    for (let j = 0; j < N; j++) if (species[j]!.charge < 0) rMax = Math.max(rMax, params.pair(species[i]!, species[j]!).Rcutoff);
  }
  const bvs = new Float64Array(N);
  const bonds = new Int32Array(N);
  const nl = findNeighbors(s.lattice, s.sites.map((x) => x.frac), rMax);
  for (let k = 0; k < nl.count; k++) {
    const i = nl.center[k]!, j = nl.neighbor[k]!;
    // each bond is listed from both ends; count it once, from the cation
    if (!(species[i]!.charge > 0 && species[j]!.charge < 0)) continue;
    const p = params.pair(species[i]!, species[j]!);
    const R = nl.distance[k]!;
    if (R > p.Rcutoff) continue;
    const v = Math.exp((p.R0 - R) / p.b);
    bvs[i] += v;
    bvs[j] += v;
    bonds[i]!++;
    bonds[j]!++;
  }
  const valence = Float64Array.from(species, (sp) => Math.abs(sp.charge));
  let sc = 0, nc = 0, sa = 0;
  for (let i = 0; i < N; i++) {
    const d2 = (bvs[i]! - valence[i]!) ** 2;
    sa += d2;
    if (species[i]!.charge > 0) { sc += d2; nc++; }
  }
  return { bvs, valence, gii: Math.sqrt(sc / nc), giiAll: Math.sqrt(sa / N), bonds };
}
